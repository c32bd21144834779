"""Store what a webhook delivery carried: customer messages (once per wamid) + their jobs, and statuses.

Everything here runs inside the caller's connection; each message is stored in its own transaction
so one bad item never loses the others. Routing is by `metadata.phone_number_id` through
`api_configs`; an unknown number is logged and recorded in `webhook_unprocessed`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from mtaabot.config import get_settings
from mtaabot.conversations import FIND_CHAT, find_chat_params, get_or_create_conversation
from mtaabot.db import statement_transaction
from mtaabot.whatsapp.client import WINDOW_CLOSED
from mtaabot.whatsapp.outbox import link_status
from mtaabot.whatsapp.payloads import ChangeBatch, EchoMessage, InboundMessage, Skipped, StatusUpdate

log = logging.getLogger(__name__)

JOBS_CHANNEL = "mtaabot_inbound_jobs"
STATUS_ORDER = {"queued": 0, "sent": 1, "delivered": 2, "read": 3}


@dataclass
class DeliveryReport:
    stored: int = 0
    duplicates: int = 0
    statuses: int = 0
    unknown_numbers: list[str] = field(default_factory=list)
    unprocessed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"stored": self.stored, "duplicates": self.duplicates, "statuses": self.statuses,
                "unknown_numbers": self.unknown_numbers, "unprocessed": self.unprocessed}


def business_for_phone_number_id(conn: psycopg.Connection, phone_number_id: str) -> dict[str, Any] | None:
    return conn.execute(
        """SELECT a.business_id, a.whatsapp_access_token, a.webhook_verify_token
           FROM api_configs a WHERE a.whatsapp_phone_number_id = %s""",
        (phone_number_id,),
    ).fetchone()


def record_unprocessed(conn: psycopg.Connection, skipped: Skipped, business_id: Any = None) -> None:
    with conn.transaction():
        conn.execute(
            "INSERT INTO webhook_unprocessed (business_id, phone_number_id, reason, payload) VALUES (%s, %s, %s, %s)",
            (business_id, skipped.phone_number_id, skipped.reason[:100], Jsonb(skipped.raw)),
        )


# The customer message (once per wamid), the chat's "customer wrote" times, the message's job and the workers'
# wake-up (NOTIFY on the jobs channel, sent at commit) in ONE statement (as `conversations.store_inbound_message`,
# the job insert and a NOTIFY did in four); nothing, and no wake-up, when the wamid is stored already.
_STORE_TAIL = """
msg AS (
    INSERT INTO messages (conversation_id, business_id, role, author, content, wamid, message_type, payload)
    SELECT id, %(b)s, 'user', 'customer', %(t)s, %(w)s, %(k)s, %(p)s FROM chat
    ON CONFLICT (business_id, wamid) WHERE wamid IS NOT NULL DO NOTHING
    RETURNING *),
touched AS (
    UPDATE conversations SET last_message_at = CURRENT_TIMESTAMP, last_customer_message_at = CURRENT_TIMESTAMP,
                             window_closed_at = NULL
    WHERE id = (SELECT id FROM chat) AND EXISTS (SELECT 1 FROM msg)),
job AS (
    INSERT INTO inbound_jobs (business_id, conversation_id, message_id, request_id)
    SELECT business_id, conversation_id, id, %(r)s FROM msg
    ON CONFLICT (message_id) DO NOTHING)
SELECT msg.*, pg_notify(%(n)s, '') AS job_notified FROM msg
"""
_STORE_WITH_JOB = "WITH chat AS (SELECT %(c)s::uuid AS id)," + _STORE_TAIL
# A customer the shop knows, whose chat needs no update (`get_or_create_conversation`'s look-up: by BSUID first,
# then by phone; an update when a BSUID, a phone or a new name arrives): the chat is found inside the store
# statement, and the statement is a transaction by itself (no BEGIN, no separate chat read, no COMMIT). No row
# back - a new customer, a chat to update, or a delivery Meta repeated - and the full store below runs.
_STORE_FOR_KNOWN_CHAT = f"WITH found AS ({FIND_CHAT}), chat AS (SELECT id FROM found WHERE NOT needs_update)," + _STORE_TAIL


def _store_params(business_id: Any, msg: InboundMessage) -> dict[str, Any]:
    from mtaabot.logsetup import current_request_id  # the worker and the Graph call log it too

    return {"b": str(business_id), "t": msg.text, "w": msg.wamid, "k": msg.type,
            "p": Jsonb(msg.raw) if msg.raw is not None else None, "r": current_request_id(), "n": JOBS_CHANNEL}


def _stored(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is not None:
        row.pop("job_notified")
    return row


def _insert_with_job(conn: psycopg.Connection, business_id: Any, conversation_id: Any,
                     msg: InboundMessage) -> dict[str, Any] | None:
    return _stored(conn.execute(_STORE_WITH_JOB, {**_store_params(business_id, msg), "c": str(conversation_id)})
                   .fetchone())


def _store_for_known_chat(conn: psycopg.Connection, business_id: Any, msg: InboundMessage) -> dict[str, Any] | None:
    """The stored message when the customer's chat exists and needs no update (one statement); else None."""
    try:
        params = {**_store_params(business_id, msg), **find_chat_params(business_id, msg.customer)}
    except ValueError:
        return None  # no phone and no BSUID: the full store raises it
    with statement_transaction(conn):
        return _stored(conn.execute(_STORE_FOR_KNOWN_CHAT, params).fetchone())


