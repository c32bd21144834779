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
    hold_open(conn)
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


def hold_open(conn: psycopg.Connection) -> None:
    """Start the caller's transaction now. On an idle connection psycopg's `conn.transaction()` (used by
    `create_business` and `import_csv`) is a real transaction that commits on exit; inside an open one it
    is a savepoint, so the caller's final rollback removes every temporary shop, product and message."""
    if conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
        conn.execute("SELECT 1")


def run_all(conn: psycopg.Connection, directory: Path) -> dict[str, Any]:
    """All metrics for the files present in `directory` (the v2 format when its files are there)."""
    hold_open(conn)
    if is_v2(directory):
        return run_v2(conn, directory)
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
    if ret and "top1_product_questions" in ret:
        lines.append(f"  top-1, product questions (n={ret['n_product_questions']})".ljust(37)
                     + f"{ret['top1_product_questions']:.3f}")
    esc = metrics.get("escalation")
    if esc:
        lines += [f"escalation precision (n={esc['predictions']})".ljust(37) + f"{esc['precision']:.3f}",
                  "escalation recall".ljust(37) + f"{esc['recall']:.3f}"]
    intents = metrics.get("intents")
    if intents:
        lines += [f"intent accuracy (n={intents['n']})".ljust(37) + f"{intents['accuracy']:.3f}",
                  "intent macro-F1".ljust(37) + f"{intents['macro_f1']:.3f}"]
        for k, v in intents["per_intent"].items():
            lines.append(f"  {k} P/R/F1 (n={v['support']})".ljust(37)
                         + f"{v['precision']:.3f} / {v['recall']:.3f} / {v['f1']:.3f}")
    inv = metrics.get("invented_prices")
    if inv:
        lines.append(f"invented prices (replies={inv['replies_checked']})".ljust(37) + f"{inv['count']}")
    if metrics.get("failures"):
        lines.append("messages that raised".ljust(37) + f"{len(metrics['failures'])}")
    for section in ("language", "retrieval", "escalation", "invented_prices", "failures"):
        section_errors = metrics.get(section) or {}
        errs = section_errors if isinstance(section_errors, list) else section_errors.get("errors", [])
        for err in errs[:15]:
            lines.append(f"  miss [{section}] {json.dumps(err, ensure_ascii=False, default=str)}")
    for label, errs in ((intents or {}).get("errors") or {}).items():
        for err in errs[:5]:
            lines.append(f"  miss [intent {label}] {json.dumps(err, ensure_ascii=False, default=str)}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------
# v2 sets (tests/fixtures/eval_v2): one file of messages labelled with intent, products and escalation.
#
#   catalogue.csv   business,name,description,price,currency,is_available,metadata
#   shops.json      optional: {business: {tone, location, opening_hours, haggle_policy}}
#   messages.jsonl  {"business", "text", "language", "intent", "expect", "escalate"}
#
# Each message runs through the whole answering path as a first message from a new customer: the worker's
# explicit opt-out requests (`mtaabot.intents.wants_opt_out`) first, then `engine.respond` (order
# and booking flow, haggling, escalation). Everything happens in the caller's transaction (rolled back).
# ---------------------------------------------------------------------------------------------------------

V2_MESSAGES = "messages.jsonl"
V2_CATALOGUE = "catalogue.csv"
V2_SHOPS = "shops.json"

# The one mapping table from the engine's intent names to the v2 labels. A prediction counts as right
# for a gold label when the label is in the tuple; when it is not, the prediction is charged (as a false
# positive) to the first label of the tuple. Engine names mapped to () are never right for any label.
#
#   v2 label        engine intents
#   price           product, price_list              (asks what something costs)
#   availability    product, price_list              (asks whether something is there)
#   order           order, order_summary, order_confirm, order_problem, order_remove, order_cancel,
#                   order_retry, order_status
#   booking         booking, booking_which
#   haggle          discount, discount_offer
#   location_hours  location, hours
#   delivery        delivery
#   payment         payment_methods, payment, payment_claim
#   complaint       complaint, angry
#   human           human
#   greeting        greeting
#   thanks          thanks, ack
#   opt_out         opt_out (the worker's keyword step)
#   not_sold        not_sold
#   (none)          unknown, gate, owner_command, opt_in, escalation
INTENT_LABELS: dict[str, tuple[str, ...]] = {
    "product": ("price", "availability"), "price_list": ("price", "availability"),
    "order": ("order",), "order_summary": ("order",), "order_confirm": ("order",), "order_problem": ("order",),
    "order_remove": ("order",), "order_cancel": ("order",), "order_retry": ("order",), "order_status": ("order",),
    "order_which": ("order",),
    "booking": ("booking",), "booking_which": ("booking",),
    "discount": ("haggle",), "discount_offer": ("haggle",),
    "location": ("location_hours",), "hours": ("location_hours",),
    "delivery": ("delivery",),
    "payment_methods": ("payment",), "payment": ("payment",), "payment_claim": ("payment",),
    "complaint": ("complaint",), "angry": ("complaint",),
    "human": ("human",),
    "greeting": ("greeting",),
    "thanks": ("thanks",), "ack": ("thanks",),
    "opt_out": ("opt_out",),
    "not_sold": ("not_sold",),
    "unknown": (), "gate": (), "owner_command": (), "opt_in": (), "escalation": (),
}
PRODUCT_QUESTIONS = ("price", "availability", "order", "booking")  # haggling rows name a product too
V2_LABELS = ("price", "availability", "order", "booking", "haggle", "location_hours", "delivery", "payment",
             "complaint", "human", "greeting", "thanks", "opt_out", "not_sold")


def is_v2(directory: Path) -> bool:
    return (directory / V2_MESSAGES).exists() and (directory / V2_CATALOGUE).exists()


def load_shops_v2(conn: psycopg.Connection, directory: Path) -> dict[str, dict]:
    """The v2 catalogue as temporary shops, with the tone, location and hours of shops.json (no commit)."""
    shops = load_catalogue(conn, (directory / V2_CATALOGUE).read_text(encoding="utf-8"))
    profiles = json.loads((directory / V2_SHOPS).read_text(encoding="utf-8")) if (directory / V2_SHOPS).exists() else {}
    for name, shop in shops.items():
        profile = profiles.get(name) or {}
        fields = {k: profile[k] for k in ("tone", "location", "opening_hours", "haggle_policy", "max_discount_pct")
                  if k in profile}
        if fields:
            conn.execute(f"UPDATE businesses SET {', '.join(f'{k} = %s' for k in fields)} WHERE id = %s",
                         (*fields.values(), shop["id"]))
            shop.update(fields)
    return shops


def _answer_v2(conn: psycopg.Connection, shop: dict, text: str) -> dict[str, Any]:
    """The bot's answer to `text` as the first message of a new customer (inside a savepoint)."""
    from mtaabot.conversations import Customer, get_or_create_conversation, store_inbound_message
    from mtaabot.engine import respond
    from mtaabot.intents import wants_opt_out
    from mtaabot.whatsapp import fixed_texts

    if wants_opt_out(text):  # the worker answers these before the engine sees them
        return {"intent": "opt_out", "escalated": False, "products": [], "reply": fixed_texts.opt_out_confirmation(),
                "order": None}
    conv = get_or_create_conversation(conn, shop["id"], Customer(bsuid=f"eval.{uuid.uuid4().hex}"))
    msg, _ = store_inbound_message(conn, business_id=shop["id"], conversation_id=conv["id"], content=text,
                                   wamid=f"eval.{uuid.uuid4().hex}")
    result = respond(conn, business_id=shop["id"], conversation_id=conv["id"], user_message_id=msg["id"])
    return {"intent": result.intent or "unknown", "escalated": result.escalated,
            "products": [p["name"] for p in result.products], "reply": result.reply or "", "order": result.order}


def _allowed_prices(catalogue_prices: set, order: dict[str, Any] | None) -> set:
    from decimal import Decimal

    allowed = set(catalogue_prices)
    if order:  # an order's total and line totals are sums of catalogue prices read from the database
        allowed.add(Decimal(str(order["total"])).quantize(Decimal("0.01")))
        for item in order.get("items") or []:
            allowed.add((Decimal(str(item["unit_price"])) * Decimal(str(item["quantity"]))).quantize(Decimal("0.01")))
    return allowed


def _pr(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "support": tp + fn}


def run_v2(conn: psycopg.Connection, directory: Path) -> dict[str, Any]:
    """All v2 metrics: language, retrieval top-1, not sold, escalation, per-intent P/R, invented prices."""
    from decimal import Decimal

    from mtaabot.reply_builder import prices_in

    hold_open(conn)
    rows = read_jsonl(directory / V2_MESSAGES)
    out: dict[str, Any] = {"language": language_metrics(rows)}
    shops = load_shops_v2(conn, directory)
    prices = {name: {Decimal(str(r["price"])).quantize(Decimal("0.01")) for r in conn.execute(
        "SELECT price FROM products WHERE business_id = %s", (shop["id"],)).fetchall()} for name, shop in shops.items()}
    from mtaabot.engine import offer_price

    for name, shop in shops.items():  # a shop that lets the bot give a discount: its offers are the policy's prices
        if shop.get("haggle_policy") == "discount" and shop.get("max_discount_pct"):
            prices[name] |= {offer_price(p, shop["max_discount_pct"]).quantize(Decimal("0.01")) for p in prices[name]}
    answers = []
    for r in rows:
        try:
            with conn.transaction():  # a savepoint: one failing message does not spoil the others
                answers.append(_answer_v2(conn, shops[r["business"]], r["text"]))
        except Exception as exc:  # recorded as a miss, never hidden
            answers.append({"intent": "error", "escalated": False, "products": [], "reply": "", "order": None,
                            "error": f"{type(exc).__name__}: {exc}"})

    with_product = top1 = ns_total = ns_ok = asked = asked_top1 = 0
    ret_errors, ns_errors = [], []
    tp = fp = fn = 0
    esc_errors = []
    counts = {label: [0, 0, 0] for label in V2_LABELS}  # tp, fp, fn
    intent_errors: dict[str, list[dict[str, Any]]] = {label: [] for label in V2_LABELS}
    invented = []
    for r, a in zip(rows, answers, strict=True):
        miss = {"business": r["business"], "text": r["text"], "intent": a["intent"], "products": a["products"],
                "escalated": a["escalated"]}
        if r["expect"]:
            with_product += 1
            ok = bool(a["products"]) and a["products"][0] in r["expect"]
            top1 += ok
            if r["intent"] in PRODUCT_QUESTIONS:
                asked += 1
                asked_top1 += ok
            if not ok:
                ret_errors.append(miss | {"expect": r["expect"]})
        if r["intent"] == "not_sold":
            ns_total += 1
            ok = not a["products"] and (a["intent"] in NOT_SOLD_INTENTS or a["escalated"])
            ns_ok += ok
            if not ok:
                ns_errors.append(miss)
        gold_esc, pred_esc = bool(r["escalate"]), bool(a["escalated"])
        tp += gold_esc and pred_esc
        fp += pred_esc and not gold_esc
        fn += gold_esc and not pred_esc
        if gold_esc != pred_esc:
            esc_errors.append(miss | {"gold": gold_esc})
        labels = INTENT_LABELS.get(a["intent"], ())
        gold = r["intent"]
        if gold in labels:
            counts[gold][0] += 1
        else:
            counts[gold][2] += 1
            if labels:
                counts[labels[0]][1] += 1
            intent_errors[gold].append(miss)
        allowed = _allowed_prices(prices[r["business"]], a.get("order"))
        bad = [str(v) for v in prices_in(a["reply"]) if v.quantize(Decimal("0.01")) not in allowed]
        if bad:
            invented.append(miss | {"prices": bad, "reply": a["reply"]})
    per_intent = {label: _pr(*counts[label]) for label in V2_LABELS}
    correct = sum(c[0] for c in counts.values())
    out["retrieval"] = {"n_with_product": with_product, "top1_accuracy": round(top1 / max(with_product, 1), 3),
                        "n_product_questions": asked,
                        "top1_product_questions": round(asked_top1 / max(asked, 1), 3),
                        "n_not_sold": ns_total, "not_sold_accuracy": round(ns_ok / max(ns_total, 1), 3),
                        "errors": ret_errors + ns_errors}
    esc = _pr(tp, fp, fn)
    out["escalation"] = {"n": len(rows), "predictions": len(rows), "precision": esc["precision"],
                         "recall": esc["recall"], "errors": esc_errors}
    out["intents"] = {"n": len(rows), "accuracy": round(correct / max(len(rows), 1), 3),
                      "macro_f1": round(sum(v["f1"] for v in per_intent.values()) / len(V2_LABELS), 3),
                      "per_intent": per_intent, "errors": intent_errors,
                      "mapping": {k: list(v) for k, v in INTENT_LABELS.items()}}
    out["invented_prices"] = {"count": len(invented), "replies_checked": len(rows), "errors": invented}
    out["failures"] = [{"text": r["text"], "error": a["error"]} for r, a in zip(rows, answers, strict=True)
                       if "error" in a]
    return out
