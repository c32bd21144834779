"""M-Pesa payments for plans: start an STK Push (pending subscription row), settle it from the
Daraja callback (idempotent on CheckoutRequestID), and reconcile payments whose callback never came."""

from __future__ import annotations

import logging
import math
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from mtaabot.billing.daraja import DarajaClient, DarajaConfigError, DarajaError, parse_result_code
from mtaabot.billing.plans import get_plan, plan_for_tier
from mtaabot.billing.status import expire_ended_subscriptions, paid_until, sync_business_status
from mtaabot.businesses import get_business
from mtaabot.phones import normalize_ke_msisdn

log = logging.getLogger(__name__)

# Daraja result codes and what an owner should read for them.
FAILURE_REASONS: dict[int, str] = {
    1: "insufficient M-Pesa balance",
    1001: "the phone was busy with another M-Pesa transaction",
    1019: "the payment request expired before it was completed",
    1025: "M-Pesa could not send the payment prompt",
    1032: "cancelled on the phone by the customer",
    1037: "the phone could not be reached (no response in time)",
    2001: "wrong M-Pesa PIN entered",
}
_CHECKOUT_RE = re.compile(r"[\x21-\x7e]{1,255}")
TRANSACTION_DESC = "MtaaBot plan"  # Daraja allows at most 13 characters


class MalformedCallback(ValueError):
    """A callback body that is not a Daraja stkCallback."""


class UnknownCheckout(LookupError):
    """A callback for a CheckoutRequestID that no payment of ours carries."""


@dataclass(frozen=True)
class ParsedCallback:
    checkout_request_id: str
    merchant_request_id: str | None
    result_code: int
    result_desc: str | None
    metadata: dict[str, Any]

    @property
    def receipt(self) -> str | None:
        value = self.metadata.get("MpesaReceiptNumber")
        text = _clean_text(str(value)) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        return text[:255] or None


@dataclass(frozen=True)
class CallbackOutcome:
    outcome: str  # activated | failed | duplicate | receipt_added | held | paid | ... | early
    subscription_id: uuid.UUID | None  # None: kept as an early callback (no payment carries its id yet)
    business_id: uuid.UUID | None
    status: str


@dataclass
class ReconcileReport:
    checked: int = 0
    activated: int = 0
    failed: int = 0
    still_pending: int = 0
    errors: list[str] = field(default_factory=list)
    status_changes: list[dict[str, Any]] = field(default_factory=list)
    orders: dict[str, int] = field(default_factory=dict)  # order prompts settled by the STK query
    held: dict[str, int] = field(default_factory=dict)  # held (mismatched) callbacks confirmed/refuted

    def as_dict(self) -> dict[str, Any]:
        return {"checked": self.checked, "activated": self.activated, "failed": self.failed,
                "still_pending": self.still_pending, "errors": self.errors, "orders": self.orders,
                "held": self.held,
                "status_changes": [{"business_id": str(r["id"]), "status": r["status"]}
                                   for r in self.status_changes]}


def failure_reason(code: int, desc: str | None) -> str:
    return FAILURE_REASONS.get(code, f"M-Pesa result code {code}: {desc or 'no description'}")


def account_reference(business_id: uuid.UUID | str) -> str:
    """Daraja AccountReference (at most 12 characters): `MTB` + the start of the business id."""
    return "MTB" + uuid.UUID(str(business_id)).hex[:9].upper()


def payment_view(row: dict[str, Any]) -> dict[str, Any]:
    """A subscription/payment row as owners and APIs see it (no raw payloads)."""
    return {
        "id": row["id"], "business_id": row["business_id"], "plan": row["plan_tier"],
        "status": row["status"], "amount_kes": row["amount_kes"], "phone": row["phone"],
        "checkout_request_id": row["mpesa_checkout_id"], "receipt": row["mpesa_receipt_number"],
        "starts_at": row["starts_at"], "ends_at": row["ends_at"], "result_code": row["result_code"],
        "result_desc": row["result_desc"], "failure_reason": row["failure_reason"],
        "created_at": row["created_at"], "paid_at": row["paid_at"], "settled_by": row["settled_by"],
    }


def _db_now(conn: psycopg.Connection) -> datetime:
    return conn.execute("SELECT CURRENT_TIMESTAMP AS now").fetchone()["now"]


