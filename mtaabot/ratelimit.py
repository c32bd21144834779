"""Per-customer pace: a customer who floods a shop (say 60 messages a minute) is answered at a sane pace.

Every message is stored and keeps its job; nothing is dropped. The worker asks `pace(...)` before it answers a
customer message. At most `MTAABOT_CUSTOMER_RATE_PER_MINUTE` answers (engine replies and system notices) go
to one conversation in any 60 seconds. Past that:

* when the customer has already written again (a newer job waits in the same conversation), this message is
  left unanswered on its own (`rate_superseded`); the newest message gets the answer, so a burst of 60 gets a
  handful of replies instead of 60;
* otherwise the job waits (`rate_deferred`: `not_before` moves to when the window frees) and is answered then.

The owner is told once per conversation per day (notification kind `rate_limit`, also on their WhatsApp).
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg

from mtaabot.config import get_settings

log = logging.getLogger(__name__)
WINDOW_SECONDS = 60
NOTICE_KIND = "rate_limit"


def limit_per_minute() -> int:
    return get_settings().customer_rate_per_minute


RECENT_ANSWERS = """SELECT count(*) AS n, min(created_at) AS oldest FROM messages
                    WHERE conversation_id = %s AND business_id = %s AND role = 'bot' AND author IN ('ai', 'system')
                      AND created_at > clock_timestamp() - make_interval(secs => %s)"""


def recent_answers_params(job: dict[str, Any]) -> tuple[Any, ...]:
    """Parameters of RECENT_ANSWERS for a job (the worker reads it with the job's other rows, one round trip)."""
    return (job["conversation_id"], job["business_id"], WINDOW_SECONDS)


def pace(conn: psycopg.Connection, job: dict[str, Any], conv: dict[str, Any],
         recent: dict[str, Any] | None = None) -> str | None:
    """None: answer now. `rate_superseded`: leave it (a newer message will be answered). `rate_deferred`: the
    job's `not_before` was moved to when the window frees (the caller leaves it pending). Caller's transaction.
    `recent`: the RECENT_ANSWERS row when the caller read it already in this transaction."""
    limit = limit_per_minute()
    if recent is None:
        recent = conn.execute(RECENT_ANSWERS, (conv["id"], job["business_id"], WINDOW_SECONDS)).fetchone()
    if recent["n"] < limit:
        return None
    _tell_owner_once(conn, job, conv, limit)
    newer = conn.execute(
        """SELECT 1 FROM inbound_jobs WHERE conversation_id = %s AND status = 'pending' AND id > %s LIMIT 1""",
        (conv["id"], job["id"])).fetchone()
    if newer is not None:
        log.info("customer over %d messages/min: message %s left for the newer one", limit, job["message_id"])
        return "rate_superseded"
    conn.execute(
        """UPDATE inbound_jobs SET not_before = greatest(clock_timestamp() + interval '1 second',
                                                         %s + make_interval(secs => %s))
           WHERE id = %s""", (recent["oldest"], WINDOW_SECONDS, job["id"]))
    log.info("customer over %d messages/min: message %s answered when the window frees", limit, job["message_id"])
    return "rate_deferred"


def _tell_owner_once(conn: psycopg.Connection, job: dict[str, Any], conv: dict[str, Any], limit: int) -> None:
    """One notice per conversation per (Nairobi) day; no message text, the customer's number as the owner
    already sees it in their inbox."""
    from mtaabot.notifications import PUSHED, notify

    already = conn.execute(
        """SELECT 1 FROM notifications WHERE business_id = %s AND conversation_id = %s AND kind = %s
             AND created_at >= date_trunc('day', CURRENT_TIMESTAMP AT TIME ZONE 'Africa/Nairobi')
                               AT TIME ZONE 'Africa/Nairobi' LIMIT 1""",
        (job["business_id"], conv["id"], NOTICE_KIND)).fetchone()
    if already:
        return
    from mtaabot.owners.alerts import lang_of_owners, say
    from mtaabot.owners.registry import owner_phones

    lang = lang_of_owners(conn, job["business_id"], owner_phones(conn, str(job["business_id"])))
    who = conv.get("customer_phone") or say("customer", lang)
    body = say("rate_limited", lang, who=who, limit=limit)  # in the owner's language
    nid = notify(conn, job["business_id"], NOTICE_KIND, body, conversation_id=conv["id"])
    if NOTICE_KIND not in PUSHED:  # the owner's WhatsApp too
        from mtaabot.owners.alerts import alert

        alert(conn, job["business_id"], NOTICE_KIND, body, conversation_id=conv["id"], notification_id=nid)
