"""Booking follow-ups: what a customer says about a booking once a day, a time or a booking is already in the chat.

- A time said alone ("saa kumi na mbili?") after the customer asked about a day ("kesho saa moja jioni?") is on
  that day, not today (`keep_day`).

The order conversation (`mtaabot.orders.flow`) calls these; every name, time and price comes from the database.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg

from mtaabot.orders import store
from mtaabot.orders.when import When, parse_when
from mtaabot.vocabulary import normalise

# the bot's answers after which an earlier day no longer frames what the customer says next
_TALK_ENDED = frozenset({"order_confirm", "order_cancel", "payment_claim", "order_retry"})


def day_talked_about(conn: psycopg.Connection, business_id: Any, conversation_id: Any) -> date | None:
    """The day the customer's latest earlier messages asked about ("kesho saa moja jioni?"), read as of when each
    was written; None when none said a day since the last booking was confirmed or cancelled."""
    for row in store.earlier_customer_messages(conn, business_id, conversation_id):
        if row["answered"] in _TALK_ENDED:
            return None
        said = parse_when(normalise(row["content"] or ""), row["created_at"])
        if said.day is not None and said.day_said:
            return said.day
    return None


def keep_day(conn: psycopg.Connection, business_id: Any, conversation_id: Any, when: When) -> When:
    """A time said without a day is on the day the customer was talking about, when there was one."""
    if when.at is None or when.day_said:
        return when
    day = day_talked_about(conn, business_id, conversation_id)
    return When(day, when.at) if day is not None else when



def still_which(last_intent: str | None, last_products: list[Any], *, points: bool) -> bool:
    """The bot just asked the customer to choose a service and this answer points at none of them ("saa kumi na
    mbili?" to "which service?"): still which, never the first one listed."""
    return last_intent == "booking_which" and len(last_products) > 1 and not points
