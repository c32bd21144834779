"""`mtaabot business set-haggling`: what the bot does when a customer asks for a better price."""

from __future__ import annotations

import click

from mtaabot import businesses
from mtaabot.cli.business import business
from mtaabot.cli.common import db_connection, echo_json
from mtaabot.errors import UserError

POLICIES = ("notify", "none", "escalate", "discount")


@business.command("set-haggling")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.option("--policy", type=click.Choice(POLICIES), required=True,
              help="notify: polite answer + owner told; none: fixed prices; escalate: owner takes the chat; "
                   "discount: the bot may offer up to --max-discount-pct off.")
@click.option("--max-discount-pct", type=click.FloatRange(min=0, min_open=True, max=50),
              help="Largest discount the bot may offer (policy discount), e.g. 5.")
def set_haggling(business_ref: str, policy: str, max_discount_pct: float | None) -> None:
    """Set the shop's haggling policy; prints it."""
    if policy == "discount" and max_discount_pct is None:
        raise UserError("the discount policy needs --max-discount-pct (at most 50)")
    if policy != "discount" and max_discount_pct is not None:
        raise UserError("--max-discount-pct is only for --policy discount")
    with db_connection() as conn:
        shop = businesses.resolve_business(conn, business_ref)
        row = conn.execute(
            """UPDATE businesses SET haggle_policy = %s, max_discount_pct = %s, updated_at = CURRENT_TIMESTAMP
               WHERE id = %s RETURNING id, name, haggle_policy, max_discount_pct""",
            (policy, max_discount_pct, shop["id"])).fetchone()
    echo_json(row)


COMMANDS: list[click.Command] = []  # registered on the `business` group above
