"""The shop's own records, read and changed directly (not the dbt marts), always scoped by business: escalated
inbox, transcripts, hand-back, owner replies, products editing and CSV upload, payment history, WhatsApp
connection."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg
from pydantic import ValidationError

from mtaabot import conversations, products
from mtaabot.whatsapp.outbox import enqueue_owner_reply

log = logging.getLogger(__name__)


def escalated_inbox(conn: psycopg.Connection, business_id: str, limit: int = 100) -> list[dict[str, Any]]:
    """Escalated conversations, newest first, with the customer's last message as a preview."""
    return conn.execute(
        """SELECT c.id, c.customer_name, c.customer_phone, c.escalated_at, c.escalation_reason,
                  c.last_message_at, last.content AS last_customer_text
           FROM conversations c
           LEFT JOIN LATERAL (
               -- the chat's messages newest first through (conversation_id, created_at) (migration 0410); the
               -- chat is this business's (c.business_id above), so no business_id test here: with one, the
               -- planner intersected a 1.3M-row business index per chat at 10M messages (10 s per page)
               SELECT m.content FROM messages m
               WHERE m.conversation_id = c.id AND m.role = 'user'
               ORDER BY m.created_at DESC LIMIT 1) last ON true
           WHERE c.business_id = %s AND c.status = 'human_escalated'
           ORDER BY c.escalated_at DESC NULLS LAST, c.last_message_at DESC
           LIMIT %s""",
        (business_id, limit),
    ).fetchall()


def escalated_count(conn: psycopg.Connection, business_id: str) -> int:
    row = conn.execute("SELECT count(*) AS n FROM conversations WHERE business_id = %s AND status = 'human_escalated'",
                       (business_id,)).fetchone()
    return int(row["n"])


def conversation_transcript(conn: psycopg.Connection, business_id: str, conversation_id: str,
                            last: int = 60) -> tuple[list[dict[str, Any]], int]:
    """The chat's latest `last` messages in order, and how many it has in all
    (([], 0) when the conversation is not this business's)."""
    if conversations.get_conversation(conn, business_id, conversation_id) is None:
        return [], 0
    rows = conn.execute(
        """SELECT id, role, author, content, message_type, detected_language, confidence_score, created_at,
                  delivery_status, count(*) OVER () AS total
           FROM messages WHERE conversation_id = %s AND business_id = %s
           ORDER BY created_at DESC, id DESC LIMIT %s""",
        (conversation_id, business_id, last),
    ).fetchall()
    total = int(rows[0]["total"]) if rows else 0
    return rows[::-1], total


def hand_back(conn: psycopg.Connection, business_id: str, conversation_id: str) -> bool:
    """Return an escalated chat to the bot; committed here. False when it is not this business's."""
    if conversations.get_conversation(conn, business_id, conversation_id) is None:
        return False
    done = conversations.hand_back(conn, business_id, conversation_id)
    conn.commit()
    return done


def send_owner_reply(conn: psycopg.Connection, business_id: str, conversation_id: str, text: str) -> Any:
    """Queue the owner's typed message for WhatsApp through the outbox's one rule, with the 24-hour window
    required; committed here. Raises OwnerReplyRefused (`reason`: empty, too_long, not_this_shop,
    window_closed), which the page shows in the owner's language."""
    result = enqueue_owner_reply(conn, business_id, conversation_id, text, require_open_window=True)
    conn.commit()
    return result


def whatsapp_connected(conn: psycopg.Connection, business_id: str) -> bool:
    row = conn.execute("SELECT whatsapp_phone_number_id FROM api_configs WHERE business_id = %s",
                       (business_id,)).fetchone()
    return bool(row and row["whatsapp_phone_number_id"])


def message_count(conn: psycopg.Connection, business_id: str) -> int:
    """Whether the shop has any messages at all (for the 'connect WhatsApp' empty state)."""
    row = conn.execute("SELECT count(*) AS n FROM (SELECT 1 FROM messages WHERE business_id = %s LIMIT 1) s",
                       (business_id,)).fetchone()
    return int(row["n"])


# ---- products -------------------------------------------------------------------------------

EDITABLE = ("price", "is_available")
MAX_CSV_BYTES = 5_000_000


@dataclass
class EditOutcome:
    saved: list[str]
    errors: list[dict[str, str]]


def product_rows(conn: psycopg.Connection, business_id: str) -> list[dict[str, Any]]:
    return [
        {"id": str(p["id"]), "name": p["name"], "price": float(p["price"]), "currency": p["currency"],
         "is_available": bool(p["is_available"]), "description": p["description"] or ""}
        for p in products.list_products(conn, business_id)
    ]


def save_product_edits(conn: psycopg.Connection, business_id: str,
                       edits: dict[str, dict[str, Any]]) -> EditOutcome:
    """Apply {product_id: {price?, is_available?}}; each product saved or reported on its own."""
    outcome = EditOutcome(saved=[], errors=[])
    for product_id, changes in edits.items():
        changes = {k: v for k, v in changes.items() if k in EDITABLE}
        if not changes:
            continue
        if "price" in changes and changes["price"] is not None:
            changes["price"] = Decimal(str(changes["price"]))
        current = products.get_product(conn, business_id, product_id)
        name = current["name"] if current else str(product_id)
        try:
            with conn.transaction():
                row = products.update_product(conn, business_id, product_id, changes)
        except ValidationError as exc:
            msg = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            outcome.errors.append({"product": name, "error": msg})
            continue
        except psycopg.Error as exc:
            outcome.errors.append({"product": name, "error": f"not saved: {exc.diag.message_primary}"})
            continue
        if row is None:
            outcome.errors.append({"product": name, "error": "not a product of this shop"})
        else:
            outcome.saved.append(row["name"])
    conn.commit()
    return outcome


def import_products(conn: psycopg.Connection, business_id: str, data: bytes | str) -> products.ImportReport:
    """Import an uploaded catalogue CSV; good rows saved, bad rows reported with their line."""
    if len(data) > MAX_CSV_BYTES:
        report = products.ImportReport()
        report.errors.append({"line": 1, "error": f"the file is larger than {MAX_CSV_BYTES // 1_000_000} MB; "
                              "split it into smaller files"})
        return report
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            report = products.ImportReport()
            report.errors.append({"line": 1, "error": "the file is not UTF-8 text; save it as 'CSV UTF-8'"})
            return report
    else:
        text = data
    report = products.import_csv(conn, business_id, text)
    conn.commit()
    return report


# ---- billing --------------------------------------------------------------------------------

def payment_history(conn: psycopg.Connection, business_id: str) -> list[dict[str, Any]]:
    """Subscription periods and M-Pesa payments (with receipts), newest first."""
    rows = conn.execute(
        "SELECT * FROM subscriptions WHERE business_id = %s ORDER BY starts_at DESC LIMIT 100",
        (business_id,),
    ).fetchall()
    return [
        {"date": r.get("paid_at") or r.get("created_at") or r["starts_at"], "plan": r["plan_tier"],
         "amount_kes": r.get("amount_kes"), "status": r.get("status") or ("active" if r["is_active"] else "ended"),
         "receipt": r["mpesa_receipt_number"], "period_start": r["starts_at"], "period_end": r["ends_at"],
         "checkout_id": r["mpesa_checkout_id"], "note": r.get("failure_reason") or r.get("result_desc")}
        for r in rows
    ]


def owner_phone(conn: psycopg.Connection, business_id: str) -> str:
    row = conn.execute("SELECT owner_phone FROM businesses WHERE id = %s", (business_id,)).fetchone()
    return (row and row["owner_phone"]) or ""