# -- starting a payment --------------------------------------------------------------------------
def start_payment(conn: psycopg.Connection, business_id: uuid.UUID | str, plan_code: str, phone: str, *,
                  client: DarajaClient | None = None) -> dict[str, Any]:
    """Validate, store a pending subscription row, send the STK Push, record its CheckoutRequestID.

    Commits twice: the pending row before the push (so a fast callback finds it) and the checkout id
    after. If Daraja refuses, the row is kept as failed with the reason and DarajaError is raised."""
    plan = get_plan(plan_code)
    msisdn = normalize_ke_msisdn(phone)
    business = get_business(conn, business_id)
    client = client or DarajaClient.from_env()
    now = _db_now(conn)
    start = paid_until(conn, business["id"], now) or now  # provisional until paid
    row = conn.execute(
        """INSERT INTO subscriptions (business_id, plan_tier, starts_at, ends_at, is_active, status,
                                      amount_kes, phone)
           VALUES (%s, %s, %s, %s, false, 'pending', %s, %s) RETURNING *""",
        (business["id"], plan.code, start, start + timedelta(days=plan.period_days), plan.price_kes, msisdn),
    ).fetchone()
    conn.commit()
    try:
        push = client.stk_push(phone=msisdn, amount=plan.price_kes,
                               account_reference=account_reference(business["id"]), description=TRANSACTION_DESC)
    except (DarajaError, DarajaConfigError) as exc:
        conn.execute(
            """UPDATE subscriptions SET status = 'failed', failure_reason = %s, settled_by = 'push_error',
                   updated_at = CURRENT_TIMESTAMP WHERE id = %s""",
            (str(exc)[:1000], row["id"]),
        )
        conn.commit()
        raise
    row = conn.execute(
        """UPDATE subscriptions SET mpesa_checkout_id = %s, merchant_request_id = %s,
               updated_at = CURRENT_TIMESTAMP WHERE id = %s RETURNING *""",
        (push.checkout_request_id, push.merchant_request_id, row["id"]),
    ).fetchone()
    if apply_early_callback(conn, push.checkout_request_id) is not None:
        row = conn.execute("SELECT * FROM subscriptions WHERE id = %s", (row["id"],)).fetchone()
    conn.commit()
    log.info("STK push sent for business %s plan %s checkout %s", business["id"], plan.code,
             push.checkout_request_id)
    return payment_view(row) | {"customer_message": push.customer_message}


# -- settling ------------------------------------------------------------------------------------
def _activate(conn: psycopg.Connection, sub: dict[str, Any], *, code: int, desc: str | None,
              receipt: str | None, raw: Any, settled_by: str) -> dict[str, Any]:
    """Mark a payment paid. The period starts at the end of the current paid period (early renewal)
    or now, and lasts the plan's period."""
    bid = sub["business_id"]
    now = _db_now(conn)
    expire_ended_subscriptions(conn, bid, now)  # same lock order as the gate: subscriptions, then business
    conn.execute("SELECT id FROM businesses WHERE id = %s FOR UPDATE", (bid,))  # one period sum at a time
    start = paid_until(conn, bid, now) or now
    plan = plan_for_tier(sub["plan_tier"])
    row = conn.execute(
        """UPDATE subscriptions SET status = 'active', is_active = true, starts_at = %s, ends_at = %s,
               mpesa_receipt_number = coalesce(%s, mpesa_receipt_number), result_code = %s, result_desc = %s,
               raw_callback = coalesce(%s, raw_callback), failure_reason = NULL, paid_at = %s,
               settled_by = %s, updated_at = CURRENT_TIMESTAMP
           WHERE id = %s RETURNING *""",
        (start, start + timedelta(days=plan.period_days), receipt, code, desc,
         Jsonb(raw) if raw is not None else None, now, settled_by, sub["id"]),
    ).fetchone()
    sync_business_status(conn, bid, now)
    return row


def _fail(conn: psycopg.Connection, sub: dict[str, Any], *, code: int, desc: str | None, raw: Any,
          settled_by: str) -> dict[str, Any]:
    return conn.execute(
        """UPDATE subscriptions SET status = 'failed', is_active = false, result_code = %s, result_desc = %s,
               failure_reason = %s, raw_callback = coalesce(%s, raw_callback), settled_by = %s,
               updated_at = CURRENT_TIMESTAMP
           WHERE id = %s RETURNING *""",
        (code, desc, failure_reason(code, desc), Jsonb(raw) if raw is not None else None, settled_by, sub["id"]),
    ).fetchone()


