"""The owner moves a booking from WhatsApp: "booking 4 ihamishe kesho saa nne asubuhi, saa nane tumejaa", "move
booking 4 to tomorrow 10am". It was answered with the day's list, nothing moved, and the client came at the time the
owner agreed with her while the books said another (customer test s30). The owner's word stands (their hours, their
chairs); the client is told the new time in her language, and the booking stays as confirmed or paid as it was."""

from __future__ import annotations

import re
from datetime import datetime

import psycopg

from mtaabot.orders.texts import state_in
from mtaabot.owners.alerts import in_lang as _t

NUMBER = r"(?:booking|miadi|oda|order)\s*#?(?P<number>\d{1,6})"
MOVE = re.compile(rf"^(?:(?:sawa|ok|okay|basi)\W+)?(?:{NUMBER}\s+(?:ihamishe|ihamishwe|hamisha|isogeze|sogeza|"
                  r"iwe|ibadilishe iwe|badilisha iwe|move(?:\s+it)?(?:\s+to)?|moved to|reschedule(?:\s+to)?)|"
                  # "hamisha miadi ya 1 iwe saa tatu" (the whole help; owner test s31)
                  r"(?:hamisha|sogeza|move|reschedule)\s+(?:booking|miadi|oda|order)\s*(?:ya\s+|no\.?\s*)?#?"
                  r"(?P<number2>\d{1,6})"
                  r"(?:\s+(?:to|iwe|hadi|mpaka|kwa))?)\s+(?P<when>.+)$", re.I)


# the booking named by its service (and day) instead of its number: "miadi ya box braids ya jumamosi isogeze iwe saa
# tano", "hamisha miadi ya screen repair iwe kesho saa tano", "box braids ya ijumaa ihamie jumamosi saa tatu" (the
# day's list or the whole help; owner test s31b)
MOVE_NAMED = re.compile(r"^(?:(?:hamisha|sogeza|move)\s+)?(?:(?:miadi|booking)\s+ya\s+)?(?P<what>[a-z][^\d]*?)\s+"
                        r"(?:ihamishe|isogeze|ihamie|ihamishwe|isogezwe|iwe|to)\s+(?:iwe\s+|hadi\s+|kwa\s+|mpaka\s+)?"
                        r"(?P<when>.+)$", re.I)


def named_booking(conn: psycopg.Connection, business_id: str, what: str) -> tuple[int | None, int]:
    """(the number of the one open booking of the service `what` names, on the day it says if it says one; how many
    there were)."""
    from mtaabot.orders.when import NAIROBI, parse_when, without_when
    from mtaabot.owners.products_named import products_named

    service = without_when(re.sub(r"\b(?:ya|za|wa)\s*$", "", what.strip())).strip()
    service = re.sub(r"\s+(?:ya|za)$", "", service)
    named = [p["id"] for p in products_named(conn, business_id, service)] if service else []
    day = parse_when(what.lower()).day if re.search(r"\b(?:leo|kesho|juma\w+|alhamisi|ijumaa|today|tomorrow|\w+day)\b",
                                                    what.lower()) else None
    rows = conn.execute(
        """SELECT DISTINCT o.number, o.booking_at FROM orders o JOIN order_items i ON i.order_id = o.id
           WHERE o.business_id = %s AND o.kind = 'booking' AND o.status IN ('awaiting_payment', 'paid')
             AND o.booking_at > CURRENT_TIMESTAMP - interval '1 day' AND i.product_id = ANY(%s)""",
        (business_id, named)).fetchall()
    if day is not None:
        rows = [r for r in rows if r["booking_at"].astimezone(NAIROBI).date() == day]
    return (rows[0]["number"] if len(rows) == 1 else None), len(rows)


def move(conn: psycopg.Connection, business_id: str, said: re.Match[str], lang: str,
         now: datetime | None = None) -> str:
    """Carry out a move the owner said (inside the caller's transaction) and say what happened."""
    return move_to(conn, business_id, said.group("number") or said.group("number2"), said.group("when"), lang, now)


