"""Checkout: a shop's payment settings (its own till or paybill) and M-Pesa prompts for orders.

The engine only *queues* a prompt (an `order_payments` row) inside the chat transaction; the worker's
payment loop sends the STK Push outside any transaction and retries while Daraja is down; the
callback (same endpoint and hardening as subscription payments) settles it: full amount -> order
paid, stock decremented, receipt to the customer, owner told; anything else -> the customer is told
and can retry ("lipa tena").
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from mtaabot.businesses import InvalidBusiness
from mtaabot.config import get_settings
from mtaabot.phones import InvalidPhone, normalize_ke_msisdn

PAYMENTS_CHANNEL = "mtaabot_order_payments"

_SHORTCODE = re.compile(r"[0-9]{5,10}")
_ACCOUNT = re.compile(r"[A-Za-z0-9 _-]{1,12}")


def set_payment_settings(conn: psycopg.Connection, business_id: uuid.UUID | str, *, till: str | None = None,
                         paybill: str | None = None, account: str | None = None,
                         store_number: str | None = None) -> dict[str, Any]:
    """Record how this shop's customers pay: `till` (Buy Goods) or `paybill` + `account`.

    InvalidBusiness with a readable reason for a bad combination or value."""
    if bool(till) == bool(paybill):
        raise InvalidBusiness("give exactly one of --till or --paybill")
    code = (till or paybill or "").strip()
    if not _SHORTCODE.fullmatch(code):
        raise InvalidBusiness(f"{code!r} is not a till or paybill number (5 to 10 digits)")
    if paybill and not (account and _ACCOUNT.fullmatch(account.strip())):
        raise InvalidBusiness("a paybill needs --account: the account reference customers pay to "
                              "(1-12 letters, digits, spaces, - or _)")
    if till and account:
        raise InvalidBusiness("--account is only for a paybill; a till has no account number")
    if store_number is not None and not _SHORTCODE.fullmatch(store_number.strip()):
        raise InvalidBusiness(f"{store_number!r} is not a store number (5 to 10 digits)")
    return conn.execute(
        """INSERT INTO business_payment_settings (business_id, method, shortcode, store_number, account_reference)
           VALUES (%s, %s, %s, %s, %s)
           ON CONFLICT (business_id) DO UPDATE SET method = EXCLUDED.method, shortcode = EXCLUDED.shortcode,
               store_number = EXCLUDED.store_number, account_reference = EXCLUDED.account_reference,
               updated_at = CURRENT_TIMESTAMP
           RETURNING *""",
        (str(business_id), "till" if till else "paybill", code, store_number.strip() if store_number else None,
         account.strip() if account and paybill else None)).fetchone()


def payment_settings(conn: psycopg.Connection, business_id: uuid.UUID | str) -> dict[str, Any] | None:
    return conn.execute("SELECT * FROM business_payment_settings WHERE business_id = %s",
                        (str(business_id),)).fetchone()


def payee_text(settings: dict[str, Any]) -> str:
    """How the customer recognises the shop's account on their M-Pesa prompt."""
    if settings["method"] == "till":
        return f"Till {settings['shortcode']}"
    return f"Paybill {settings['shortcode']}, account {settings['account_reference']}"


def prompts_enabled() -> bool:
    """True when M-Pesa prompts can be sent (platform Daraja credentials and callback configured)."""
    s = get_settings()
    return bool(s.mpesa_consumer_key and s.mpesa_consumer_secret and s.mpesa_passkey and s.mpesa_callback_url
                and (s.mpesa_callback_token or "/mpesa/callback/" in (s.mpesa_callback_url or "")))


def customer_msisdn(conv: dict[str, Any]) -> str | None:
    """The customer's own number in 2547…/2541… form, when WhatsApp gave us one that is Kenyan."""
    for candidate in (conv.get("customer_wa_id"), conv.get("customer_phone")):
        if candidate and str(candidate).isdigit():
            try:
                return normalize_ke_msisdn(str(candidate))
            except InvalidPhone:
                continue
    return None


def display_phone(msisdn: str) -> str:
    """2547XXXXXXXX -> 07XX XXX XXX with the middle hidden, as customers read their own number."""
    local = "0" + msisdn[3:]
    return f"{local[:4]}…{local[-3:]}"


def account_reference_for(order: dict[str, Any], settings: dict[str, Any]) -> str:
    if settings["method"] == "paybill":
        return settings["account_reference"][:12]
    return f"ORDER{order['number']}"[:12]