# -- callback ------------------------------------------------------------------------------------
def _clean_text(text: str) -> str:
    """Text PostgreSQL can store: valid UTF-8, no NUL."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, dict):
        return {_clean_text(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # json.loads accepts NaN/Infinity; PostgreSQL JSON does not
    return value


def parse_callback(payload: Any) -> ParsedCallback:
    """Read `Body.stkCallback`; metadata items by Name. MalformedCallback says what is wrong."""
    if not isinstance(payload, dict):
        raise MalformedCallback("body is not a JSON object")
    body = payload.get("Body")
    stk = body.get("stkCallback") if isinstance(body, dict) else None
    if not isinstance(stk, dict):
        raise MalformedCallback("Body.stkCallback is missing")
    checkout = stk.get("CheckoutRequestID")
    if not isinstance(checkout, str) or not _CHECKOUT_RE.fullmatch(checkout):
        raise MalformedCallback("CheckoutRequestID is missing or invalid")
    code = parse_result_code(stk.get("ResultCode"))
    if code is None:
        raise MalformedCallback("ResultCode is missing or not a number")
    desc = stk.get("ResultDesc")
    merchant = stk.get("MerchantRequestID")
    metadata: dict[str, Any] = {}
    items = stk.get("CallbackMetadata", {})
    items = items.get("Item", []) if isinstance(items, dict) else []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("Name"), str):
            metadata[_clean_text(item["Name"])] = item.get("Value")
    return ParsedCallback(
        checkout_request_id=checkout,
        merchant_request_id=_clean_text(merchant)[:255] if isinstance(merchant, str) else None,
        result_code=code,
        result_desc=_clean_text(str(desc))[:1000] if isinstance(desc, (str, int, float)) else None,
        metadata=metadata,
    )


def handle_callback(conn: psycopg.Connection, payload: Any, *, remote_addr: str | None = None,
                    keep_early: bool = True) -> CallbackOutcome:
    """Apply one Daraja STK callback inside the caller's transaction (the caller commits).

    Raises MalformedCallback without changing anything. A repeated callback (also two at once: the row is
    locked) changes nothing but is logged in `mpesa_callbacks`. A callback for a CheckoutRequestID no payment
    carries yet is kept in `mpesa_early_callbacks` (outcome "early") and applied by `apply_early_callback`
    when the push's answer is stored; with `keep_early=False` it raises UnknownCheckout instead."""
    parsed = parse_callback(payload)
    try:
        raw = _clean(payload)
    except RecursionError as exc:
        raise MalformedCallback("body is nested too deeply") from exc
    _lock_checkout(conn, parsed.checkout_request_id)
    sub = conn.execute("SELECT * FROM subscriptions WHERE mpesa_checkout_id = %s FOR UPDATE",
                       (parsed.checkout_request_id,)).fetchone()
    if sub is None:
        from mtaabot.orders.checkout import handle_order_callback

        settled = handle_order_callback(conn, parsed.checkout_request_id, parsed.result_code, parsed.result_desc,
                                        parsed.metadata, parsed.receipt, raw, remote_addr)
        if settled is None:
            if not keep_early:
                raise UnknownCheckout(f"no payment with CheckoutRequestID {parsed.checkout_request_id}")
            _keep_early(conn, parsed.checkout_request_id, raw, remote_addr)
            return CallbackOutcome("early", None, None, "early")
        outcome, payment = settled
        log.info("M-Pesa order callback %s for checkout %s: result %s", outcome, parsed.checkout_request_id,
                 parsed.result_code)
        return CallbackOutcome(outcome, payment["id"], payment["business_id"], outcome)
    code, desc = parsed.result_code, parsed.result_desc
    paid = _paid_amount(parsed.metadata)
    mismatch = callback_mismatch(paid, sub["amount_kes"], parsed.metadata.get("PhoneNumber"), sub["phone"])
    if code == 0 and sub["status"] == "pending" and mismatch:
        row, outcome = _hold(conn, sub, code=code, desc=desc, paid=paid, reason=mismatch, raw=raw), "held"
    elif code == 0 and sub["status"] == "held" and mismatch:
        row, outcome = sub, "duplicate"  # still held: only the STK query decides
    elif sub["status"] == "pending" or (code == 0 and sub["status"] in ("failed", "cancelled", "held")):
        if code == 0:
            row, outcome = _activate(conn, sub, code=code, desc=desc, receipt=parsed.receipt, raw=raw,
                                     settled_by="callback"), "activated"
        else:
            row, outcome = _fail(conn, sub, code=code, desc=desc, raw=raw, settled_by="callback"), "failed"
    elif code == 0 and sub["status"] == "active" and sub["mpesa_receipt_number"] is None and parsed.receipt:
        # settled earlier by reconciliation (the STK query has no receipt): the callback brings it
        row = conn.execute(
            """UPDATE subscriptions SET mpesa_receipt_number = %s, raw_callback = %s,
                   updated_at = CURRENT_TIMESTAMP WHERE id = %s RETURNING *""",
            (parsed.receipt, Jsonb(raw), sub["id"]),
        ).fetchone()
        outcome = "receipt_added"
    else:
        row, outcome = sub, "duplicate"
    conn.execute(
        """INSERT INTO mpesa_callbacks (business_id, subscription_id, checkout_request_id, result_code,
                                        outcome, payload, remote_addr)
           VALUES (%s, %s, %s, %s, %s, %s, %s)""",
        (sub["business_id"], sub["id"], parsed.checkout_request_id, code, outcome, Jsonb(raw),
         (remote_addr or "")[:64] or None),
    )
    log.info("M-Pesa callback %s for checkout %s: result %s -> %s", outcome, parsed.checkout_request_id,
             code, row["status"])
    return CallbackOutcome(outcome, sub["id"], sub["business_id"], row["status"])


