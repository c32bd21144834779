"""The products an owner's words name, read as the owner writes them: exact names, every word of a name or
description ("jogoo flour"), a brand only one name has ("IN tecno"), fuzzy spelling, and, failing those, what the
customers' own retrieval finds ("af1" is the Air Force 1). Shared by every owner command that names products."""

from __future__ import annotations

import re
from typing import Any

import psycopg
from rapidfuzz import fuzz

from mtaabot.owners.alerts import in_lang as _t
from mtaabot.retrieval import retrieve
from mtaabot.vocabulary import STOPWORDS, WORDS


def word_set(text: str) -> set[str]:
    """The words of a text, a plural -s off ("chargers" is "charger")."""
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in re.findall(r"\w+", text.lower())}


def products_named(conn: psycopg.Connection, business_id: str, query: str) -> list[dict[str, Any]]:
    """Products matching what the owner typed (fuzzy on names and descriptions), best first."""
    q = query.lower().strip()
    rows = conn.execute("SELECT * FROM products WHERE business_id = %s", (business_id,)).fetchall()
    if any(r["name"].lower() == q for r in rows):
        return [r for r in rows if r["name"].lower() == q][:1]
    # one product whose name and description hold every word typed ("jogoo flour") is the one meant, even where
    # the fuzzy scores of two flours are close
    asked = word_set(q)
    # "IN tecno": the one product whose NAME has it (the Tecno Spark), before a repair that only lists Tecno
    for field in ("name", "both"):
        having = [r for r in rows
                  if asked <= word_set(r["name"] if field == "name" else f"{r['name']} {r['description'] or ''}")]
        if len(having) == 1:
            return having
    scored = []
    for r in rows:
        name = r["name"].lower()
        score = max(fuzz.WRatio(q, name), 0.9 * fuzz.partial_ratio(q, (r["description"] or "").lower()))
        if score >= 75:
            scored.append((score, r))
    scored.sort(key=lambda t: -t[0])
    if scored and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 8):
        return [scored[0][1]]
    if not scored:  # "af1 bei 3800": what customers' words find ("AF1" is the Air Force 1), when the names do not
        hits = [h for h in retrieve(conn, business_id, query, limit=3).hits if h.relevant]
        if len(hits) == 1 or len(hits) > 1 and hits[0].score - hits[1].score >= 0.1:
            return [r for r in rows if r["id"] == hits[0].id]
    return [r for _, r in scored[:5]]


def _unmatched(conn: psycopg.Connection, business_id: str, query: str, product: dict[str, Any]) -> list[str]:
    """The owner's words the product found does not have: a number not in its name ("iphone 15" found the iPhone
    13), or a word that is neither its own, a bridge word for one of its own, nor what customers' words find it by
    ("mchele wa basmati" found the Pishori; "af1" is how customers name the Air Force 1)."""
    own = word_set(f"{product['name']} {product['description'] or ''}")
    missing = []
    for w in word_set(query):
        if w in own or w in STOPWORDS or any(t in own for t in WORDS.get(w, "").split()):
            continue
        if w.isdigit() or not any(h.relevant and h.id == product["id"]
                                  for h in retrieve(conn, business_id, w, limit=3).hits):
            missing.append(w)
    return missing


def one_product(conn, business_id, query, lang) -> tuple[dict[str, Any] | None, str | None]:
    found = products_named(conn, business_id, query)
    if len(found) == 1 and (missing := _unmatched(conn, business_id, query, found[0])):
        # a change to the wrong product is worse than none: "PRICE iphone 15 90000" set the iPhone 13 to KES 90,000
        # (customer test s30)
        name, words = found[0]["name"], ", ".join(missing)
        return None, _t(lang, f"Sijapata bidhaa \u201c{query}\u201d ({words} haiko kwa {name}). Ulimaanisha {name}? "
                              "Andika jina lake kama lilivyo; hakuna kilichobadilika.",
                        f"No product matches \u201c{query}\u201d ({name} has no {words}). Did you mean {name}? "
                        "Write its name as it is; nothing changed.")
    if not found:
        return None, _t(lang, f"Sijapata bidhaa \u201c{query}\u201d. Hakuna kilichobadilika.",
                        f"No product matches \u201c{query}\u201d. Nothing changed.")
    if len(found) > 1:
        names = "; ".join(p["name"] for p in found)
        return None, _t(lang, f"Ipi kati ya hizi? {names}. Andika jina kamili zaidi; hakuna kilichobadilika.",
                        f"Which one? {names}. Write more of the name; nothing changed.")
    return found[0], None


def several_products(conn: psycopg.Connection, business_id: str, query: str) -> list[dict[str, Any]] | None:
    """"eggs and milk", "royco, chai na mchele": every product named, when the owner named more than one and each
    part names exactly one product (so "Wash and Blow-dry" stays one); else None."""
    parts = [p for p in re.split(r"\s*(?:,|&|\band\b|\bna\b)\s*", query.strip()) if p]
    if len(parts) < 2:
        return None
    found = [products_named(conn, business_id, p) for p in parts]
    if any(len(f) != 1 for f in found) or len({f[0]["id"] for f in found}) != len(found):
        return None
    return [f[0] for f in found]
