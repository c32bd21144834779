"""Booking follow-ups: what a customer says about a booking once a day, a time or a booking is already in the chat.

- A time said alone ("saa kumi na mbili?") after the customer asked about a day ("kesho saa moja jioni?") is on
  that day, not today (`keep_day`).
- A booking already made is moved ("naweza kuisogeza mpaka saa sita?", "can we move it to 12?", "6:30 then?",
  "basi kesho same time") and services are added to it ("ongeza pedicure pia"): `move_asked`, `adds`.
- "book both for wednesday 6pm", "nibookie zote mbili" after the bot named two services: both (`all_shown`).

The order conversation (`mtaabot.orders.flow`) calls these; every name, time and price comes from the database.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import psycopg

from mtaabot.orders import store
from mtaabot.orders.context import FINISHING_STEPS
from mtaabot.orders.texts import say
from mtaabot.orders.when import NAIROBI, When, parse_when, without_when
from mtaabot.product_questions import asks_how_long, duration_text
from mtaabot.vocabulary import normalise

# the bot's answers after which an earlier day no longer frames what the customer says next
_TALK_ENDED = FINISHING_STEPS


def talked_about(conn: psycopg.Connection, business_id: Any, conversation_id: Any) -> When:
    """The day and the time the customer's latest earlier messages asked about ("kesho saa moja jioni?"), each read
    as of when it was written and each from the latest message that said one; nothing from before the last booking
    was confirmed or cancelled."""
    day: date | None = None
    at = None
    for row in store.earlier_customer_messages(conn, business_id, conversation_id):
        if row["answered"] in _TALK_ENDED:
            break
        said = parse_when(normalise(row["content"] or ""), row["created_at"])
        if day is None and said.day is not None and said.day_said:
            day = said.day
        at = at or said.at
        if day is not None and at is not None:
            break
    return When(day, at)


def keep_day(conn: psycopg.Connection, business_id: Any, conversation_id: Any, when: When) -> When:
    """A time said without a day is on the day the customer was talking about, when there was one."""
    if when.at is None or when.day_said:
        return when
    day = talked_about(conn, business_id, conversation_id).day
    return When(day, when.at) if day is not None else when


def still_which(last_intent: str | None, last_products: list[Any], *, points: bool) -> bool:
    """The bot just asked the customer to choose a service and this answer points at none of them ("saa kumi na
    mbili?" to "which service?"): still which, never the first one listed."""
    return last_intent == "booking_which" and len(last_products) > 1 and not points


# moving a booking: "badilisha iwe", "change it to", "move it", "naweza kuisogeza", "tuihamishe", "same time tomorrow"
MOVE = re.compile(r"\b(badilisha|badili|change|move|instead|badala|reschedule|shift|songesha|iwe|make it|can we do|"
                  r"tufanye|postpone|\w*sogez\w*|\w*hamish\w*|(?:tu|i|u|ni|m)songe\w*|same time|saa hiyo hiyo|"
                  r"wakati huo huo)\b")
# "move it to 12", "isogeze mpaka 4": a bare hour after "to" is the new time of a booking being moved
_TO_HOUR = re.compile(r"\b(?:to|till|until|mpaka|hadi)\s+(?=\d{1,2}\b)")
# "6:30", "10.30" as typed: normalising leaves "6 30", which alone reads as no time
_TYPED_CLOCK = re.compile(r"\b(\d{1,2})[:.]([0-5]\d)\b")
# a message that is only a time and chat words: "6:30 then?", "saa kumi basi", "what about 11am?"
_TIME_FILLER = frozenset("""then basi sawa ok okay poa je how about what about and na ama or instead badala yake
tafadhali please pls at saa""".split())


def with_clocks(text: str, norm: str) -> str:
    """`norm` with the clock times the customer typed with a colon put back ("6 30 then" -> "6:30 then")."""
    for hour, minute in _TYPED_CLOCK.findall(text):
        norm = re.sub(rf"\b{hour} {minute}\b", f"{hour}:{minute}", norm, count=1)
    return norm


def move_asked(norm: str, now: datetime | None) -> When | None:
    """The new day and/or time a message moves a booking to ("move it to 12", "same time tomorrow"); None when it
    moves nothing."""
    if (move := MOVE.search(norm)) is None:
        return None
    # "sitaweza kesho, hamisha iwe jumanne saa nane": the day after the moving word is the new one, not the old ...
    # but after "badala ya" / "instead of" it is the old one ("tusonge saa tano badala ya saa nne" stayed at 10am as
    # a draft; owner test s30)
    replaced = move.group(1) in ("badala", "instead") and re.match(r"\s+(?:ya|of)\b", norm[move.end():]) is not None
    after = parse_when(norm[move.end():], now) if not replaced else When(None, None)
    when = after if after.found else parse_when(norm, now)
    if not when.found:
        when = parse_when(_TO_HOUR.sub("at ", norm), now)
    return when if when.found else None


def only_a_time(norm: str, now: datetime | None) -> When | None:
    """The time of a message that says nothing but a time ("6:30 then?", "saa kumi basi"), else None."""
    when = parse_when(norm, now)
    if when.at is None:
        return None
    rest = [w for w in without_when(norm).split() if w not in _TIME_FILLER]
    return when if not rest else None


def says_only_when(piece: str) -> bool:
    """A piece of a message that is only when ("same time", "kesho saa tatu"): never an item of its own."""
    norm = normalise(piece)
    rest = [w for w in without_when(_SAME_TIME.sub(" ", norm)).split() if w not in _TIME_FILLER]
    return not rest and (bool(_SAME_TIME.search(norm)) or parse_when(norm, None).found)


def same_time(conn: psycopg.Connection, business_id: Any, conversation_id: Any, norm: str, when: When) -> When:
    """"basi kesho same time" about a booking with no time on it yet: the new day at the time asked before."""
    if when.day is None or when.at is not None or not _SAME_TIME.search(norm):
        return when
    at = talked_about(conn, business_id, conversation_id).at
    return When(when.day, at) if at is not None else when


_SAME_TIME = re.compile(r"\b(?:same time|saa hiyo hiyo|saa ile ile|wakati huo huo)\b")
# adding to a booking: "ongeza pedicure pia", "nataka pia pedicure", "add a pedicure too", "na gel nails"
_ALSO = re.compile(r"^(?:na|and|plus)\b|\b(?:pia|too|also|as well|ongeza\w*|niongezee|add|plus)\b")


def adds(norm: str, text: str) -> bool:
    """The message adds something to what was booked (not a question about it)."""
    return bool(_ALSO.search(norm)) and "?" not in text


# "itaisha saa ngapi?", "tutamaliza saa ngapi?", "what time will it end?", "when will we be done?"
_ENDS = re.compile(r"\b(?:(?:i|ita|tuta|mta|nita|uta)(?:isha|maliza|malizika|kwisha)\w*(?: saa| lini| at)?|"
                   r"(?:what time|when) (?:will|would|does|do|shall) (?:it|we|you|i|they|the \w+) (?:end|finish|be done|"
                   r"be over|be finished|get done)|(?:end|finish) time|until what time|(?:mpaka|hadi) saa ngapi)\b")


def asks_end(norm: str) -> bool:
    """The customer asks when their booking ends or how long it takes all together."""
    return bool(_ENDS.search(norm)) or asks_how_long(norm)


def ends_text(conn: psycopg.Connection, order: dict[str, Any], lang: str) -> str | None:
    """When the booking starts and ends: its services one after another, each for its own time; None when it has
    no time yet or no service with a length."""
    minutes = store.service_minutes(conn, order)
    if order["booking_at"] is None or not minutes:
        return None
    start = order["booking_at"].astimezone(NAIROBI)
    end = start + timedelta(minutes=minutes)
    names = ", ".join(r["name"] for r in store.items(conn, order))
    return say("booking_ends", lang, number=order["number"], start=start.strftime("%a %d %b %H:%M"),
               end=end.strftime("%H:%M" if end.date() == start.date() else "%a %d %b %H:%M"), services=names,
               length=duration_text(minutes, lang))


# "both", "all of them", "zote mbili", "vyote viwili", "hizo zote", "mbili za kila moja", "two of each": every one of
# the things the bot just named
_ALL_SHOWN = re.compile(r"\b(?:both(?: of them)?|all (?:of them|two|three|3|together)|the two(?: of them)?|zote(?: mbili| tatu| pamoja)?|"
                        r"vyote(?: viwili| vitatu)?|hizo (?:zote|mbili)|zile (?:zote|mbili)|"
                        r"(?:za |ya |of )?(?:kila (?:moja|mmoja|kimoja|aina)|each(?: one)?))\b")
_HOW_MANY = {"both": 2, "two": 2, "mbili": 2, "viwili": 2, "three": 3, "3": 3, "tatu": 3, "vitatu": 3}


def all_shown(norm: str) -> int | None:
    """How many of the things just shown the message points at all together ("both" 2, "zote tatu" 3, "all of
    them" every one: 99); None when it points at no such group."""
    m = _ALL_SHOWN.search(norm)
    if m is None:
        return None
    return next((_HOW_MANY[w] for w in m.group(0).split() if w in _HOW_MANY), 99)


def without_all_shown(norm: str) -> str:
    """The message without its "both" ("book both for wednesday 6pm" -> "book for wednesday 6pm")."""
    return re.sub(r"\s+", " ", _ALL_SHOWN.sub(" ", norm)).strip()