# -- callbacks that come before their payment is known ------------------------------------------------
EARLY_CALLBACK_DAYS = 2  # an early callback no payment claimed by then is dropped (logged when kept)


def _lock_checkout(conn: psycopg.Connection, checkout_request_id: str) -> None:
    """One callback and one storing of a push's answer per CheckoutRequestID at a time (transaction lock), so an
    early callback is either seen by the storing or sees the stored id: never both missed."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 7))", (checkout_request_id,))


def _keep_early(conn: psycopg.Connection, checkout_request_id: str, raw: Any, remote_addr: str | None) -> None:
    conn.execute("DELETE FROM mpesa_early_callbacks WHERE received_at < CURRENT_TIMESTAMP - make_interval(days => %s)",
                 (EARLY_CALLBACK_DAYS,))
    conn.execute(
        """INSERT INTO mpesa_early_callbacks (checkout_request_id, payload, remote_addr) VALUES (%s, %s, %s)
           ON CONFLICT (checkout_request_id) DO NOTHING""",
        (checkout_request_id, Jsonb(raw), (remote_addr or "")[:64] or None))
    log.warning("M-Pesa callback for checkout %s came before its payment was stored: kept to apply then",
                checkout_request_id)


def apply_early_callback(conn: psycopg.Connection, checkout_request_id: str) -> CallbackOutcome | None:
    """Call in the transaction that stores a push's CheckoutRequestID on its payment, right after storing it:
    applies (and removes) a callback that arrived first. None when there was none."""
    _lock_checkout(conn, checkout_request_id)
    early = conn.execute("DELETE FROM mpesa_early_callbacks WHERE checkout_request_id = %s RETURNING *",
                         (checkout_request_id,)).fetchone()
    if early is None:
        return None
    log.info("applying the early M-Pesa callback for checkout %s", checkout_request_id)
    return handle_callback(conn, early["payload"], remote_addr=early["remote_addr"], keep_early=False)


def _paid_amount(metadata: dict[str, Any]) -> Decimal | None:
    value = metadata.get("Amount")
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return None
    return amount if amount.is_finite() else None


def callback_mismatch(paid: Decimal | None, asked: Any, callback_phone: Any, asked_phone: str | None) -> str | None:
    """Why a success callback does not prove the payment that was asked for (None when it does): the Amount
    must equal what the STK push asked, and the PhoneNumber (when the callback carries a plain one; Safaricom
    masks it in some products) must be the number prompted."""
    if paid is None:
        return "the callback carries no Amount"
    if asked is not None and paid != Decimal(str(asked)):
        return f"the callback says KES {paid:,.2f} was paid, KES {Decimal(str(asked)):,.2f} was asked"
    if asked_phone and isinstance(callback_phone, (int, str)) and not isinstance(callback_phone, bool):
        digits = str(callback_phone).strip()
        if digits.isdigit():
            try:
                if normalize_ke_msisdn(digits) != normalize_ke_msisdn(asked_phone):
                    return "the callback's PhoneNumber is not the number that was prompted"
            except ValueError:
                return "the callback's PhoneNumber is not a Kenyan mobile number"
    return None


def _hold(conn: psycopg.Connection, sub: dict[str, Any], *, code: int, desc: str | None, paid: Decimal | None,
          reason: str, raw: Any) -> dict[str, Any]:
    """A success callback that does not match what was asked: held (not active, not failed) until the Daraja
    STK query confirms or refutes it (`confirm_held`); the callback's receipt is kept only in `raw_callback`.
    The owner is told it is being checked."""
    from mtaabot.notifications import notify

    row = conn.execute(
        """UPDATE subscriptions SET status = 'held', is_active = false, result_code = %s, result_desc = %s,
               paid_amount_kes = %s, held_reason = %s, failure_reason = NULL, raw_callback = %s,
               settled_by = 'callback', updated_at = CURRENT_TIMESTAMP
           WHERE id = %s RETURNING *""",
        (code, desc, paid, reason[:500], Jsonb(raw), sub["id"])).fetchone()
    log.warning("M-Pesa callback for checkout %s held: %s", sub["mpesa_checkout_id"], reason)
    from mtaabot.owners.alerts import lang_of_owners, say
    from mtaabot.owners.registry import owner_phones

    lang = lang_of_owners(conn, sub["business_id"], owner_phones(conn, str(sub["business_id"])))
    if paid is None:
        why = say("held_no_amount", lang)
    elif paid != Decimal(str(sub["amount_kes"])):
        why = say("held_amount", lang, paid=f"KES {paid:,.0f}")
    else:
        why = say("held_phone", lang)
    notify(conn, sub["business_id"], "billing",  # in the owner's language
           say("plan_held", lang, plan=sub["plan_tier"], amount=f"KES {sub['amount_kes']:,}", reason=why))
    return row


def confirm_held(conn: psycopg.Connection, *, client: DarajaClient | None = None,
                 checkout_request_id: str | None = None, limit: int = 200) -> dict[str, int]:
    """Ask M-Pesa (STK query) about held plan and order payments; commits after each one settled.

    The STK push amount and phone were fixed by us, so M-Pesa confirming the CheckoutRequestID means exactly
    what was asked was paid: activate (or mark the order paid). M-Pesa saying it failed means the callback
    was not genuine: the payment fails. Still processing or unreachable: stays held for the next run."""
    counts = {"checked": 0, "confirmed": 0, "refuted": 0, "still_held": 0, "errors": 0}
    held = conn.execute(
        """SELECT 'subscription' AS kind, id, mpesa_checkout_id FROM subscriptions
           WHERE status = 'held' AND mpesa_checkout_id IS NOT NULL AND (%(c)s::text IS NULL OR mpesa_checkout_id = %(c)s)
           UNION ALL
           SELECT 'order' AS kind, id, mpesa_checkout_id FROM order_payments
           WHERE status = 'held' AND mpesa_checkout_id IS NOT NULL AND (%(c)s::text IS NULL OR mpesa_checkout_id = %(c)s)
           LIMIT %(n)s""", {"c": checkout_request_id, "n": limit}).fetchall()
    conn.commit()
    for item in held:
        counts["checked"] += 1
        try:
            client = client or DarajaClient.from_env()
            result = client.stk_query(item["mpesa_checkout_id"])
        except (DarajaError, DarajaConfigError) as exc:
            log.info("STK query for held %s not answered: %s", item["mpesa_checkout_id"], type(exc).__name__)
            counts["errors"] += 1
            continue
        if result.state == "pending":
            counts["still_held"] += 1
            continue
        if item["kind"] == "order":
            from mtaabot.orders.checkout import settle

            payment = conn.execute("SELECT * FROM order_payments WHERE id = %s FOR UPDATE", (item["id"],)).fetchone()
            if payment["status"] != "held":
                conn.commit()
                continue
            settle(conn, payment, code=0 if result.state == "success" else (result.result_code or -1),
                   desc=result.result_desc, amount=Decimal(payment["amount_kes"]) if result.state == "success"
                   else None, receipt=None, raw=None, source="reconcile")
        else:
            sub = conn.execute("SELECT * FROM subscriptions WHERE id = %s FOR UPDATE", (item["id"],)).fetchone()
            if sub["status"] != "held":
                conn.commit()
                continue
            if result.state == "success":
                _activate(conn, sub, code=0, desc=result.result_desc, receipt=None, raw=None, settled_by="reconcile")
                conn.execute("UPDATE subscriptions SET paid_amount_kes = amount_kes WHERE id = %s", (sub["id"],))
            else:
                _fail(conn, sub, code=result.result_code or -1, desc=result.result_desc, raw=None,
                      settled_by="reconcile")
                conn.execute(
                    """UPDATE subscriptions SET failure_reason = %s WHERE id = %s""",
                    (f"M-Pesa does not confirm the payment the callback reported ({sub['held_reason']}); "
                     f"{failure_reason(result.result_code or -1, result.result_desc)}"[:1000], sub["id"]))
        counts["confirmed" if result.state == "success" else "refuted"] += 1
        log.info("held payment %s %s by the STK query", item["mpesa_checkout_id"],
                 "confirmed" if result.state == "success" else "refuted")
        conn.commit()
    return counts


def confirm_held_soon(checkout_request_id: str) -> threading.Thread:
    """Right after a callback was held: ask M-Pesa in a background thread (the callback's answer does not
    wait for Daraja). Best effort: whatever is not settled here, `billing reconcile` settles later."""
    from mtaabot.logsetup import current_request_id, request_context

    request_id = current_request_id()

    def run() -> None:
        from mtaabot.db import connection

        with request_context(request_id):
            try:
                with connection() as conn:
                    confirm_held(conn, checkout_request_id=checkout_request_id)
            except Exception:  # noqa: BLE001 - reconciliation retries it
                log.warning("confirming held payment %s failed; billing reconcile retries", checkout_request_id,
                            exc_info=True)

    thread = threading.Thread(target=run, name="mpesa-confirm-held", daemon=True)
    thread.start()
    return thread


# Safaricom's published Daraja callback source addresses (Daraja "Go live" documentation). `MPESA_ALLOWED_IPS=
# safaricom` stands for this list; check it against Safaricom's current list before relying on it.
SAFARICOM_CALLBACK_IPS = ("196.201.214.200", "196.201.214.206", "196.201.213.114", "196.201.214.207",
                          "196.201.214.208", "196.201.213.44", "196.201.212.127", "196.201.212.138",
                          "196.201.212.129", "196.201.212.136", "196.201.212.74", "196.201.212.69")


def allowed_callback_networks(entries: list[str]) -> list[str]:
    """MPESA_ALLOWED_IPS entries with the word `safaricom` expanded to SAFARICOM_CALLBACK_IPS."""
    out: list[str] = []
    for entry in entries:
        out.extend(SAFARICOM_CALLBACK_IPS if entry.strip().lower() == "safaricom" else [entry.strip()])
    return out


def _underpaid(conn: psycopg.Connection, sub: dict[str, Any], *, code: int, desc: str | None, paid: Decimal | None,
               receipt: str | None, raw: Any) -> dict[str, Any]:
    """M-Pesa says paid, but less than the plan costs (or no amount at all): recorded, never activated;
    the owner is told what arrived and what is missing."""
    from mtaabot.notifications import notify

    row = conn.execute(
        """UPDATE subscriptions SET status = 'underpaid', is_active = false, result_code = %s, result_desc = %s,
               paid_amount_kes = %s, mpesa_receipt_number = coalesce(%s, mpesa_receipt_number),
               failure_reason = %s, raw_callback = %s, settled_by = 'callback', updated_at = CURRENT_TIMESTAMP
           WHERE id = %s RETURNING *""",
        (code, desc, paid, receipt, f"paid KES {paid or 0:,.0f} of KES {sub['amount_kes']:,}", Jsonb(raw), sub["id"]),
    ).fetchone()
    from mtaabot.owners.alerts import lang_of_owners, say
    from mtaabot.owners.registry import owner_phones

    lang = lang_of_owners(conn, sub["business_id"], owner_phones(conn, str(sub["business_id"])))
    notify(conn, sub["business_id"], "billing",  # in the owner's language
           say("plan_underpaid", lang, paid=f"KES {paid or 0:,.0f}", plan=sub["plan_tier"],
               price=f"KES {sub['amount_kes']:,}", receipt=receipt or say("receipt_none", lang)))
    return row


# -- reconciliation ------------------------------------------------------------------------------
def reconcile(conn: psycopg.Connection, *, older_than_minutes: float = 5, client: DarajaClient | None = None,
              limit: int = 500) -> ReconcileReport:
    """Settle payments still pending after `older_than_minutes` with the STK query; also expire ended
    periods and bring every business's status up to date. Commits after each settled payment.

    The query carries no receipt number: a payment settled here stays without receipt until a
    (late) callback brings it. Payments still being processed are left pending."""
    report = ReconcileReport()
    report.status_changes = sync_business_status(conn)
    conn.commit()
    pending = conn.execute(
        """SELECT id, mpesa_checkout_id FROM subscriptions
           WHERE status = 'pending' AND created_at < CURRENT_TIMESTAMP - make_interval(secs => %s)
           ORDER BY created_at LIMIT %s""",
        (float(older_than_minutes) * 60, limit),
    ).fetchall()
    conn.commit()
    for item in pending:
        report.checked += 1
        result = None
        if item["mpesa_checkout_id"]:
            try:
                client = client or DarajaClient.from_env()
                result = client.stk_query(item["mpesa_checkout_id"])
            except (DarajaError, DarajaConfigError) as exc:
                report.errors.append(f"{item['mpesa_checkout_id']}: {exc}")
                continue
            if result.state == "pending":
                report.still_pending += 1
                continue
        sub = conn.execute("SELECT * FROM subscriptions WHERE id = %s FOR UPDATE", (item["id"],)).fetchone()
        if sub is None or sub["status"] != "pending":
            conn.commit()  # a callback settled it meanwhile
            continue
        if result is None:
            conn.execute(
                """UPDATE subscriptions SET status = 'failed', settled_by = 'reconcile',
                       failure_reason = 'the payment request never reached M-Pesa',
                       updated_at = CURRENT_TIMESTAMP WHERE id = %s""", (sub["id"],))
            report.failed += 1
        elif result.state == "success":
            _activate(conn, sub, code=0, desc=result.result_desc, receipt=None, raw=None, settled_by="reconcile")
            report.activated += 1
        else:
            _fail(conn, sub, code=result.result_code or -1, desc=result.result_desc, raw=None,
                  settled_by="reconcile")
            report.failed += 1
        conn.commit()
    report.held = confirm_held(conn, client=client)  # callbacks that did not match what was asked
    report.status_changes += sync_business_status(conn)
    conn.commit()
    from mtaabot.orders.checkout import reconcile_prompts  # shops' order prompts share the same Daraja

    report.orders = reconcile_prompts(conn, older_than_minutes=older_than_minutes, client=client)
    conn.commit()
    return report


def settle_one_by_query(conn: psycopg.Connection, business_id: uuid.UUID | str, checkout_request_id: str, *,
                        client: DarajaClient | None = None) -> dict[str, Any] | None:
    """Ask M-Pesa (STK query) about one of this business's pending payments and settle it when M-Pesa has
    an answer (the owner watching the payment on the dashboard need not wait for the callback or the
    10-minute reconcile). Returns the payment row (None when it is not this business's); a payment still
    being processed, or a query that fails, stays pending. Commits when it settles."""
    sub = conn.execute("SELECT * FROM subscriptions WHERE business_id = %s AND mpesa_checkout_id = %s",
                       (str(business_id), checkout_request_id)).fetchone()
    if sub is None or sub["status"] != "pending":
        return sub
    try:
        result = (client or DarajaClient.from_env()).stk_query(checkout_request_id)
    except (DarajaError, DarajaConfigError) as exc:
        log.info("STK query for %s not answered: %s", checkout_request_id, type(exc).__name__)
        return sub
    if result.state == "pending":
        return sub
    sub = conn.execute("SELECT * FROM subscriptions WHERE id = %s FOR UPDATE", (sub["id"],)).fetchone()
    if sub["status"] != "pending":  # a callback settled it meanwhile
        conn.commit()
        return sub
    if result.state == "success":
        row = _activate(conn, sub, code=0, desc=result.result_desc, receipt=None, raw=None, settled_by="reconcile")
    else:
        row = _fail(conn, sub, code=result.result_code or -1, desc=result.result_desc, raw=None,
                    settled_by="reconcile")
    conn.commit()
    return row


# -- reading -------------------------------------------------------------------------------------
def list_payments(conn: psycopg.Connection, business_id: uuid.UUID | str, limit: int = 20) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT * FROM subscriptions WHERE business_id = %s ORDER BY created_at DESC, starts_at DESC LIMIT %s",
        (str(business_id), limit),
    ).fetchall()
    return [payment_view(r) for r in rows]