def queue_prompt(conn: psycopg.Connection, order: dict[str, Any], phone: str) -> dict[str, Any]:
    """Queue one STK prompt for exactly what is left to pay on the order now (its total, less a part the owner has
    recorded as received; older unanswered prompts are superseded). Runs inside the chat transaction; the worker
    sends it."""
    from mtaabot.orders.store import balance_due

    settings = payment_settings(conn, order["business_id"])
    if settings is None:
        raise ValueError("this shop has no till or paybill")
    conn.execute("""UPDATE order_payments SET status = 'superseded', updated_at = CURRENT_TIMESTAMP
                    WHERE order_id = %s AND status = 'queued'""", (order["id"],))
    conn.execute("UPDATE orders SET payment_phone = %s WHERE id = %s", (phone, order["id"]))
    row = conn.execute(
        """INSERT INTO order_payments (business_id, order_id, amount_kes, phone, transaction_type, party_b,
                                       account_reference)
           VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING *""",
        (order["business_id"], order["id"], balance_due(order), phone,
         "CustomerBuyGoodsOnline" if settings["method"] == "till" else "CustomerPayBillOnline",
         settings["shortcode"], account_reference_for(order, settings))).fetchone()
    conn.execute(f"NOTIFY {PAYMENTS_CHANNEL}")
    return row


# -- sending prompts (worker) ----------------------------------------------------------------------
MAX_PUSH_ATTEMPTS = 6
PUSH_LEASE_SECONDS = 60
ORDER_DESC = "Shop order"  # Daraja allows at most 13 characters


def claim_prompt(conn: psycopg.Connection) -> dict[str, Any] | None:
    """Lease one due queued prompt and commit the lease (so the HTTP call runs outside a transaction).
    A lease that expired (a worker died mid-call) makes the row due again."""
    with conn.transaction():
        return conn.execute(
            """UPDATE order_payments p SET attempts = p.attempts + 1, updated_at = CURRENT_TIMESTAMP,
                   locked_until = clock_timestamp() + make_interval(secs => %s)
               WHERE p.id = (SELECT id FROM order_payments
                             WHERE status = 'queued' AND next_attempt_at <= clock_timestamp()
                               AND (locked_until IS NULL OR locked_until < clock_timestamp())
                             ORDER BY next_attempt_at FOR UPDATE SKIP LOCKED LIMIT 1)
               RETURNING p.*""", (PUSH_LEASE_SECONDS,)).fetchone()


def send_prompt(conn: psycopg.Connection, payment: dict[str, Any], client: Any = None) -> str:
    """Send one claimed prompt; 'pending' (accepted by M-Pesa), 'retry' (M-Pesa down) or 'failed'."""
    from mtaabot.billing.daraja import DarajaClient, DarajaConfigError, DarajaError
    from mtaabot.billing.payments import apply_early_callback

    try:
        client = client or DarajaClient.from_env()
        push = client.stk_push(phone=payment["phone"], amount=payment["amount_kes"],
                               account_reference=payment["account_reference"], description=ORDER_DESC,
                               transaction_type=payment["transaction_type"], party_b=payment["party_b"])
    except (DarajaError, DarajaConfigError) as exc:
        with conn.transaction():
            row = conn.execute("SELECT status FROM order_payments WHERE id = %s FOR UPDATE", (payment["id"],)).fetchone()
            if row["status"] != "queued":
                return row["status"]
            if payment["attempts"] >= MAX_PUSH_ATTEMPTS or isinstance(exc, DarajaConfigError):
                _give_up(conn, payment, str(exc))
                return "failed"
            conn.execute(
                """UPDATE order_payments SET failure_reason = %s, locked_until = NULL, updated_at = CURRENT_TIMESTAMP,
                       next_attempt_at = clock_timestamp() + make_interval(secs => %s) WHERE id = %s""",
                (str(exc)[:500], min(300, 5 * 2 ** payment["attempts"]), payment["id"]))
        return "retry"
    with conn.transaction():
        conn.execute(
            """UPDATE order_payments SET status = CASE WHEN status = 'queued' THEN 'pending' ELSE status END,
                   mpesa_checkout_id = %s, merchant_request_id = %s, locked_until = NULL, failure_reason = NULL,
                   updated_at = CURRENT_TIMESTAMP WHERE id = %s""",
            (push.checkout_request_id, push.merchant_request_id, payment["id"]))
        apply_early_callback(conn, push.checkout_request_id)
    return "pending"


