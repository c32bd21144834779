"""`mtaabot orders list|set-status` and `mtaabot business set-payment`: a shop's orders from the command line."""

from __future__ import annotations

import click

from mtaabot import businesses
from mtaabot.cli.business import business
from mtaabot.cli.common import db_connection, echo_json
from mtaabot.orders import store
from mtaabot.orders.checkout import payee_text, set_payment_settings
from mtaabot.reply_builder import format_price


@click.group("orders")
def orders() -> None:
    """Orders and bookings customers placed in the chat."""


@orders.command("list")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.option("--status", type=click.Choice(store.STATUSES), help="Only orders in this status.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="A JSON list (id, status, total, items, …).")
def list_orders(business_ref: str, status: str | None, limit: int, as_json: bool) -> None:
    """The shop's orders, newest first: open carts that hold items are listed too (status draft);
    empty carts only with --status draft."""
    with db_connection() as conn:
        shop = businesses.resolve_business(conn, business_ref)
        rows = store.list_orders(conn, shop["id"], status=status, limit=limit)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("no orders")
        return
    for o in rows:
        items = ", ".join(map(store.item_text, o["items"]))
        click.echo(f"#{o['number']:<4} {o['status']:<17} {format_price(o['total']):>12}  {o['customer'] or ''}  "
                   f"{items}  [{o['id']}]")


@orders.command("set-status")
@click.argument("order_id")
@click.argument("status", type=click.Choice(store.STATUSES))
def set_status(order_id: str, status: str) -> None:
    """Move ORDER_ID (its UUID) to STATUS, e.g. `fulfilled`; prints the order."""
    with db_connection() as conn:
        row = conn.execute("SELECT business_id FROM orders WHERE id::text = %s", (order_id.strip(),)).fetchone()
        if row is None:
            raise store.OrderError(f"no order with id {order_id}; `mtaabot orders list --business B` shows them")
        echo_json(store.set_status(conn, row["business_id"], order_id.strip(), status, actor="cli"))


@business.command("set-payment")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.option("--till", help="Buy Goods till number customers pay orders to.")
@click.option("--store", "store_number", help="The store (head office) number that owns the till, if different.")
@click.option("--paybill", help="Paybill number customers pay orders to (with --account).")
@click.option("--account", help="Account reference for the paybill (at most 12 characters).")
def set_payment(business_ref: str, till: str | None, store_number: str | None, paybill: str | None,
                account: str | None) -> None:
    """How this shop's customers pay their orders: its own till or paybill."""
    with db_connection() as conn:
        shop = businesses.resolve_business(conn, business_ref)
        row = set_payment_settings(conn, shop["id"], till=till, paybill=paybill, account=account,
                                   store_number=store_number)
    echo_json({"business_id": row["business_id"], "method": row["method"], "shortcode": row["shortcode"],
               "account_reference": row["account_reference"], "store_number": row["store_number"],
               "customers_see": payee_text(row)})


COMMANDS = [orders]
