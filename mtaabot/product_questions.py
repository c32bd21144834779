"""Questions about products the customer has just seen: the cheapest or dearest of them ("which is the
cheapest?") and a detail of the last one ("does it have warranty?", "ina warranty?").

A detail is answered only from the product's own description and metadata; one the catalogue does not hold
goes to the owner (the customer is told), never "we don't sell that" and never a guess.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import psycopg

from mtaabot.retrieval import Hit
from mtaabot.vocabulary import words

_COLUMNS = "id, name, price, currency, is_available, description, metadata"

# "does it have …?", "is it …?", "ina …?", "iko na …?", "inakuja na …?": a question about the thing just shown
ABOUT_IT = re.compile(
    r"^(?:(?:and|so|but|na|je|sasa|hiyo|hii|ok|okay|sawa),? )*"
    r"(?:(?:does|is|will|can|would|has) (?:it|this|that|this one|that one|the phone|the item)|"
    r"do (?:they|these|those) |are (?:they|these|those) |"
    r"(?:hiyo |hii |hizo |hizi )?(?:ina|iko na|inakuja na|zina|ziko na|zinakuja na|inakam na|inakuanga na)|"
    r"(?:hiyo|hii|hizo|hizi) (?:ni|iko|ziko))\b")
# words of a question that are no detail asked for
_NOT_A_DETAIL = frozenset("""ina iko na ni je hiyo hii hizo hizi zina ziko kuja inakuja zinakuja inakam inakuanga
have has got come comes with does is it this that the one any ama au or sasa bado""".split())


def products_by_id(conn: psycopg.Connection, business_id: Any, ids: Sequence[Any]) -> list[Hit]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM products WHERE business_id = %s AND id = ANY(%s)",
                        (business_id, list(ids))).fetchall()
    order = {pid: i for i, pid in enumerate(ids)}
    return [Hit(**r) for r in sorted(rows, key=lambda r: order.get(r["id"], 0))]


def extreme_candidates(conn: psycopg.Connection, business_id: Any, previous: Sequence[Any]) -> list[Hit]:
    """What "the cheapest" is among: the products of the last answer when it showed several (those of the category
    most of them share); when it showed one, that product's kind (same category and same first name word, e.g. the
    shop's other Samsung phones)."""
    shown = products_by_id(conn, business_id, previous)
    if len(shown) > 1:  # of the phones shown, not the phone case shown beside them
        cats = [(h.metadata or {}).get("category") for h in shown]
        main = max(cats, key=cats.count)
        return [h for h, c in zip(shown, cats, strict=True) if c == main]
    if not shown:
        return shown
    one = shown[0]
    category = (one.metadata or {}).get("category")
    first = (one.name.split() or [""])[0].lower()
    rows = conn.execute(
        f"""SELECT {_COLUMNS} FROM products WHERE business_id = %s
               AND lower(split_part(name, ' ', 1)) = %s
               AND (%s::text IS NULL OR metadata->>'category' = %s)""",
        (business_id, first, category, category)).fetchall()
    return [Hit(**r) for r in rows] or shown


def by_price(hits: Sequence[Hit], extreme: str) -> list[Hit]:
    """Available products first, then cheapest (or dearest) first."""
    return sorted(hits, key=lambda h: (not h.is_available, h.price if extreme == "low" else -h.price))


def names_it(hit: Hit, terms: Sequence[str]) -> bool:
    """Every word asked is in the product's name ("is this the Samsung A15?"): no detail, the product itself."""
    asked = {t for t in terms if t not in _NOT_A_DETAIL}
    return asked <= set(words(hit.name))


def details(hit: Hit, terms: Sequence[str]) -> str | None:
    """What the product's metadata and description say about the words asked ("warranty" -> "warranty: 12
    months"); None when they say nothing about any of them."""
    asked = {t for t in terms if len(t) >= 3 and t not in _NOT_A_DETAIL}
    if not asked:
        return None
    facts = []
    for key, value in (hit.metadata or {}).items():
        said = set(words(f"{key} {value if isinstance(value, str) else json.dumps(value)}"))
        if asked & said:
            facts.append(f"{key.replace('_', ' ')}: {value}")
    if not facts and asked & set(words(hit.description or "")):
        facts.append((hit.description or "").strip().rstrip("."))
    return "; ".join(facts) or None