def _lost_a_race(exc: psycopg.Error) -> bool:
    """A unique violation, or anything PostgreSQL rolled back to break a tie (SQLSTATE class 40: deadlock,
    serialization failure). By SQLSTATE: psycopg's DeadlockDetected is not a subclass of TransactionRollback."""
    return isinstance(exc, psycopg.errors.UniqueViolation) or (exc.sqlstate or "").startswith("40")


def store_message(conn: psycopg.Connection, business_id: Any, msg: InboundMessage) -> tuple[dict[str, Any], bool]:
    """Conversation upsert + message (ON CONFLICT on wamid) + its job, in one transaction.

    Retried on a unique-violation race (two first messages of a new customer at the same moment) and
    on a deadlock or serialization failure, which PostgreSQL resolves by aborting one of the racers."""
    for attempt in range(3):
        try:
            if (row := _store_for_known_chat(conn, business_id, msg)) is not None:
                log.info("inbound message %s stored, job queued (business %s)", row["id"], business_id,
                         extra={"message_id": str(row["id"]), "business_id": str(business_id)})
                return row, True
            # pipelined: the reads and the commit leave together; message, chat times, job and NOTIFY are one statement
            with conn.pipeline(), conn.transaction():
                conversation = get_or_create_conversation(conn, business_id, msg.customer)
                row = _insert_with_job(conn, business_id, conversation["id"], msg)
                created = row is not None
                if created:  # the workers' wake-up went with the statement (sent at commit)
                    log.info("inbound message %s stored, job queued (business %s)", row["id"], business_id,
                             extra={"message_id": str(row["id"]), "business_id": str(business_id)})
                else:  # a delivery Meta repeated: the stored message
                    row = conn.execute("SELECT * FROM messages WHERE business_id = %s AND wamid = %s",
                                       (business_id, msg.wamid)).fetchone()
                return row, created
        except psycopg.Error as exc:
            if attempt == 2 or not _lost_a_race(exc):
                raise
            log.info("storing message %s raced another delivery (%s); retrying", msg.wamid, type(exc).__name__)
    raise AssertionError("unreachable")


def echo_quiet_minutes() -> float:
    """How long the bot stays quiet in a chat after the owner typed in it (MTAABOT_ECHO_QUIET_MINUTES)."""
    return get_settings().echo_quiet_minutes


def store_echo(conn: psycopg.Connection, business_id: Any, echo: EchoMessage) -> bool:
    """The owner's own message in a customer's chat: stored once (wamid) as an owner message, and the bot
    keeps quiet in that chat for a while so it never talks over the owner. False for a duplicate."""
    with conn.transaction():
        conversation = get_or_create_conversation(conn, business_id, echo.customer)
        row = conn.execute(
            """INSERT INTO messages (conversation_id, business_id, role, author, content, wamid, message_type, payload,
                                     delivery_status)
               VALUES (%s, %s, 'bot', 'owner', %s, %s, %s, %s, 'sent')
               ON CONFLICT (business_id, wamid) WHERE wamid IS NOT NULL DO NOTHING RETURNING id""",
            (conversation["id"], business_id, echo.text or f"[{echo.type}]", echo.wamid, echo.type,
             Jsonb(echo.raw))).fetchone()
        if row is None:
            return False
        conn.execute(
            """UPDATE conversations SET quiet_until = CURRENT_TIMESTAMP + make_interval(secs => %s),
                   last_message_at = CURRENT_TIMESTAMP WHERE id = %s""",
            (echo_quiet_minutes() * 60, conversation["id"]))
        conn.execute("UPDATE owner_alerts SET answered_at = coalesce(answered_at, CURRENT_TIMESTAMP) "
                     "WHERE conversation_id = %s", (conversation["id"],))
        return True