def _give_up(conn: psycopg.Connection, payment: dict[str, Any], reason: str) -> None:
    """M-Pesa could not be reached after every retry: the order stays, the customer can say "lipa tena"."""
    from mtaabot.orders import store, texts

    conn.execute("""UPDATE order_payments SET status = 'failed', failure_reason = %s, locked_until = NULL,
                        settled_at = CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP WHERE id = %s""",
                 (reason[:500], payment["id"]))
    order = store.get_order(conn, payment["business_id"], payment["order_id"], lock=True)
    if order["status"] == "awaiting_payment":
        store.set_status(conn, order["business_id"], order["id"], "payment_failed", actor="system",
                         reason="M-Pesa could not be reached")
    tell_customer(conn, order, texts.say("mpesa_down", customer_language(conn, order), number=order["number"]),
                  "order_payment_failed")


def send_due_prompts(conn: psycopg.Connection, client: Any = None, limit: int = 20) -> dict[str, int]:
    """Send every due prompt (used by the worker loop and by `mtaabot ask`). Returns counts by outcome."""
    counts: dict[str, int] = {}
    for _ in range(limit):
        payment = claim_prompt(conn)
        if payment is None:
            break
        outcome = send_prompt(conn, payment, client)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


# -- telling the customer --------------------------------------------------------------------------
def customer_language(conn: psycopg.Connection, order: dict[str, Any]) -> str:
    row = conn.execute(
        """SELECT detected_language FROM messages WHERE conversation_id = %s AND role = 'user'
           AND detected_language IS NOT NULL ORDER BY created_at DESC LIMIT 1""",
        (order["conversation_id"],)).fetchone()
    return row["detected_language"] if row else "SWA"


def tell_customer(conn: psycopg.Connection, order: dict[str, Any], text: str, intent: str) -> None:
    """A system message to the order's customer through the outbox (same transaction as the change)."""
    from mtaabot.orders.context import named_as_booking
    from mtaabot.whatsapp.outbox import enqueue_reply, store_bot_message

    row = store_bot_message(conn, business_id=order["business_id"], conversation_id=order["conversation_id"],
                            text=named_as_booking(order, text), author="system", intent=intent[:30])
    enqueue_reply(conn, row["id"])


def tell_owner_change(conn: psycopg.Connection, order: dict[str, Any], status: str) -> None:
    """The customer hears what the owner did to their order: payment seen (cash, or an M-Pesa message the owner
    checked), handed over, or cancelled. Without it the chat went quiet and "where is my order?" got a guess."""
    from mtaabot.orders import store, texts
    from mtaabot.reply_builder import format_price

    key = {"paid": "owner_paid", "fulfilled": "owner_fulfilled", "cancelled": "owner_cancelled"}.get(status)
    if key is None or order.get("conversation_id") is None:
        return
    lang = customer_language(conn, order)
    amount = format_price(store.amount_due(order["total_kes"]))
    if status == "cancelled" and (order["status"] == "paid" or store.paid_so_far(order) > 0):
        # their money (all of it, or the part received) is owed back: said, not left to ask
        key, amount = "owner_cancelled_paid", format_price(order["paid_amount_kes"] or order["total_kes"])
    elif status == "cancelled" and (said := store.money_in(conn, order)) > 0:
        key, amount = "owner_cancelled_claimed", format_price(said)  # paid, they say: the refund is the owner's to check
    tell_customer(conn, order, texts.say(key, lang, number=order["number"], amount=amount), f"order_{status}")


