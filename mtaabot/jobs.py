"""Failed work an operator can see and put back in the queue: inbound message jobs (`inbound_jobs`) the
worker gave up on, and outbound WhatsApp messages (`outbox`) that failed. Ids are `inbound:N` / `outbox:N`.
Nothing here commits."""

from __future__ import annotations

import re
import uuid
from typing import Any

import psycopg
from psycopg import sql

QUEUES = ("inbound", "outbox")


class JobError(LookupError):
    """An unknown or malformed job id, or a job that is not failed."""


def failed(conn: psycopg.Connection, business_id: uuid.UUID | str | None = None, limit: int = 200
           ) -> list[dict[str, Any]]:
    """Failed inbound jobs and outbox rows, newest first (message text is not shown: customers' data)."""
    return conn.execute(
        """SELECT * FROM (
             SELECT 'inbound:' || j.id AS id, 'inbound' AS queue, b.name AS business, j.conversation_id,
                    j.attempts, j.last_error, NULL::integer AS error_code, j.created_at
             FROM inbound_jobs j JOIN businesses b ON b.id = j.business_id
             WHERE j.status = 'failed' AND (%(b)s::uuid IS NULL OR j.business_id = %(b)s::uuid)
             UNION ALL
             SELECT 'outbox:' || o.id, 'outbox', b.name, o.conversation_id, o.attempts, o.last_error,
                    m.delivery_error_code, o.created_at
             FROM outbox o JOIN businesses b ON b.id = o.business_id JOIN messages m ON m.id = o.message_id
             WHERE o.status = 'failed' AND (%(b)s::uuid IS NULL OR o.business_id = %(b)s::uuid)
           ) f ORDER BY created_at DESC LIMIT %(n)s""",
        {"b": str(business_id) if business_id else None, "n": limit}).fetchall()


def _parse(job_id: str) -> tuple[str, int]:
    match = re.fullmatch(r"\s*(inbound|outbox):(\d+)\s*", job_id or "")
    if not match:
        raise JobError(f"{job_id!r} is not a job id: use the id from `mtaabot jobs failed`, e.g. outbox:12 or inbound:7")
    return match.group(1), int(match.group(2))


def retry(conn: psycopg.Connection, job_id: str) -> dict[str, Any]:
    """Put one failed job back in its queue (attempts reset); the worker picks it up at once."""
    queue, number = _parse(job_id)
    if queue == "inbound":
        row = conn.execute(
            """UPDATE inbound_jobs SET status = 'pending', attempts = 0, not_before = clock_timestamp(),
                   last_error = NULL, done_at = NULL
               WHERE id = %s AND status = 'failed' RETURNING id, business_id""", (number,)).fetchone()
    else:
        row = conn.execute(
            """UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = clock_timestamp(),
                   locked_until = NULL, post_started_at = NULL, last_error = NULL
               WHERE id = %s AND status = 'failed' RETURNING id, business_id, message_id""", (number,)).fetchone()
        if row is not None:
            conn.execute("""UPDATE messages SET delivery_status = 'queued', delivery_error_code = NULL,
                                delivery_updated_at = CURRENT_TIMESTAMP WHERE id = %s""", (row["message_id"],))
    if row is None:
        table = "inbound_jobs" if queue == "inbound" else "outbox"
        exists = conn.execute(sql.SQL("SELECT status FROM {} WHERE id = %s").format(sql.Identifier(table)),
                              (number,)).fetchone()
        raise JobError(f"no {queue} job {number}" if exists is None
                       else f"{job_id} is {exists['status']}, not failed: nothing to retry")
    from mtaabot.operator import audit

    audit(conn, "job_retry", business_id=row["business_id"], subject=f"{queue}:{number}")
    return {"id": f"{queue}:{number}", "status": "pending"}
