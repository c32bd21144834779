"""A booking's time: the day and time said, checked against the shop's opening hours, the length of the
services and its booking capacity (the nearest free start offered), and when a booking ends.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import psycopg

from mtaabot.orders import bookings, store
from mtaabot.orders.context import Context, FlowResult, result
from mtaabot.orders.summary import when_text
from mtaabot.orders.texts import say
from mtaabot.orders.when import NAIROBI, When, parse_when
from mtaabot.product_questions import duration_text
from mtaabot.retrieval import retrieve


def booking_time(ctx: Context, order: dict[str, Any], when: When) -> str | None:
    """Set the requested time on a booking; a reason when it cannot be taken."""
    moment = when.moment()
    if moment is None:
        return None
    now = (ctx.now or datetime.now(NAIROBI))
    if moment <= now:
        return say("past_time", ctx.lang)
    schedule = _schedule(ctx.business)
    if schedule is not None and not schedule.is_open(moment):
        day = moment.astimezone(NAIROBI).date()
        if schedule.days and not schedule.intervals_on(day):  # shut all day: no "pick another time" on it
            return _closed_day(ctx, day)
        # "saa moja" on Saturday before opening: the Saturday stays asked, so "saa mbili basi" is Saturday at 8
        store.set_fields(ctx.conn, order, booking_day=day)
        return say("closed_then", ctx.lang, when=when_text(moment), hours=ctx.business.get("opening_hours"))
    # services booked together follow one another: knotless braids and a pedicure take both their times
    minutes = store.service_minutes(ctx.conn, order)
    if schedule is not None and minutes and not schedule.is_open(moment + timedelta(minutes=minutes - 1)):
        # box braids (4 hours) asked for at 6pm in a salon that closes at 7: the latest start that still ends in time
        latest = _latest_start(schedule, moment, minutes)
        if latest is None and schedule.is_open(moment):
            # four people's knotless braids (20 hours) fit no start that day: "we're closed at 10:00" was the answer
            store.set_fields(ctx.conn, order, booking_day=moment.astimezone(NAIROBI).date())
            return say("longer_than_the_day", ctx.lang, length=duration_text(minutes, ctx.lang),
                       hours=ctx.business.get("opening_hours"))
        if latest is None or latest <= now:
            return say("closed_then", ctx.lang, when=when_text(moment), hours=ctx.business.get("opening_hours"))
        store.set_fields(ctx.conn, order, booking_at=latest, booking_minutes=minutes, kind="booking",
                         booking_day=latest.date())
        return say("ends_after_close", ctx.lang, when=when_text(moment), free=when_text(latest),
                   length=duration_text(minutes, ctx.lang), hours=ctx.business.get("opening_hours"))
    if taken(ctx, order, moment, minutes):
        # the nearest free start that day is put on the booking for the customer to confirm or change
        free = _next_free(ctx, order, moment, minutes, schedule)
        store.set_fields(ctx.conn, order, booking_at=free, booking_minutes=minutes, kind="booking",
                         booking_day=moment.astimezone(NAIROBI).date())
        if free is None:
            return say("slot_taken_none", ctx.lang, when=when_text(moment))
        return say("slot_taken", ctx.lang, when=when_text(moment), free=when_text(free))
    store.set_fields(ctx.conn, order, booking_at=moment, booking_minutes=minutes, kind="booking")
    return None


_SLOT_STEP = timedelta(minutes=30)


def _latest_start(schedule: Any, moment: datetime, minutes: int) -> datetime | None:
    """The latest half-hour start before `moment`, that day, from which `minutes` of work end by closing time."""
    t = moment.replace(minute=0 if moment.minute < 30 else 30, second=0, microsecond=0)
    length = timedelta(minutes=minutes - 1)
    while t.astimezone(NAIROBI).date() == moment.astimezone(NAIROBI).date():
        if schedule.is_open(t) and schedule.is_open(t + length):
            return t
        t -= _SLOT_STEP
    return None


def taken(ctx: Context, order: dict[str, Any], moment: datetime, minutes: int | None) -> bool:
    """The shop's booking capacity (chairs, stylists) is full at any time of [moment, moment + minutes): other
    customers' bookings that are confirmed (waiting for payment or paid) overlap it. No capacity set: never."""
    capacity = ctx.business.get("booking_capacity")
    if not capacity:
        return False
    length = timedelta(minutes=minutes or 60)
    n = ctx.conn.execute(
        """SELECT count(*) AS n FROM orders
           WHERE business_id = %s AND id <> %s AND kind = 'booking' AND booking_at IS NOT NULL
             AND status IN ('awaiting_payment', 'paid', 'fulfilled')
             AND booking_at < %s AND booking_at + make_interval(mins => coalesce(booking_minutes, 60)) > %s""",
        (ctx.business["id"], order["id"], moment + length, moment)).fetchone()["n"]
    return n >= capacity


