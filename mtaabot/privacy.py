"""Customers' data rights under the Kenya Data Protection Act 2019: export (s.26 access, s.38 portability)
and erasure (s.40) of everything one shop holds about one customer; never another shop's data.

`export_customer` gathers the customer's conversation(s), every message in them, their orders with items
and payment prompts, price offers, and the owner notifications about them. `erase_customer` anonymises all
of it irreversibly in place so analytics keep their counts (messages keep role, author, language, tokens,
intent and time; orders keep totals and status) while text, raw payloads and identity are gone: message
text becomes "[erased]", payloads NULL, the conversation's phone/BSUID/name are replaced by a random key,
order notes/locations/phones and M-Pesa callback bodies cleared, owner notices and alerts about the
customer blanked. Both are recorded in `audit_log` (who, what, when, counts: never the data).
Nothing here commits.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

import psycopg

from mtaabot.operator import audit
from mtaabot.phones import InvalidPhone, normalize_ke_msisdn

ERASED = "[erased]"


class PrivacyError(LookupError):
    """No data about that customer in that shop (or an unusable customer reference)."""


def customer_refs(customer: str) -> list[str]:
    """The values a customer may be stored under: the number as given and normalised, or a BSUID as is."""
    raw = (customer or "").strip()
    if not raw:
        raise PrivacyError("--customer is empty: give the customer's phone number (07…, 2547…) or BSUID")
    refs = {raw}
    try:
        refs.add(normalize_ke_msisdn(raw))
    except InvalidPhone:
        digits = raw.lstrip("+").replace(" ", "")
        if digits.isdigit():
            refs.add(digits)  # a foreign number: stored as its E.164 digits
    return sorted(refs)


def find_conversations(conn: psycopg.Connection, business_id: uuid.UUID | str, customer: str) -> list[dict[str, Any]]:
    refs = customer_refs(customer)
    return conn.execute(
        """SELECT * FROM conversations WHERE business_id = %s AND erased_at IS NULL
             AND (customer_phone = ANY(%s) OR customer_wa_id = ANY(%s) OR customer_bsuid = ANY(%s))
           ORDER BY created_at""",
        (str(business_id), refs, refs, refs)).fetchall()


def _no_data(conn: psycopg.Connection, business_id: Any, customer: str) -> PrivacyError:
    name = conn.execute("SELECT name FROM businesses WHERE id = %s", (str(business_id),)).fetchone()
    return PrivacyError(f"{name['name'] if name else 'this shop'} holds no data about customer {customer!r} "
                        "(no conversation under that number or BSUID; an erased customer is not found again)")


def export_customer(conn: psycopg.Connection, business_id: uuid.UUID | str, customer: str,
                    actor: str | None = None) -> dict[str, Any]:
    """Everything `business_id` holds about `customer`, as plain JSON-ready data; audited."""
    bid = str(business_id)
    convs = find_conversations(conn, bid, customer)
    if not convs:
        raise _no_data(conn, bid, customer)
    shop = conn.execute("SELECT id, name FROM businesses WHERE id = %s", (bid,)).fetchone()
    ids = [c["id"] for c in convs]
    messages = conn.execute(
        """SELECT id, conversation_id, created_at, role, author, message_type, content, payload, detected_language,
                  intent, delivery_status, wamid
           FROM messages WHERE business_id = %s AND conversation_id = ANY(%s) ORDER BY created_at, id""",
        (bid, ids)).fetchall()
    orders = conn.execute(
        """SELECT id, number, conversation_id, status, kind, source, fulfilment, delivery_location, customer_note,
                  booking_at, total_kes, confirmed_total_kes, payment_phone, paid_amount_kes, mpesa_receipt_number,
                  created_at, confirmed_at, paid_at, fulfilled_at, cancelled_at
           FROM orders WHERE business_id = %s AND conversation_id = ANY(%s) ORDER BY created_at""",
        (bid, ids)).fetchall()
    order_ids = [o["id"] for o in orders]
    items = conn.execute(
        """SELECT order_id, product_id, name, quantity, unit_price, variant FROM order_items
           WHERE business_id = %s AND order_id = ANY(%s)
           ORDER BY created_at, name, length(coalesce(variant, '')), variant""", (bid, order_ids)).fetchall()
    payments = conn.execute(
        """SELECT order_id, status, amount_kes, phone, mpesa_receipt_number, result_desc, created_at
           FROM order_payments WHERE business_id = %s AND order_id = ANY(%s) ORDER BY created_at""",
        (bid, order_ids)).fetchall()
    for order in orders:
        order["items"] = [i for i in items if i["order_id"] == order["id"]]
        order["payments"] = [p for p in payments if p["order_id"] == order["id"]]
    notifications = conn.execute(
        """SELECT kind, body, created_at FROM notifications
           WHERE business_id = %s AND (conversation_id = ANY(%s) OR order_id = ANY(%s)) ORDER BY created_at""",
        (bid, ids, order_ids)).fetchall()
    offers = conn.execute(
        """SELECT o.product_id, p.name, o.price, o.expires_at FROM price_offers o JOIN products p ON p.id = o.product_id
           WHERE o.business_id = %s AND o.conversation_id = ANY(%s)""", (bid, ids)).fetchall()
    audit(conn, "privacy_export", business_id=bid, subject=",".join(str(i) for i in ids)[:100],
          detail={"conversations": len(convs), "messages": len(messages), "orders": len(orders)}, actor=actor)
    return {
        "business": {"id": shop["id"], "name": shop["name"]},
        "customer": {"phone": next((c["customer_wa_id"] for c in convs if c["customer_wa_id"]), None),
                     "bsuid": next((c["customer_bsuid"] for c in convs if c["customer_bsuid"]), None),
                     "name": next((c["customer_name"] for c in convs if c["customer_name"]), None),
                     "opted_out": any(c["opted_out"] for c in convs)},
        "conversations": [{k: c[k] for k in ("id", "customer_phone", "status", "created_at", "last_message_at",
                                              "escalated_at", "escalation_reason")} for c in convs],
        "messages": messages,
        "orders": orders,
        "price_offers": offers,
        "notifications": notifications,
    }


def erase_customer(conn: psycopg.Connection, business_id: uuid.UUID | str, customer: str,
                   actor: str | None = None) -> dict[str, int]:
    """Irreversibly anonymise everything `business_id` holds about `customer` (see module docstring).
    Returns the counts changed; audited. Raises PrivacyError when there is nothing to erase."""
    bid = str(business_id)
    convs = find_conversations(conn, bid, customer)
    if not convs:
        raise _no_data(conn, bid, customer)
    return erase_conversations(conn, bid, [c["id"] for c in convs], actor=actor)


def erase_conversations(conn: psycopg.Connection, business_id: str, conversation_ids: list[Any],
                        actor: str | None = None, action: str = "privacy_erase",
                        keep_address: bool = False) -> dict[str, int]:
    """Anonymise these conversations of one shop. `keep_address`: the customer's WhatsApp address stays until
    the last message to them (the erasure confirmation) is out; `complete_erasures` then removes it."""
    bid = str(business_id)
    ids = [str(i) for i in conversation_ids]
    refs = conn.execute(
        """SELECT customer_phone, customer_wa_id, customer_bsuid FROM conversations
           WHERE business_id = %s AND id = ANY(%s::uuid[]) FOR UPDATE""", (bid, ids)).fetchall()
    identities = sorted({v for r in refs for v in r.values() if v})
    counts: dict[str, int] = {}
    # Owner-chat messages that carried alerts about this customer (the alert text quotes them).
    counts["owner_alerts"] = conn.execute(
        """WITH a AS (UPDATE owner_alerts SET body = %s WHERE business_id = %s AND conversation_id = ANY(%s::uuid[])
                      RETURNING message_id)
           UPDATE messages SET content = %s, payload = NULL, changed_xid = pg_current_xact_id()
           WHERE id IN (SELECT message_id FROM a WHERE message_id IS NOT NULL)""",
        (ERASED, bid, ids, ERASED)).rowcount
    counts["messages"] = conn.execute(
        """UPDATE messages SET content = %s, payload = NULL, changed_xid = pg_current_xact_id()
           WHERE business_id = %s AND conversation_id = ANY(%s::uuid[])""", (ERASED, bid, ids)).rowcount
    orders = [r["id"] for r in conn.execute(
        """UPDATE orders SET delivery_location = NULL, customer_note = NULL, payment_phone = NULL,
               failure_reason = NULL, updated_at = CURRENT_TIMESTAMP
           WHERE business_id = %s AND conversation_id = ANY(%s::uuid[]) RETURNING id""", (bid, ids)).fetchall()]
    counts["orders"] = len(orders)
    payments = [r["id"] for r in conn.execute(
        """UPDATE order_payments SET phone = 'erased', raw_callback = NULL, result_desc = NULL
           WHERE business_id = %s AND order_id = ANY(%s) RETURNING id""", (bid, orders)).fetchall()]
    conn.execute("UPDATE mpesa_callbacks SET payload = '{}'::jsonb, remote_addr = NULL WHERE order_payment_id = ANY(%s)",
                 (payments,))
    counts["notifications"] = conn.execute(
        """UPDATE notifications SET body = %s
           WHERE business_id = %s AND (conversation_id = ANY(%s::uuid[]) OR order_id = ANY(%s))""",
        (ERASED, bid, ids, orders)).rowcount
    conn.execute("DELETE FROM price_offers WHERE business_id = %s AND conversation_id = ANY(%s::uuid[])", (bid, ids))
    # Raw webhook bodies kept for debugging that mention this customer.
    for ident in identities:
        conn.execute(
            """UPDATE webhook_unprocessed SET payload = NULL
               WHERE (business_id = %s OR business_id IS NULL) AND payload IS NOT NULL
                 AND strpos(payload::text, %s) > 0""", (bid, f'"{ident}"'))
    for cid in ids:
        if keep_address:
            conn.execute("""UPDATE conversations SET customer_name = NULL, erased_at = CURRENT_TIMESTAMP,
                                erasure_requested_at = NULL WHERE id = %s""", (cid,))
        else:
            _forget_identity(conn, cid)
    counts["conversations"] = len(ids)
    audit(conn, action, business_id=bid, subject=",".join(ids)[:100], detail=counts, actor=actor)
    return counts


def _forget_identity(conn: psycopg.Connection, conversation_id: Any, prefix: str = "erased:") -> None:
    conn.execute(
        """UPDATE conversations SET customer_phone = %s, customer_bsuid = NULL, customer_wa_id = NULL,
               customer_name = NULL, erased_at = coalesce(erased_at, CURRENT_TIMESTAMP), erasure_requested_at = NULL,
               opted_out = true, status = CASE WHEN status = 'human_escalated' THEN 'closed' ELSE status END
           WHERE id = %s""",
        (prefix + secrets.token_hex(6), str(conversation_id)))


def complete_erasures(conn: psycopg.Connection, grace_minutes: int = 60) -> int:
    """Remove the WhatsApp address of chats erased on the customer's own request once nothing is waiting to be
    sent to them (or after `grace_minutes`). Returns how many were completed."""
    rows = conn.execute(
        """SELECT c.id, c.business_id FROM conversations c
           WHERE c.erased_at IS NOT NULL AND c.customer_phone NOT LIKE 'erased:%%'
             AND c.customer_phone NOT LIKE 'expired:%%'
             AND (c.erased_at < CURRENT_TIMESTAMP - make_interval(mins => %s)
                  OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.conversation_id = c.id
                                 AND o.status IN ('pending', 'sending')))
           FOR UPDATE OF c SKIP LOCKED""", (grace_minutes,)).fetchall()
    for row in rows:
        # anything the customer wrote after confirming is erased too
        conn.execute("""UPDATE messages SET content = %s, payload = NULL, changed_xid = pg_current_xact_id()
                        WHERE conversation_id = %s AND role = 'user' AND content <> %s""",
                     (ERASED, row["id"], ERASED))
        _forget_identity(conn, row["id"])
        audit(conn, "privacy_erase_completed", business_id=row["business_id"], subject=str(row["id"]),
              actor="customer")
    return len(rows)
