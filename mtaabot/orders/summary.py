"""The order as the customer reads it: its lines, time, delivery place and total, with today's prices."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import psycopg

from mtaabot.orders import store
from mtaabot.orders.texts import say
from mtaabot.orders.when import NAIROBI
from mtaabot.reply_builder import format_price


def qty_text(q: Decimal) -> str:
    return f"{q.normalize():f}" if q != q.to_integral_value() else str(int(q))


def summary(conn: psycopg.Connection, order: dict[str, Any], lang: str) -> str:
    """The order as the customer reads it; a cart shows today's prices (the owner may have changed one since)."""
    changed = False
    if order["status"] == "draft":
        order, changed = store.refresh_prices(conn, order)
    rows = store.items(conn, order)
    head = "booking_head" if order["kind"] == "booking" else "summary_head"
    lines = ([say("prices_changed", lang)] if changed else []) + [say(head, lang, number=order["number"])]
    for r in rows:
        lines.append(say("line", lang, qty=qty_text(r["quantity"]), name=line_label(r, lang),
                         price=format_price(r["unit_price"]), line_total=format_price(r["quantity"] * r["unit_price"])))
    if order["booking_at"]:
        lines.append(say("when", lang, when=when_text(order["booking_at"])))
    if order["fulfilment"] == "delivery":
        lines.append(say("delivery", lang, where=order["delivery_location"]) if order["delivery_location"]
                     else say("delivery_where", lang))
        if order.get("delivery_fee_kes") is not None:  # the owner's cost, part of the total paid
            lines.append(say("delivery_fee_line", lang, fee=fee_text(order["delivery_fee_kes"], lang)))
    lines.append(say("total", lang, total=format_price(order["total_kes"])))
    if store.paid_so_far(order) > 0:
        lines.append(paid_so_far_text(order, lang))
    return "\n".join(lines)


def paid_so_far_text(order: dict[str, Any], lang: str) -> str:
    """"Umeshalipa KES 200 kati ya KES 610; baki ni KES 410." for an order paid in part."""
    return say("paid_so_far", lang, paid=format_price(store.paid_so_far(order)),
               total=format_price(store.amount_due(order["total_kes"])), balance=format_price(store.balance_due(order)))


def fee_text(fee: Decimal, lang: str) -> str:
    return format_price(fee) if fee > 0 else say("free", lang)


def when_text(moment: datetime) -> str:
    return moment.astimezone(NAIROBI).strftime("%a %d %b %H:%M")


def line_label(row: dict[str, Any], lang: str = "ENG") -> str:
    """One cart line as the customer reads it: "Nike Air Force 1 White (size 43)", "Phone Cover (ya Tecno Spark 20)"."""
    parts = [say("for_model", lang, model=p[4:]) if p.startswith("for ") else p
             for p in (row["variant"] or "").split(", ") if p]
    return row["name"] + (f" ({', '.join(parts)})" if parts else "")
