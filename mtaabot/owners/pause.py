"""A pause for a while: "SIMAMISHA saa 2", "pause for 1 hour", "simamisha nusu saa". The owner's "for 1 hour" was
ignored and the bot stayed off until RESUME (owner test s26). The shop is paused until `businesses.paused_until`;
past it the engine answers again, and `resume_lapsed` (the owners' 5-minute Dagster asset) ends the pause, answers
the messages kept meanwhile and tells the owner."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

import psycopg

from mtaabot.orders.quantities import find_quantities

MAX_PAUSE = timedelta(days=7)

_FOR = re.compile(r"\b(?:(?:for|kwa|ya)\s+)?(?P<count>nusu|half an?|an?|one|\d{1,3}(?:\.\d)?|[a-z]+)?\s*"
                  r"(?P<unit>saa|masaa|hours?|hrs?|h|dakika|minutes?|mins?)\b(?:\s+(?P<after>\S+))?", re.I)


_UNTIL = re.compile(r"\b(?:hadi|mpaka|until|till)\s+(?P<when>.+)$", re.I)


def duration(rest: str, now: datetime | None = None) -> timedelta | None:
    """How long a pause is said to last ("saa 2", "for 1 hour", "dakika 30", "nusu saa", "hadi kesho asubuhi",
    "until 2pm"), or None (until RESUME)."""
    if (until := _UNTIL.search(rest)) is not None:
        from mtaabot.orders.when import NAIROBI, parse_when

        now = now or datetime.now(UTC)
        when = parse_when(until.group("when").lower(), now)
        if when.day is not None and when.at is None:  # "hadi kesho": that morning
            when = replace(when, at=time(7, 0))
        if when.moment() is not None:
            # to the next whole minute: the database adds it to the transaction's start, a little before now
            left = timedelta(minutes=math.ceil((when.moment() - now.astimezone(NAIROBI)).total_seconds() / 60))
            return min(left, MAX_PAUSE) if left > timedelta(0) else None
    said = _FOR.search(rest.lower())
    if said is None:
        return None
    count, unit, after = (said.group("count") or "").strip(), said.group("unit"), said.group("after") or ""
    if count in ("nusu", "half a", "half an"):
        amount = 0.5
    elif count in ("a", "an", "one", ""):
        number = find_quantities([after]) if unit in ("saa", "dakika") and after else []
        amount = float(number[0].amount) if number else 1.0  # "saa mbili", "dakika thelathini", "an hour"
    else:
        number = find_quantities([count])
        if not number:
            return None
        amount = float(number[0].amount)
    minutes = amount * (1 if unit.startswith(("dakika", "min")) else 60)
    return min(timedelta(minutes=minutes), MAX_PAUSE) if minutes > 0 else None


def resume_lapsed(conn: psycopg.Connection, now: datetime | None = None) -> int:
    """End the pauses whose time is up: the messages kept are answered (by the worker) and the owner told. Returns
    how many shops started answering again."""
    from mtaabot import conversations
    from mtaabot.notifications import notify
    from mtaabot.owners.alerts import owner_text

    now = now or datetime.now(UTC)
    shops = conn.execute("""SELECT id FROM businesses WHERE paused_at IS NOT NULL AND paused_until <= %s
                           FOR UPDATE SKIP LOCKED""", (now,)).fetchall()
    for shop in shops:
        waiting = conversations.answer_kept_while_paused(conn, shop["id"])
        conn.execute("UPDATE businesses SET paused_at = NULL, paused_until = NULL WHERE id = %s", (shop["id"],))
        notify(conn, shop["id"], "escalation", owner_text(conn, shop["id"], "pause_over", waiting=waiting))
    conn.commit()
    return len(shops)


def is_paused(business: dict[str, Any], now: datetime | None = None) -> bool:
    """Paused now: SIMAMISHA said and not yet over (a pause whose time is up answers even before the sweep)."""
    if business.get("paused_at") is None:
        return False
    until = business.get("paused_until")
    return until is None or until > (now or datetime.now(UTC))
