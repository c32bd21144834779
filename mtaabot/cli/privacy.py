"""`mtaabot privacy export|erase`: a customer's rights of access and erasure, for one shop."""

from __future__ import annotations

import click

from mtaabot import businesses, privacy
from mtaabot.cli.common import db_connection, dumps, echo_json


@click.group("privacy")
def privacy_group() -> None:
    """Customers' data rights (Kenya Data Protection Act 2019): export and erase."""


@privacy_group.command("export")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.option("--customer", required=True, help="The customer's phone number (07…, 2547…) or WhatsApp BSUID.")
def export(business_ref: str, customer: str) -> None:
    """Everything this shop holds about the customer, as one JSON document on stdout (audited)."""
    with db_connection() as conn:
        shop = businesses.resolve_business(conn, business_ref)
        data = privacy.export_customer(conn, shop["id"], customer)
    click.echo(dumps(data))


@privacy_group.command("erase")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.option("--customer", required=True, help="The customer's phone number (07…, 2547…) or WhatsApp BSUID.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(business_ref: str, customer: str, yes: bool) -> None:
    """Irreversibly erase the customer's messages, payloads and identity in this shop (analytics keep counts)."""
    with db_connection() as conn:
        shop = businesses.resolve_business(conn, business_ref)
        convs = privacy.find_conversations(conn, shop["id"], customer)
        if not convs:
            raise privacy._no_data(conn, shop["id"], customer)
        n = conn.execute("SELECT count(*) AS n FROM messages WHERE conversation_id = ANY(%s)",
                         ([c["id"] for c in convs],)).fetchone()["n"]
        if not yes:
            click.confirm(f"Erase {n} message(s) and the identity of customer {customer} in {shop['name']}? "
                          "This cannot be undone", abort=True, err=True)
        counts = privacy.erase_customer(conn, shop["id"], customer)
    echo_json({"business": shop["name"], "erased": counts})


@privacy_group.command("retention")
@click.option("--now", "now", type=click.DateTime(formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"]),
              help="Pretend it is this time (ISO date), e.g. to preview; default: now.")
def retention(now) -> None:
    """Anonymise what is older than each shop's retention period (default 24 months); prints counts per shop.
    Dagster runs this every night (schedule retention_nightly)."""
    from datetime import UTC

    from mtaabot.retention import apply_retention

    if now is not None and now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    with db_connection() as conn:
        echo_json(apply_retention(conn, now))


COMMANDS = [privacy_group]
