"""A booking already confirmed: moved to another time, a service added to it, or when it starts asked; a change
takes it back to a draft the customer says yes to again.
"""

from __future__ import annotations

from typing import Any

from mtaabot.orders import bookings, party, store
from mtaabot.orders.booking_times import booking_time, on_asked_day
from mtaabot.orders.cart import add_lines, companion_joins
from mtaabot.orders.context import Context, FlowResult, result
from mtaabot.orders.lines import resolve, segments
from mtaabot.orders.patterns import WHEN_Q
from mtaabot.orders.summary import summary, when_text
from mtaabot.orders.texts import say


def confirmed_booking(ctx: Context, order: dict[str, Any], text: str, norm: str) -> FlowResult | None:
    """A message about a booking already confirmed: it moves ("naweza kuisogeza mpaka saa sita?", "6:30 then?"),
    a service is added to it ("ongeza pedicure pia"), or when it starts or ends is asked. A change takes the booking
    back to the customer's yes (then the owner is told it moved or changed, and a prompt for the new total follows)."""
    timed = bookings.with_clocks(text, norm)
    moved = bookings.move_asked(timed, ctx.now)
    if moved is None and ctx.last_intent in ("order_confirm", "order_status", "booking"):
        moved = bookings.only_a_time(timed, ctx.now)
    if moved is not None:
        was = order["booking_at"]
        problem = booking_time(ctx, order, on_asked_day(ctx, order, moved))
        order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
        if problem and order["booking_at"] == was:  # "move it to 6am" before opening: it stays as confirmed
            return result(ctx, order, problem + "\n" + say("booking_when", ctx.lang, number=order["number"],
                                                           when=when_text(order["booking_at"])), "order_status", [])
        order = _reopened(ctx, order)
        return result(ctx, order, (problem + "\n" if problem else "") + summary(ctx.conn, order, ctx.lang) + "\n"
                      + say("ask_confirm", ctx.lang), "booking", [])
    if party.joins(text):  # "nitakuja na dada yangu, anataka the same": one more of each, said yes to again
        return companion_joins(ctx, _reopened(ctx, order))
    if bookings.adds(norm, text) and _names_a_product(ctx, text):
        return add_lines(ctx, text, _reopened(ctx, order), booking=True)
    if WHEN_Q.search(norm) and order["booking_at"] is not None:
        return result(ctx, order, say("booking_when", ctx.lang, number=order["number"],
                                      when=when_text(order["booking_at"])), "order_status", [])
    return None


def _reopened(ctx: Context, order: dict[str, Any]) -> dict[str, Any]:
    """The confirmed order back to a draft the customer says yes to again."""
    store.set_status(ctx.conn, ctx.business["id"], order["id"], "draft", actor="customer")
    return store.get_order(ctx.conn, ctx.business["id"], order["id"])


def _names_a_product(ctx: Context, text: str) -> bool:
    """Some piece of the message names a product the shop has ("ongeza pedicure pia"), not only what was shown."""
    return any((line := resolve(ctx, piece, [], booking=True)) is not None and line.product is not None
               for piece in segments(text))