def _next_free(ctx: Context, order: dict[str, Any], moment: datetime, minutes: int | None,
               schedule: Any) -> datetime | None:
    """The first start after `moment`, in half hours on the same day, that is open and not full."""
    t = moment + _SLOT_STEP
    while t.astimezone(NAIROBI).date() == moment.astimezone(NAIROBI).date():
        if (schedule is None or schedule.is_open(t)) and not taken(ctx, order, t, minutes):
            return t
        t += _SLOT_STEP
    return None


def on_asked_day(ctx: Context, order: dict[str, Any], when: When) -> When:
    """A time said alone ("around 10am") is on the day asked for earlier ("book me for Saturday"); a day said
    alone is remembered for when the time comes."""
    booked = order["booking_at"].astimezone(NAIROBI) if order.get("booking_at") else None
    if when.at is not None and not when.day_said:
        # "badilisha iwe saa tano" about the Saturday booking: Saturday at 11, not today
        day = order.get("booking_day") or (booked.date() if booked else None)
        if day is not None:
            return When(day, when.at)
        return bookings.keep_day(ctx.conn, ctx.business["id"], ctx.conv["id"], when)
    if when.day is not None and when.at is None:
        if booked is not None:  # "actually make it Friday, same time", "basi Jumatatu": the day moves, the time stays
            return When(when.day, booked.time().replace(tzinfo=None))
        store.set_fields(ctx.conn, order, booking_day=when.day)
    return when


def booking_ends(conn: psycopg.Connection, business: dict[str, Any], conv: dict[str, Any], norm: str,
                 lang: str) -> FlowResult | None:
    """"itaisha saa ngapi?", "what time will it end?", "itachukua muda gani?" with a booking of the chat that has a
    time: from when to when, all its services one after another. None when the question is about something else (a
    service it names that is not booked) or there is no such booking."""
    if not bookings.asks_end(norm):
        return None
    order = store.latest_open(conn, business["id"], conv["id"])
    if order is None or order["kind"] != "booking" or order["booking_at"] is None:
        return None
    booked = {r["product_id"] for r in store.items(conn, order)}
    if any(h.relevant and h.id not in booked for h in retrieve(conn, business["id"], norm, limit=3).hits):
        return None  # "gel nails inachukua muda gani?": that service's own length
    ends = bookings.ends_text(conn, order, lang)
    if ends is None:
        return None
    ctx = Context(conn, business, conv, lang, None, [])
    return result(ctx, order, ends + ("\n" + say("ask_confirm", lang) if order["status"] == "draft" else ""),
                  "booking" if order["status"] == "draft" else "order_status", [])


def when_said(ctx: Context, norm: str) -> When:
    """The day and time in this message; after the bot asked which service ("knotless" after "book me for braids
    tomorrow 10am"), the ones the customer gave in the message it asked about."""
    when = parse_when(norm, ctx.now)
    if not when.found and ctx.last_intent == "booking_which":
        when = parse_when(ctx.said_before(), ctx.now)
    return bookings.keep_day(ctx.conn, ctx.business["id"], ctx.conv["id"], when)


def ask_time(ctx: Context, order: dict[str, Any]) -> str:
    """What time on the day asked for; a day the shop does not open at all is said so and forgotten, and
    another day asked for (asking for a time on a Sunday a Mon-Sat salon is shut only fails later)."""
    day = order.get("booking_day")
    if not day:
        return say("ask_time", ctx.lang)
    schedule = _schedule(ctx.business)
    if schedule is not None and schedule.days and not schedule.intervals_on(day):
        store.set_fields(ctx.conn, order, booking_day=None)
        return _closed_day(ctx, day) + " " + say("ask_time", ctx.lang)
    return say("ask_time_on", ctx.lang, day=day.strftime("%a %d %b"))


def _closed_day(ctx: Context, day: date) -> str:
    return say("closed_day", ctx.lang, day=day.strftime("%a %d %b"), hours=ctx.business.get("opening_hours"))


def _schedule(business: dict[str, Any]) -> Any:
    from mtaabot.hours import parse_opening_hours

    try:
        return parse_opening_hours(business.get("opening_hours"))
    except Exception:  # an unreadable schedule never blocks a booking
        return None