# -- settling (Daraja callback / reconciliation) ---------------------------------------------------
def _amount(metadata: dict[str, Any]) -> Decimal | None:
    value = metadata.get("Amount")
    if isinstance(value, bool) or value is None:
        return None
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError):
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def settle(conn: psycopg.Connection, payment: dict[str, Any], *, code: int, desc: str | None,
           amount: Decimal | None, receipt: str | None, raw: Any, source: str) -> str:
    """Apply a final M-Pesa result to a locked prompt row and its order. Returns the callback outcome:
    paid | underpaid | failed | duplicate."""
    from mtaabot.orders import store, texts
    from mtaabot.owners import order_alerts
    from mtaabot.reply_builder import format_price

    if payment["status"] in ("paid", "underpaid", "failed") and payment["settled_at"] is not None:
        return "duplicate"
    order = store.get_order(conn, payment["business_id"], payment["order_id"], lock=True)
    lang = customer_language(conn, order)
    due = format_price(payment["amount_kes"])
    if code == 0 and (amount is None or amount < payment["amount_kes"]):
        conn.execute(
            """UPDATE order_payments SET status = 'underpaid', result_code = %s, result_desc = %s, paid_amount_kes = %s,
                   mpesa_receipt_number = %s, raw_callback = %s, settled_at = CURRENT_TIMESTAMP,
                   updated_at = CURRENT_TIMESTAMP WHERE id = %s""",
            (code, desc, amount, receipt, Jsonb(raw) if raw is not None else None, payment["id"]))
        paid_text = format_price(amount or 0)
        if order["status"] == "awaiting_payment":
            store.set_status(conn, order["business_id"], order["id"], "payment_failed", actor="mpesa",
                             reason=f"paid {paid_text} of {due}")
        order_alerts.mpesa_underpaid(conn, order, paid=paid_text, due=due, receipt=receipt)
        tell_customer(conn, order, texts.say("underpaid", lang, paid=paid_text, amount=due, number=order["number"]),
                      "order_underpaid")
        return "underpaid"
    if code == 0:
        conn.execute(
            """UPDATE order_payments SET status = 'paid', result_code = 0, result_desc = %s, paid_amount_kes = %s,
                   mpesa_receipt_number = %s, raw_callback = coalesce(%s, raw_callback), settled_at = CURRENT_TIMESTAMP,
                   updated_at = CURRENT_TIMESTAMP WHERE id = %s""",
            (desc, amount, receipt, Jsonb(raw) if raw is not None else None, payment["id"]))
        if order["status"] in ("paid", "fulfilled", "cancelled"):
            order_alerts.mpesa_paid_again(conn, order, due=due, receipt=receipt)
            return "paid"
        if order["status"] == "draft":  # a late payment for a cart that was reopened: it still counts
            conn.execute("UPDATE orders SET status = 'awaiting_payment' WHERE id = %s", (order["id"],))
        conn.execute("UPDATE orders SET paid_amount_kes = %s, mpesa_receipt_number = %s WHERE id = %s",
                     (store.paid_so_far(order) + (amount or 0), receipt, order["id"]))  # after a part: the whole
        short = store.stock_short(conn, order)  # the paid-for things the shop no longer has enough of
        store.set_status(conn, order["business_id"], order["id"], "paid", actor="mpesa")
        conn.execute("""UPDATE order_payments SET status = 'superseded', updated_at = CURRENT_TIMESTAMP
                        WHERE order_id = %s AND id <> %s AND status IN ('queued', 'pending')""",
                     (order["id"], payment["id"]))
        order_alerts.mpesa_paid(conn, order, due=due, receipt=receipt, short=short)
        tell_customer(conn, order, texts.say("paid", lang, amount=due, number=order["number"],
                                             receipt=receipt or "—", next=texts.say("paid_next", lang)),
                      "order_receipt")
        return "paid"
    conn.execute(
        """UPDATE order_payments SET status = 'failed', result_code = %s, result_desc = %s,
               raw_callback = coalesce(%s, raw_callback), settled_at = CURRENT_TIMESTAMP,
               updated_at = CURRENT_TIMESTAMP WHERE id = %s""",
        (code, desc, Jsonb(raw) if raw is not None else None, payment["id"]))
    others = conn.execute("""SELECT 1 FROM order_payments WHERE order_id = %s AND id <> %s
                             AND status IN ('queued', 'pending')""", (order["id"], payment["id"])).fetchone()
    if order["status"] == "awaiting_payment" and not others and payment["status"] != "superseded":
        store.set_status(conn, order["business_id"], order["id"], "payment_failed", actor="mpesa",
                         reason=f"M-Pesa result {code}: {desc or ''}"[:300])
        tell_customer(conn, order, texts.say("pay_failed", lang, number=order["number"],
                                             reason=texts.failure_text(code, lang)), "order_payment_failed")
    return "failed"


