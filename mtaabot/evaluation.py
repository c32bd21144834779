"""Scores the engine on labelled files (the formats of ../shared/eval/): language ID, retrieval, escalation.

Everything runs inside the caller's transaction on temporary shops (the caller rolls back), through the
same code the WhatsApp path uses: `detect_language`, `retrieve` and the engine's `decide`.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path
from typing import Any

import psycopg

from mtaabot import businesses, products
from mtaabot.embeddings import encode, model_version, product_text
from mtaabot.language import LANGUAGES, detect_language

NOT_SOLD_INTENTS = {"not_sold"}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def language_metrics(rows: list[dict[str, Any]]) -> dict[str, Any]:
    gold = [r["language"] for r in rows]
    pred = [detect_language(r["text"]).language for r in rows]
    per_class = {}
    for lang in LANGUAGES:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == lang)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if p == lang and g != lang)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == lang and p != lang)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_class[lang] = {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3),
                           "support": tp + fn}
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(rows), 1)
    errors = [{"text": r["text"], "gold": g, "pred": p} for r, g, p in zip(rows, gold, pred, strict=True) if g != p]
    return {"n": len(rows), "accuracy": round(accuracy, 3),
            "macro_f1": round(sum(c["f1"] for c in per_class.values()) / len(LANGUAGES), 3),
            "per_class": per_class, "errors": errors}


def load_catalogue(conn: psycopg.Connection, csv_text: str, tones: tuple[str, ...] = ("mtaa",)) -> dict[str, dict]:
    """Create one temporary shop per `business` value with its products and embeddings (no commit)."""
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    per_shop: dict[str, list[dict[str, str]]] = {}
    for row in reader:
        per_shop.setdefault(row.pop("business"), []).append(row)
    shops = {}
    for i, (name, rows) in enumerate(per_shop.items()):
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        shop = businesses.create_business(conn, name=f"{name} [eval {uuid.uuid4().hex[:6]}]",
                                          tone=tones[i % len(tones)])
        shop["display_name"] = name
        shop["name"] = name
        products.import_csv(conn, shop["id"], buf.getvalue())
        _embed_without_commit(conn, shop["id"])
        shops[name] = shop
    return shops


def _embed_without_commit(conn: psycopg.Connection, business_id: Any) -> None:
    rows = conn.execute("SELECT id, business_id, name, description, metadata, content_hash FROM products "
                        "WHERE business_id = %s", (business_id,)).fetchall()
    vectors = encode([product_text(r) for r in rows])
    with conn.cursor() as cur:
        cur.executemany(
            """INSERT INTO product_embeddings (product_id, business_id, model, content_hash, embedding)
               VALUES (%s, %s, %s, %s, %s) ON CONFLICT (product_id, model) DO UPDATE SET embedding = EXCLUDED.embedding,
               content_hash = EXCLUDED.content_hash""",
            [(r["id"], r["business_id"], model_version(), r["content_hash"], v) for r, v in zip(rows, vectors, strict=True)])


def retrieval_metrics(conn: psycopg.Connection, shops: dict[str, dict], rows: list[dict[str, Any]]) -> dict[str, Any]:
    from mtaabot.engine import decide

    with_product = correct_top1 = not_sold_total = not_sold_ok = 0
    errors = []
    for r in rows:
        shop = shops[r["business"]]
        draft = decide(conn, shop, r["text"], r.get("language") or detect_language(r["text"]).language)
        names = [h.name for h in draft.hits]
        if r["expect"]:
            with_product += 1
            ok = bool(names) and names[0] in r["expect"]
            correct_top1 += ok
        else:
            not_sold_total += 1
            ok = not names and (draft.intent in NOT_SOLD_INTENTS or draft.escalate_reason is not None)
            not_sold_ok += ok
        if not ok:
            errors.append({"text": r["text"], "expect": r["expect"], "got": names, "intent": draft.intent})
    return {"n_with_product": with_product, "top1_accuracy": round(correct_top1 / max(with_product, 1), 3),
            "n_not_sold": not_sold_total, "not_sold_accuracy": round(not_sold_ok / max(not_sold_total, 1), 3),
            "errors": errors}


def escalation_metrics(conn: psycopg.Connection, shops: dict[str, dict], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each message is put to every shop; a prediction is 'escalate' when the engine hands over."""
    from mtaabot.engine import ESCALATE_BELOW, decide

    tp = fp = fn = tn = 0
    errors = []
    for r in rows:
        for shop in shops.values():
            lang = detect_language(r["text"]).language
            draft = decide(conn, shop, r["text"], lang)
            predicted = draft.escalate_reason is not None or draft.confidence < ESCALATE_BELOW
            gold = bool(r["escalate"])
            tp += predicted and gold
            fp += predicted and not gold
            fn += gold and not predicted
            tn += not predicted and not gold
            if predicted != gold:
                errors.append({"text": r["text"], "shop": shop["display_name"], "gold": gold, "intent": draft.intent})
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"n": len(rows), "predictions": tp + fp + fn + tn, "precision": round(precision, 3),
            "recall": round(recall, 3), "errors": errors}


def run_all(conn: psycopg.Connection, directory: Path) -> dict[str, Any]:
    """All metrics for the files present in `directory`."""
    out: dict[str, Any] = {}
    if (directory / "language_dev.jsonl").exists():
        out["language"] = language_metrics(read_jsonl(directory / "language_dev.jsonl"))
    catalogue = directory / "catalogue_dev.csv"
    shops = load_catalogue(conn, catalogue.read_text(encoding="utf-8")) if catalogue.exists() else {}
    if shops and (directory / "retrieval_dev.jsonl").exists():
        out["retrieval"] = retrieval_metrics(conn, shops, read_jsonl(directory / "retrieval_dev.jsonl"))
    if shops and (directory / "escalation_dev.jsonl").exists():
        out["escalation"] = escalation_metrics(conn, shops, read_jsonl(directory / "escalation_dev.jsonl"))
    return out


def format_table(metrics: dict[str, Any]) -> str:
    lines = ["metric                               value", "-" * 44]
    lang = metrics.get("language")
    if lang:
        lines += [f"language accuracy (n={lang['n']})".ljust(37) + f"{lang['accuracy']:.3f}",
                  "language macro-F1".ljust(37) + f"{lang['macro_f1']:.3f}"]
        for k, v in lang["per_class"].items():
            lines.append(f"  {k} P/R/F1 (n={v['support']})".ljust(37)
                         + f"{v['precision']:.3f} / {v['recall']:.3f} / {v['f1']:.3f}")
    ret = metrics.get("retrieval")
    if ret:
        lines += [f"retrieval top-1 (n={ret['n_with_product']})".ljust(37) + f"{ret['top1_accuracy']:.3f}",
                  f"not sold answered as not sold (n={ret['n_not_sold']})".ljust(37) + f"{ret['not_sold_accuracy']:.3f}"]
    esc = metrics.get("escalation")
    if esc:
        lines += [f"escalation precision (n={esc['predictions']})".ljust(37) + f"{esc['precision']:.3f}",
                  "escalation recall".ljust(37) + f"{esc['recall']:.3f}"]
    for section in ("language", "retrieval", "escalation"):
        for err in (metrics.get(section) or {}).get("errors", [])[:15]:
            lines.append(f"  miss [{section}] {json.dumps(err, ensure_ascii=False)}")
    return "\n".join(lines)
