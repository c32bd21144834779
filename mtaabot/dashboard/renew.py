"""'Renew with M-Pesa' from the dashboard: start an STK push through the billing package and report it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import psycopg

from mtaabot.phones import InvalidPhone, normalize_ke_msisdn

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenewOutcome:
    ok: bool
    message: str
    checkout_id: str | None = None


def plan_choices() -> list[dict[str, Any]]:
    """Paid plans with price and quota (from the billing package's single source of plans)."""
    try:
        from mtaabot.billing.plans import PLANS
    except ImportError:
        return [{"code": "lite", "name": "Lite", "price_kes": 999, "monthly_ai_replies": 1_000},
                {"code": "pro", "name": "Pro", "price_kes": 2_999, "monthly_ai_replies": 10_000},
                {"code": "enterprise", "name": "Enterprise", "price_kes": 9_999, "monthly_ai_replies": 100_000}]
    return [p.as_dict() for p in PLANS.values()]


def start_renewal(conn: psycopg.Connection, business_id: str, plan: str, phone: str) -> RenewOutcome:
    """Send the M-Pesa prompt to `phone` for `plan`; the outcome says what the owner should do next."""
    try:
        msisdn = normalize_ke_msisdn(phone)
    except InvalidPhone as exc:
        return RenewOutcome(False, f"{exc} · Namba ya simu si sahihi")
    try:
        from mtaabot.billing import payments
    except ImportError:
        return RenewOutcome(False, "M-Pesa payments are not available on this install yet.")
    try:
        result = payments.start_payment(conn, business_id, plan, msisdn)
    except Exception as exc:  # noqa: BLE001 - any failure is shown to the owner, never a crash page
        conn.rollback()
        log.warning("renewal for %s failed: %s", business_id, type(exc).__name__)
        return RenewOutcome(False, f"Could not start the M-Pesa payment: {exc} · Malipo hayakuanza, jaribu tena.")
    checkout = _get(result, "checkout_request_id") or _get(result, "mpesa_checkout_id")
    return RenewOutcome(True, f"Check your phone ({msisdn}) and enter your M-Pesa PIN to pay · "
                              "Angalia simu yako uweke PIN ya M-Pesa.", checkout)


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def payment_status(conn: psycopg.Connection, business_id: str, checkout_id: str) -> dict[str, Any] | None:
    """The payment started with this CheckoutRequestID (this business's only)."""
    return conn.execute("SELECT * FROM subscriptions WHERE business_id = %s AND mpesa_checkout_id = %s",
                        (business_id, checkout_id)).fetchone()