def hold(conn: psycopg.Connection, payment: dict[str, Any], *, code: int, desc: str | None,
         amount: Decimal | None, reason: str, raw: Any) -> str:
    """A success callback that does not match the prompt (amount or phone): the prompt is held, the order is
    not paid and keeps waiting, the owner is told; `billing.payments.confirm_held` asks M-Pesa (STK query)
    and then settles it. Returns 'held' (or 'duplicate' when it is already held)."""
    from mtaabot.orders import store
    from mtaabot.owners import order_alerts

    if payment["status"] == "held":
        return "duplicate"
    conn.execute(
        """UPDATE order_payments SET status = 'held', held_reason = %s, result_code = %s, result_desc = %s,
               paid_amount_kes = %s, raw_callback = %s, updated_at = CURRENT_TIMESTAMP WHERE id = %s""",
        (reason[:500], code, desc, amount, Jsonb(raw) if raw is not None else None, payment["id"]))
    order = store.get_order(conn, payment["business_id"], payment["order_id"], lock=True)
    order_alerts.mpesa_held(conn, order, asked=payment["amount_kes"], paid=amount)
    return "held"


def handle_order_callback(conn: psycopg.Connection, checkout_request_id: str, code: int, desc: str | None,
                          metadata: dict[str, Any], receipt: str | None, raw: Any,
                          remote_addr: str | None) -> tuple[str, dict[str, Any]] | None:
    """Settle an order prompt from its Daraja callback (caller's transaction). None when no order prompt
    carries this CheckoutRequestID. Every callback is logged in `mpesa_callbacks`."""
    payment = conn.execute("SELECT * FROM order_payments WHERE mpesa_checkout_id = %s FOR UPDATE",
                           (checkout_request_id,)).fetchone()
    if payment is None:
        return None
    from mtaabot.billing.payments import callback_mismatch

    amount = _amount(metadata)
    mismatch = callback_mismatch(amount, payment["amount_kes"], metadata.get("PhoneNumber"), payment["phone"])
    if code == 0 and mismatch and payment["status"] in ("pending", "queued", "held", "superseded"):
        outcome = hold(conn, payment, code=code, desc=desc, amount=amount, reason=mismatch, raw=raw)
    else:
        outcome = settle(conn, payment, code=code, desc=desc, amount=amount, receipt=receipt, raw=raw,
                         source="callback")
    conn.execute(
        """INSERT INTO mpesa_callbacks (business_id, order_payment_id, checkout_request_id, result_code, outcome,
                                        payload, remote_addr)
           VALUES (%s, %s, %s, %s, %s, %s, %s)""",
        (payment["business_id"], payment["id"], checkout_request_id, code, outcome, Jsonb(raw),
         (remote_addr or "")[:64] or None))
    return outcome, payment


def reconcile_prompts(conn: psycopg.Connection, *, older_than_minutes: float = 5, client: Any = None,
                      limit: int = 200) -> dict[str, int]:
    """Ask M-Pesa about prompts whose callback never came; commits after each one settled."""
    from mtaabot.billing.daraja import DarajaClient, DarajaConfigError, DarajaError

    counts = {"checked": 0, "paid": 0, "failed": 0, "still_pending": 0, "errors": 0}
    rows = conn.execute(
        """SELECT id, mpesa_checkout_id FROM order_payments WHERE status = 'pending' AND mpesa_checkout_id IS NOT NULL
           AND updated_at < CURRENT_TIMESTAMP - make_interval(secs => %s) ORDER BY updated_at LIMIT %s""",
        (float(older_than_minutes) * 60, limit)).fetchall()
    conn.commit()
    for item in rows:
        counts["checked"] += 1
        try:
            client = client or DarajaClient.from_env()
            result = client.stk_query(item["mpesa_checkout_id"])
        except (DarajaError, DarajaConfigError):
            counts["errors"] += 1
            continue
        if result.state == "pending":
            counts["still_pending"] += 1
            continue
        payment = conn.execute("SELECT * FROM order_payments WHERE id = %s FOR UPDATE", (item["id"],)).fetchone()
        if payment["status"] != "pending":
            conn.commit()
            continue
        # The prompt's amount is fixed by us and the query does not carry it: success = that amount.
        outcome = settle(conn, payment, code=result.result_code if result.state == "failed" else 0,
                         desc=result.result_desc, amount=Decimal(payment["amount_kes"]) if result.state == "success"
                         else None, receipt=None, raw=None, source="reconcile")
        counts["paid" if outcome == "paid" else "failed"] += 1
        conn.commit()
    return counts