def move_to(conn: psycopg.Connection, business_id: str, number: str, when_said: str, lang: str,
            now: datetime | None = None) -> str:
    """Move booking #number to `when_said` (inside the caller's transaction) and say what happened."""
    from mtaabot.hours import parse_opening_hours
    from mtaabot.orders import checkout, store
    from mtaabot.orders.summary import when_text
    from mtaabot.orders.texts import say
    from mtaabot.orders.when import NAIROBI, parse_when
    from mtaabot.vocabulary import normalise

    order = store.get_order(conn, business_id, number, lock=True)
    if order is None or order["kind"] != "booking":
        return _t(lang, f"Hakuna miadi #{number}. Hakuna kilichobadilika.", f"There is no booking #{number}. "
                  "Nothing changed.")
    if order["status"] in ("cancelled", "fulfilled"):
        return _t(lang, f"Miadi #{number} ni {state_in(order['status'], lang)}: haihamishwi. Hakuna kilichobadilika.",
                  f"Booking #{number} is {state_in(order['status'], lang)}: it cannot be moved. Nothing changed.")
    # the reason said after a comma is no part of when ("..., saa nane tumejaa")
    when = parse_when(normalise(re.split(r",|;|\.\s", when_said)[0]), now)
    booked = order["booking_at"].astimezone(NAIROBI) if order["booking_at"] else None
    # an hour alone keeps the booking's day ("MIADI 8 ihamishe saa tano" moved Saturday's booking to today; owner
    # test s31)
    day = when.day if when.day_said or booked is None else booked.date()
    at = when.at or (booked.time().replace(tzinfo=None) if booked else None)
    if not when.found or day is None or at is None:
        return _t(lang, f"Saa ngapi? Mfano: miadi {number} ihamishe kesho saa nne. Hakuna kilichobadilika.",
                  f"To when? Example: move booking {number} to tomorrow 10am. Nothing changed.")
    moved = datetime.combine(day, at, tzinfo=NAIROBI)
    # the owner's word stands, but a time the shop's own hours say it is closed is pointed out (a booking moved to a
    # Sunday of a Mon-Sat salon, with no word; tester s32)
    hours = conn.execute("SELECT opening_hours FROM businesses WHERE id = %s", (business_id,)).fetchone()
    schedule = parse_opening_hours(hours["opening_hours"] if hours else None)
    closed = _t(lang, f" Kumbuka: saa hiyo duka limefungwa kwa ratiba yako ({hours['opening_hours']}).",
                f" Note: your hours say the shop is closed then ({hours['opening_hours']}).") \
        if schedule is not None and not schedule.is_open(moved) else ""
    # the owner knows the new time: a later move by the client is told from it (it said "from 09:00", the time before
    # the owner's move; owner test s31)
    order = store.set_fields(conn, order, booking_at=moved, owner_told_booking_at=moved)
    clang = checkout.customer_language(conn, order)
    if order["status"] == "draft":
        # a booking the client has not said yes to: the owner's time is offered for that yes ("Tutakuona!" was said
        # of a booking the owner's MIADI list never showed; tester s32)
        checkout.tell_customer(conn, order, say("owner_moved_draft_booking", clang, number=order["number"],
                                                when=when_text(order["booking_at"])) + "\n"
                               + say("ask_confirm", clang), "booking")
        return _t(lang, f"Miadi #{order['number']} sasa ni {when_text(order['booking_at'])}, lakini mteja bado "
                        "hajaithibitisha (NDIO): ameambiwa na ataulizwa akubali.",
                  f"Booking #{order['number']} is now {when_text(order['booking_at'])}, but the client has not said "
                  "yes to it yet: they are told and asked to confirm.") + closed
    checkout.tell_customer(conn, order, say("owner_moved_booking", clang, number=order["number"],
                                            when=when_text(order["booking_at"])), "order_status")
    return _t(lang, f"Miadi #{order['number']} sasa ni {when_text(order['booking_at'])}. Mteja ameambiwa.",
              f"Booking #{order['number']} is now {when_text(order['booking_at'])}. The client is told.") + closed