def apply_status(conn: psycopg.Connection, business_id: Any, status: StatusUpdate) -> bool:
    """Record a delivery status on the bot message it is about. False when no such message is ours."""
    with conn.transaction():
        row = conn.execute(
            "SELECT id, conversation_id, delivery_status FROM messages WHERE business_id = %s AND wamid = %s "
            "FOR UPDATE",
            (business_id, status.wamid),
        ).fetchone()
        if row is None:
            callback = status.raw.get("biz_opaque_callback_data")
            link_status(conn, business_id, callback if isinstance(callback, str) else None, status.wamid)
            # linked now, or the sender recorded the wamid while we waited for its row lock
            row = conn.execute("SELECT id, conversation_id, delivery_status FROM messages "
                               "WHERE business_id = %s AND wamid = %s FOR UPDATE",
                               (business_id, status.wamid)).fetchone()
            if row is None:
                return False
        new, current = status.status, row["delivery_status"]
        # statuses arrive out of order: never move backwards (read stays read); failed wins and sticks
        if new == "failed" or (current != "failed"
                               and STATUS_ORDER.get(new, -1) > STATUS_ORDER.get(current or "", -1)):
            conn.execute(
                """UPDATE messages SET delivery_status = %s, delivery_error_code = %s,
                       delivery_updated_at = CURRENT_TIMESTAMP WHERE id = %s""",
                (new, status.error_code, row["id"]),
            )
            if new == "failed" and current != "failed":  # an owner's reply Meta gave up on: tell the owner
                from mtaabot.owners.alerts import tell_undelivered, undelivered_reason

                tell_undelivered(conn, row["id"], undelivered_reason(status.error_code, None))
        if status.status == "failed" and status.error_code == WINDOW_CLOSED:
            conn.execute(
                "UPDATE conversations SET window_closed_at = CURRENT_TIMESTAMP WHERE id = %s AND business_id = %s",
                (row["conversation_id"], business_id),
            )
        return True


def process_batch(conn: psycopg.Connection, batch: ChangeBatch, report: DeliveryReport) -> None:
    """Route one change to its business and store everything it carried."""
    for skipped in batch.skipped:
        log.warning("webhook item not processed: %s", skipped.reason)
        record_unprocessed(conn, skipped)
        report.unprocessed += 1
    if not batch.messages and not batch.statuses and not batch.echoes:
        return
    with statement_transaction(conn):  # one statement, no BEGIN/COMMIT around it
        config = business_for_phone_number_id(conn, batch.phone_number_id or "")
    if config is None:
        log.warning("webhook for unknown phone_number_id %s: acknowledged, not processed", batch.phone_number_id)
        report.unknown_numbers.append(str(batch.phone_number_id))
        raw = {"messages": [m.raw for m in batch.messages], "statuses": [s.raw for s in batch.statuses]}
        record_unprocessed(conn, Skipped(batch.phone_number_id, "unknown phone_number_id", raw))
        return
    business_id = config["business_id"]
    for msg in batch.messages:
        try:
            _, created = store_message(conn, business_id, msg)
        except (psycopg.DataError, psycopg.IntegrityError) as exc:
            log.warning("message %s could not be stored: %s", msg.wamid, type(exc).__name__)
            record_unprocessed(conn, Skipped(batch.phone_number_id, f"not storable: {type(exc).__name__}",
                                             msg.raw), business_id)
            report.unprocessed += 1
            continue
        if created:
            report.stored += 1
        else:
            report.duplicates += 1
    for echo in batch.echoes:
        try:
            if store_echo(conn, business_id, echo):
                report.stored += 1
            else:
                report.duplicates += 1
        except (psycopg.DataError, psycopg.IntegrityError) as exc:
            record_unprocessed(conn, Skipped(batch.phone_number_id, f"echo not storable: {type(exc).__name__}",
                                             echo.raw), business_id)
            report.unprocessed += 1
    for status in batch.statuses:
        if apply_status(conn, business_id, status):
            report.statuses += 1
        else:
            log.info("status %s for a message we do not know (business %s)", status.status, business_id)
