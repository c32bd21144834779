"""`mtaabot billing pay|reconcile|status|plans`: M-Pesa STK Push subscriptions from the command line."""

from __future__ import annotations

import click

from mtaabot.cli.common import db_connection, echo_json


@click.group("billing")
def billing() -> None:
    """Plans, M-Pesa payments and reconciliation."""


@billing.command("plans")
def plans_cmd() -> None:
    """List the plans (price in KES, monthly AI-reply quota) and the trial."""
    from mtaabot.billing.plans import PLANS, TRIAL

    echo_json({"plans": [p.as_dict() for p in PLANS.values()], "trial": TRIAL.as_dict()})


@billing.command("pay")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.option("--plan", "plan_code", required=True, help="lite, pro or enterprise.")
@click.option("--phone", required=True, help="M-Pesa number that pays: 07…, 01…, +254… or 254….")
def pay(business_ref: str, plan_code: str, phone: str) -> None:
    """Send an M-Pesa STK Push for PLAN; prints the pending payment (settled by callback or reconcile)."""
    from mtaabot import businesses
    from mtaabot.billing.payments import start_payment

    with db_connection() as conn:
        business = businesses.resolve_business(conn, business_ref)
        echo_json(start_payment(conn, business["id"], plan_code, phone))


@billing.command("reconcile")
@click.option("--older-than-minutes", default=5.0, show_default=True, type=click.FloatRange(min=0),
              help="Only query payments pending for longer than this.")
def reconcile_cmd(older_than_minutes: float) -> None:
    """Query M-Pesa for stuck payments and settle them; expire ended periods; refresh statuses."""
    from mtaabot.billing.payments import reconcile

    with db_connection() as conn:
        echo_json(reconcile(conn, older_than_minutes=older_than_minutes).as_dict())


@billing.command("status")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
def status_cmd(business_ref: str) -> None:
    """Plan, status, period end, days left, AI replies used and recent payments of one business."""
    from mtaabot import businesses
    from mtaabot.billing.summary import billing_summary

    with db_connection() as conn:
        business = businesses.resolve_business(conn, business_ref)
        echo_json(billing_summary(conn, business["id"]))


COMMANDS = [billing]
