"""Paying for a plan with M-Pesa from the dashboard (Billing page and onboarding): start an STK push
through the billing package, then follow the payment until M-Pesa confirms or refuses it.

Outcomes carry a catalogue key and its fields (`mtaabot/data/dashboard_text.toml`), so the page shows
them in the owner's language."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import psycopg

from mtaabot.phones import InvalidPhone, normalize_ke_msisdn

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenewOutcome:
    ok: bool
    key: str  # catalogue key of the message to show
    fields: dict[str, Any] = field(default_factory=dict)
    checkout_id: str | None = None


def plan_choices() -> list[dict[str, Any]]:
    """Paid plans with price and quota (from the billing package's single source of plans)."""
    from mtaabot.billing.plans import PLANS

    return [p.as_dict() for p in PLANS.values()]


def start_renewal(conn: psycopg.Connection, business_id: str, plan: str, phone: str) -> RenewOutcome:
    """Send the M-Pesa prompt to `phone` for `plan`; the outcome says what the owner should do next."""
    try:
        msisdn = normalize_ke_msisdn(phone)
    except InvalidPhone:
        return RenewOutcome(False, "billing.bad_phone")
    from mtaabot.billing import payments

    try:
        result = payments.start_payment(conn, business_id, plan, msisdn)
    except Exception as exc:  # noqa: BLE001 - any failure is shown to the owner, never a crash page
        conn.rollback()
        log.warning("renewal for %s failed: %s", business_id, type(exc).__name__)
        return RenewOutcome(False, "billing.not_started", {"error": _short(exc)})
    checkout = result.get("checkout_request_id")
    return RenewOutcome(True, "billing.check_phone", {"phone": msisdn}, checkout)


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]


def payment_status(conn: psycopg.Connection, business_id: str, checkout_id: str) -> dict[str, Any] | None:
    """The payment started with this CheckoutRequestID (this business's only)."""
    return conn.execute("SELECT * FROM subscriptions WHERE business_id = %s AND mpesa_checkout_id = %s",
                        (business_id, checkout_id)).fetchone()


def follow_payment(conn: psycopg.Connection, business_id: str, checkout_id: str) -> dict[str, Any] | None:
    """The payment as it stands now; a pending one is asked about at M-Pesa (STK query) and settled when
    M-Pesa has the answer. None when it is not this business's."""
    from mtaabot.billing import payments

    row = payment_status(conn, business_id, checkout_id)
    if row is None or row["status"] != "pending":
        return row
    return payments.settle_one_by_query(conn, business_id, checkout_id)


def failure_key(row: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Catalogue key and fields for why a payment failed (Daraja's result code, in the owner's language)."""
    code = row.get("result_code")
    if code in (1, 1001, 1019, 1025, 1032, 1037, 2001):
        return f"mpesa_reason.{code}", {}
    return "mpesa_reason.other", {"desc": row.get("result_desc") or row.get("failure_reason") or "—"}
