"""`mtaabot business create|list|connect-whatsapp|rotate-key`."""

from __future__ import annotations

import click

from mtaabot import businesses
from mtaabot.cli.common import db_connection, echo_json


@click.group("business")
def business() -> None:
    """Create and configure shops."""


@business.command("create")
@click.option("--name", required=True)
@click.option("--tone", type=click.Choice(businesses.TONES), default="mtaa", show_default=True)
@click.option("--whatsapp-number", required=True, help="The shop's WhatsApp number, e.g. 0711000001.")
@click.option("--location")
@click.option("--hours", "opening_hours", help='Opening hours, e.g. "Mon-Sat 7am-9pm".')
@click.option("--owner-phone", help="Where escalation notices go.")
def create(name: str, tone: str, whatsapp_number: str, location: str | None, opening_hours: str | None,
           owner_phone: str | None) -> None:
    """Create a business on a 14-day trial; prints JSON with its id and API key (shown only once)."""
    with db_connection() as conn:
        row = businesses.create_business(conn, name=name, tone=tone, whatsapp_number=whatsapp_number,
                                         location=location, opening_hours=opening_hours, owner_phone=owner_phone)
    echo_json({k: row[k] for k in ("id", "name", "tone", "whatsapp_number", "location", "status",
                                   "trial_ends_at", "api_key")})


@business.command("list")
def list_() -> None:
    """All businesses (JSON lines)."""
    with db_connection() as conn:
        for row in businesses.list_businesses(conn):
            echo_json({k: row[k] for k in ("id", "name", "tone", "whatsapp_number", "location", "status")})


@business.command("connect-whatsapp")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.option("--phone-number-id", required=True, help="Cloud API phone number id from Meta.")
@click.option("--access-token", default=None,
              help="System-user access token. Safer: '-' reads it from stdin, or leave it out to use "
                   "WHATSAPP_ACCESS_TOKEN or a hidden prompt (an argument is visible in `ps` and shell history).")
@click.option("--verify-token", default=None,
              help="Webhook verify token you chose in the Meta app ('-' reads it from stdin, after the access "
                   "token when both are '-'; left out: WHATSAPP_VERIFY_TOKEN or a hidden prompt).")
def connect_whatsapp(business_ref: str, phone_number_id: str, access_token: str | None,
                     verify_token: str | None) -> None:
    """Fill api_configs so the webhook routes this number to the business (the token is stored encrypted)."""
    from mtaabot.cli.secretinput import read_secret
    from mtaabot.config import get_settings

    settings = get_settings()
    token = read_secret(access_token, what="WhatsApp access token", option="--access-token",
                        env_name="WHATSAPP_ACCESS_TOKEN", env_value=settings.whatsapp_access_token)
    verify = read_secret(verify_token, what="Webhook verify token", option="--verify-token",
                         env_name="WHATSAPP_VERIFY_TOKEN", env_value=settings.whatsapp_verify_token)
    with db_connection() as conn:
        row = businesses.resolve_business(conn, business_ref)
        businesses.connect_whatsapp(conn, row["id"], phone_number_id=phone_number_id,
                                    access_token=token, verify_token=verify)
    echo_json({"id": row["id"], "name": row["name"], "phone_number_id": phone_number_id, "connected": True})


@business.command("rotate-key")
@click.option("--business", "business_ref", required=True)
def rotate_key(business_ref: str) -> None:
    """Issue a new API key (the old one stops working)."""
    with db_connection() as conn:
        row = businesses.resolve_business(conn, business_ref)
        key = businesses.rotate_api_key(conn, row["id"])
    echo_json({"id": row["id"], "api_key": key})


COMMANDS = [business]
