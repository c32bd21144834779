"""Outbox: every bot message to send is a row here, written in the same transaction as the message.

Delivery guarantees (documented in README "WhatsApp"):
- A reply is enqueued atomically with the bot message, so a crash never loses it.
- A sender claims a row with a lease (`status='sending'`, `locked_until`) and commits the claim
  *before* calling the Graph API; the returned wamid is recorded right after.
- Just before each POST the row gets `post_started_at` (cleared again when Meta refuses). A row whose
  lease expired while that marker was set was interrupted mid-call (crash, dropped connection): Meta
  may have accepted it, so it is NOT sent again — it is marked failed ("outcome unknown") and linked
  to its wamid if a status webhook later echoes `biz_opaque_callback_data` "outbox:<id>". Replies
  are therefore at-most-once at that one boundary (a few milliseconds per send), exactly-once
  everywhere else (engine crash, DB down, 429/5xx, crash before the POST are all retried).
- Free-form sends are refused outside the 24-hour customer service window and to opted-out customers
  (except the opt-out/opt-in confirmation itself).
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from dataclasses import dataclass
from typing import Any

import psycopg

from mtaabot.config import get_settings
from mtaabot.conversations import Customer
from mtaabot.whatsapp.client import (
    RATE_LIMITED,
    WINDOW_CLOSED,
    GraphClient,
    GraphError,
    PostHooks,
    RateLimiter,
    Throttled,
    UnknownOutcome,
    template_body,
)

log = logging.getLogger(__name__)

OUTBOX_CHANNEL = "mtaabot_outbox"
MAX_ATTEMPTS = 20  # with the default 0.5 s backoff base: retried for about 8 minutes
LEASE_SECONDS = 60
PACED_AHEAD_SECONDS = 0.25  # a number whose next send slot is further ahead is skipped by claim_due
# Sent even to a customer who opted out: they answer the customer's own request (opt-out/in, data erasure).
CONFIRMATION_INTENTS = ("opt_out", "opt_in", "erasure_question", "erasure_done", "erasure_cancelled")
TEMPLATE_INTENTS = ("owner_alert", "owner_digest")  # sent as a utility template outside the 24-hour window


def owner_template() -> tuple[str, str]:
    """(name, language code) of the approved utility template owner alerts use outside the 24-hour window
    (MTAABOT_OWNER_ALERT_TEMPLATE / MTAABOT_OWNER_ALERT_TEMPLATE_LANG; see templates/owner_alert.md)."""
    settings = get_settings()
    return settings.owner_alert_template, settings.owner_alert_template_lang


class OutboxError(ValueError):
    """A reply that cannot be queued (unknown conversation, empty text...)."""


def enqueue_reply(conn: psycopg.Connection, bot_message_id: uuid.UUID | str, *, pipelined: bool = False,
                  notify: bool = True) -> int | None:
    """Queue a stored bot message for sending (idempotent). Runs in the caller's transaction.

    Returns the outbox id, or None when the message was already queued. `pipelined` (the worker, with the bot
    message it has just stored): the same writes in one round trip, returning nothing (None). `notify=False`
    (pipelined only): no NOTIFY - the caller wakes its own senders after the commit (a worker process with
    sender threads; every NOTIFY woke a sender in every worker process, and all but one claimed nothing)."""
    if pipelined:
        with conn.pipeline():
            queue_reply_writes(conn, bot_message_id, notify=notify)
        return None
    msg = conn.execute(
        "SELECT id, business_id, conversation_id, role FROM messages WHERE id = %s", (str(bot_message_id),)
    ).fetchone()
    if msg is None or msg["role"] != "bot":
        raise OutboxError(f"no bot message {bot_message_id}")
    from mtaabot.logsetup import current_request_id

    row = conn.execute(  # request_id: the id of the customer message this answers (the sender logs it)
        """INSERT INTO outbox (business_id, conversation_id, message_id, request_id) VALUES (%s, %s, %s, %s)
           ON CONFLICT (message_id) DO NOTHING RETURNING id""",
        (msg["business_id"], msg["conversation_id"], msg["id"], current_request_id()),
    ).fetchone()
    if row is None:
        return None
    conn.execute("UPDATE messages SET delivery_status = 'queued' WHERE id = %s AND delivery_status IS NULL",
                 (msg["id"],))
    conn.execute(f"NOTIFY {OUTBOX_CHANNEL}")
    return row["id"]


_QUEUE_REPLY = "WITH queued AS (UPDATE messages SET delivery_status = 'queued' WHERE id = %(m)s AND delivery_status IS NULL)"
_INSERT_OUTBOX = """INSERT INTO outbox (business_id, conversation_id, message_id, request_id)
                    SELECT business_id, conversation_id, id, %(r)s FROM messages WHERE id = %(m)s AND role = 'bot'
                    ON CONFLICT (message_id) DO NOTHING"""
_JOB_DONE = "UPDATE inbound_jobs SET status = 'done', done_at = clock_timestamp() WHERE id = %(j)s"


def queue_reply_writes(conn: psycopg.Connection, bot_message_id: uuid.UUID | str, *, notify: bool = True,
                       job_done: Any = None) -> None:
    """`enqueue_reply`'s writes without waiting for anything: for a caller in pipeline mode that sends them
    with its own (the worker: with the commit). The outbox row and the message's delivery status in one
    statement, and with them the inbound job `job_done` marked done when given (the worker's answered job);
    `notify` as in `enqueue_reply`."""
    from mtaabot.logsetup import current_request_id

    params = {"r": current_request_id(), "m": str(bot_message_id)}
    if job_done is None:
        conn.execute(f"{_QUEUE_REPLY} {_INSERT_OUTBOX}", params)
    else:
        conn.execute(f"{_QUEUE_REPLY}, outboxed AS ({_INSERT_OUTBOX}) {_JOB_DONE}", {**params, "j": job_done})
    if notify:
        conn.execute(f"NOTIFY {OUTBOX_CHANNEL}")


def system_reply(conn: psycopg.Connection, job: dict[str, Any], text: str, intent: str) -> dict[str, Any]:
    """Store a fixed answer (opt-out, hand-over, erasure question…) to a job's message and queue it for sending.
    A job marked `deliver: False` (`mtaabot ask`, which prints the answer instead) is stored, not queued."""
    row = store_bot_message(conn, business_id=job["business_id"], conversation_id=job["conversation_id"], text=text,
                            author="system", reply_to=job["message_id"], intent=intent)
    if job.get("deliver", True):
        enqueue_reply(conn, row["id"])
    return row


def store_bot_message(conn: psycopg.Connection, *, business_id: Any, conversation_id: Any, text: str,
                      author: str, reply_to: Any = None, intent: str | None = None) -> dict[str, Any]:
    """Insert a bot message (owner or system text) and touch the conversation."""
    row = conn.execute(
        """INSERT INTO messages (conversation_id, business_id, role, author, content, reply_to, intent,
                                 message_type, delivery_status)
           VALUES (%s, %s, 'bot', %s, %s, %s, %s, 'text', 'queued') RETURNING *""",
        (str(conversation_id), str(business_id), author, text, str(reply_to) if reply_to else None, intent),
    ).fetchone()
    conn.execute("UPDATE conversations SET last_message_at = CURRENT_TIMESTAMP WHERE id = %s",
                 (str(conversation_id),))
    return row


class OwnerReplyRefused(OutboxError):
    """An owner's reply that cannot be queued; `reason` is empty | too_long | not_this_shop | window_closed."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def enqueue_owner_reply(conn: psycopg.Connection, business_id: uuid.UUID | str,
                        conversation_id: uuid.UUID | str, text: str, *,
                        require_open_window: bool = False) -> uuid.UUID:
    """Store an owner-typed message (author='owner') and queue it. Returns the bot message id.

    The one rule for an owner's reply from any surface (REST API, dashboard, the owner's WhatsApp): not empty,
    at most WhatsApp's 4,096 characters, a conversation of this business and, with `require_open_window`, a
    customer who wrote within 24 hours (WhatsApp delivers no free-form message otherwise; without it the
    outbox skips the send later and tells the owner). Raises OwnerReplyRefused naming the reason."""
    text = (text or "").strip()
    if not text:
        raise OwnerReplyRefused("empty", "reply text is empty")
    if len(text) > 4096:
        raise OwnerReplyRefused("too_long", "reply text is longer than WhatsApp's 4096 characters")
    try:
        cid = str(uuid.UUID(str(conversation_id)))
    except ValueError as exc:
        raise OwnerReplyRefused("not_this_shop", "no such conversation") from exc
    conv = conn.execute(
        """SELECT id, coalesce(last_customer_message_at > CURRENT_TIMESTAMP - interval '24 hours', false) AS open
           FROM conversations WHERE id = %s AND business_id = %s""", (cid, str(business_id))).fetchone()
    if conv is None:
        raise OwnerReplyRefused("not_this_shop", "no such conversation")
    if require_open_window and not conv["open"]:
        raise OwnerReplyRefused("window_closed", "the customer has not written for 24 hours: WhatsApp will not "
                                "deliver a free-form message")
    row = store_bot_message(conn, business_id=business_id, conversation_id=cid, text=text, author="owner")
    enqueue_reply(conn, row["id"])
    return row["id"]


INTERRUPTED = "interrupted during the Graph API call: outcome unknown, not resent to avoid a duplicate"


def fail_interrupted(conn: psycopg.Connection) -> int:
    """Rows whose sender died inside the POST: mark them failed (never resent). Returns how many."""
    with conn.transaction():
        rows = conn.execute(
            """UPDATE outbox SET status = 'failed', last_error = %s, locked_until = NULL
               WHERE status = 'sending' AND locked_until < clock_timestamp() AND post_started_at IS NOT NULL
               RETURNING message_id""",
            (INTERRUPTED,),
        ).fetchall()
        for row in rows:
            conn.execute("""UPDATE messages SET delivery_status = 'failed', delivery_updated_at = CURRENT_TIMESTAMP
                            WHERE id = %s AND delivery_status = 'queued'""", (row["message_id"],))
    if rows:
        log.warning("%d outbox row(s) interrupted mid-send; not resent", len(rows))
    return len(rows)


def link_status(conn: psycopg.Connection, business_id: Any, callback_data: str | None, wamid: str) -> bool:
    """A status webhook for a wamid we never recorded, echoing "outbox:<id>": record the send."""
    if not callback_data or not callback_data.startswith("outbox:") or not callback_data[7:].isdigit():
        return False
    row = conn.execute(
        """UPDATE outbox SET status = 'sent', wamid = %s, last_error = NULL, sent_at = coalesce(sent_at, clock_timestamp())
           WHERE id = %s AND business_id = %s AND wamid IS NULL RETURNING message_id""",
        (wamid, int(callback_data[7:]), business_id),
    ).fetchone()
    if row is None:
        return False
    conn.execute("UPDATE messages SET wamid = %s, delivery_status = 'sent' WHERE id = %s AND wamid IS NULL",
                 (wamid, row["message_id"]))
    return True


_CLAIM_DUE = """
UPDATE outbox o SET status = 'sending', attempts = o.attempts + 1, post_started_at = NULL,
    locked_until = clock_timestamp() + make_interval(secs => %(lease)s)
WHERE o.id = (
    -- a chat's replies leave in order: only its oldest unsent (pending or in flight) row may go. One grouped
    -- pass over the unsent index, then primary-key lookups: linear in the backlog whatever the statistics say
    SELECT c.id FROM outbox c
    WHERE c.id = ANY(ARRAY(SELECT min(e.id) FROM outbox e WHERE e.status IN ('pending', 'sending')
                           GROUP BY e.conversation_id))
      AND c.status IN ('pending', 'sending') AND c.next_attempt_at <= clock_timestamp()
      AND (c.status = 'pending' OR (c.locked_until < clock_timestamp() AND c.post_started_at IS NULL))
      -- a shop whose number is backing off (Meta's 429) or is paced far ahead waits; other shops do not
      AND NOT EXISTS (SELECT 1 FROM api_configs a JOIN whatsapp_send_slots s
                          ON s.phone_number_id = a.whatsapp_phone_number_id
                      WHERE a.business_id = c.business_id
                        AND s.next_slot_at > clock_timestamp() + make_interval(secs => %(ahead)s))
    ORDER BY c.id FOR UPDATE OF c SKIP LOCKED LIMIT 1)
RETURNING o.*
"""
# The claim and everything the send needs (`_context`), in one statement: one round trip less per send.
_SEND_COLUMNS = """m.content AS send_text, m.intent AS send_intent, c.customer_wa_id AS send_wa_id,
                  c.customer_bsuid AS send_bsuid, c.customer_phone AS send_phone, c.opted_out AS send_opted_out,
                  c.kind AS send_kind,
                  (c.last_customer_message_at IS NOT NULL
                   AND c.last_customer_message_at > CURRENT_TIMESTAMP - interval '24 hours'
                   AND (c.window_closed_at IS NULL OR c.window_closed_at < c.last_customer_message_at))
                      AS send_window_open,
                  a.whatsapp_phone_number_id AS send_phone_number_id, a.whatsapp_access_token AS send_token,
                  b.suspended_at AS send_suspended_at"""
_CLAIM_DUE_WITH_CONTEXT = f"""
WITH claimed AS ({_CLAIM_DUE})
SELECT claimed.*, c.id IS NOT NULL AS send_context_read, {_SEND_COLUMNS}
FROM claimed
LEFT JOIN messages m ON m.id = claimed.message_id AND m.business_id = claimed.business_id
LEFT JOIN conversations c ON c.id = m.conversation_id AND c.business_id = m.business_id
LEFT JOIN businesses b ON b.id = m.business_id
LEFT JOIN api_configs a ON a.business_id = m.business_id
"""
# The claim, or - when nothing is due - how long to wait before something is (`claim_due_or_wait`): an idle
# sender's claim and its wait in one statement. Only what can make a row due later counts: a rescheduled row,
# a number paced further ahead than a claim accepts (a slot nearer than that never holds a row back: every
# send moved its number's slot a few ms ahead, and idle senders woke for each of them to claim nothing), or a
# due reply held back behind its chat's reply in flight (looked at again in BLOCKED_RECHECK_SECONDS). With a
# claimed row: whether other rows were due at that moment (`more_due`: the sender claims again at once after
# this send; otherwise it waits for a wake-up, which every reply queued later brings).
BLOCKED_RECHECK_SECONDS = 0.05
_CLAIM_OR_WAIT = f"""
WITH claimed AS ({_CLAIM_DUE}),
ctx AS (SELECT claimed.*, c.id IS NOT NULL AS send_context_read, {_SEND_COLUMNS}
        FROM claimed
        LEFT JOIN messages m ON m.id = claimed.message_id AND m.business_id = claimed.business_id
        LEFT JOIN conversations c ON c.id = m.conversation_id AND c.business_id = m.business_id
        LEFT JOIN businesses b ON b.id = m.business_id
        LEFT JOIN api_configs a ON a.business_id = m.business_id)
SELECT ctx.*, CASE WHEN ctx.id IS NULL THEN extract(epoch FROM least(
           (SELECT min(next_attempt_at) FROM outbox
            WHERE status = 'pending' AND next_attempt_at > clock_timestamp()),
           (SELECT min(next_slot_at) - make_interval(secs => %(ahead)s) FROM whatsapp_send_slots
            WHERE next_slot_at > clock_timestamp() + make_interval(secs => %(ahead)s)),
           (SELECT clock_timestamp() + make_interval(secs => %(recheck)s) FROM outbox s
            WHERE s.status = 'sending' AND s.locked_until > clock_timestamp()
              AND EXISTS (SELECT 1 FROM outbox p WHERE p.conversation_id = s.conversation_id AND p.id > s.id
                            AND p.status = 'pending' AND p.next_attempt_at <= clock_timestamp())
            LIMIT 1))
       - clock_timestamp()) END AS idle_wait_s,
       ctx.id IS NOT NULL AND EXISTS (SELECT 1 FROM outbox x WHERE x.status = 'pending'
                                        AND x.next_attempt_at <= clock_timestamp() AND x.id <> ctx.id) AS more_due
FROM (SELECT 1) one LEFT JOIN ctx ON true
"""
_interrupted_checked = [0.0]


def _check_interrupted(conn: psycopg.Connection) -> None:
    import time

    now = time.monotonic()
    if now - _interrupted_checked[0] >= 1.0:  # once a second per process is plenty
        _interrupted_checked[0] = now
        fail_interrupted(conn)


def claim_due_or_wait(conn: psycopg.Connection, poll: float, lease_seconds: float = LEASE_SECONDS,
                      paced_ahead: float = PACED_AHEAD_SECONDS) -> tuple[dict[str, Any] | None, float]:
    """`claim_due` for a sender loop: (the claimed row, 0 when other rows were due too, else `poll`) or, when
    nothing is due, (None, seconds until a rescheduled, paced or held-back row may be, at most `poll`) - one
    statement either way (its own transaction on an autocommit connection)."""
    _check_interrupted(conn)
    params = {"lease": lease_seconds, "ahead": paced_ahead, "recheck": BLOCKED_RECHECK_SECONDS}
    with contextlib.nullcontext() if conn.autocommit else conn.transaction():
        row = conn.execute(_CLAIM_OR_WAIT, params).fetchone()
    if row is not None and row["id"] is not None:
        return row, (0.0 if row["more_due"] else poll)
    due = row["idle_wait_s"] if row else None
    return None, (poll if due is None else max(0.01, min(poll, float(due))))


def claim_due(conn: psycopg.Connection, lease_seconds: float = LEASE_SECONDS,
              paced_ahead: float = PACED_AHEAD_SECONDS) -> dict[str, Any] | None:
    """Claim one due outbox row (pending, or a 'sending' whose lease expired before its POST) and commit.

    Fair and ordered: only the oldest unsent row of a conversation can be claimed (a reply waiting for its
    429 retry holds back the later replies of that chat, never overtaken), and rows of a shop whose
    number is backing off are left for later so they do not take a sender from the other shops."""
    _check_interrupted(conn)
    params = {"lease": lease_seconds, "ahead": paced_ahead}
    if conn.autocommit:  # one statement is its own transaction: no BEGIN/COMMIT round trips
        return conn.execute(_CLAIM_DUE_WITH_CONTEXT, params).fetchone()
    with conn.transaction():
        return conn.execute(_CLAIM_DUE_WITH_CONTEXT, params).fetchone()


@dataclass(frozen=True)
class SendContext:
    text: str
    intent: str | None
    phone_number_id: str | None
    access_token: str | None
    customer: Customer
    opted_out: bool
    window_open: bool
    blocked: str | None = None  # why it must not go out at all (mtaabot.operator.send_blocked), or None


def _context(conn: psycopg.Connection, item: dict[str, Any]) -> SendContext:
    """Everything the send needs (message, chat, the shop's number and suspension): read with the claim
    (`claim_due`), else in one read here."""
    from mtaabot.operator import blocked_reason  # a suspended shop's customers get only its notice (issue 22)

    if item.get("send_context_read"):
        row = item
    else:
        row = conn.execute(
            f"""SELECT {_SEND_COLUMNS}
               FROM messages m JOIN conversations c ON c.id = m.conversation_id
               JOIN businesses b ON b.id = m.business_id
               LEFT JOIN api_configs a ON a.business_id = m.business_id
               WHERE m.id = %s AND m.business_id = %s AND c.business_id = m.business_id""",
            (item["message_id"], item["business_id"]),
        ).fetchone()
    phone = row["send_wa_id"]
    if not phone and not row["send_bsuid"]:
        phone = row["send_phone"]
    customer = Customer(phone=phone, bsuid=row["send_bsuid"])
    from mtaabot.secretbox import decrypt  # access tokens are encrypted at rest

    return SendContext(text=row["send_text"], intent=row["send_intent"], phone_number_id=row["send_phone_number_id"],
                       access_token=decrypt(row["send_token"]), customer=customer,
                       opted_out=row["send_opted_out"], window_open=bool(row["send_window_open"]),
                       blocked=blocked_reason(row["send_suspended_at"], row["send_kind"], row["send_intent"]))


_SENT = """WITH o AS (UPDATE outbox SET status = 'sent', last_error = NULL, wamid = %(w)s, locked_until = NULL,
                                  sent_at = clock_timestamp() WHERE id = %(id)s)
UPDATE messages SET wamid = %(w)s, delivery_updated_at = CURRENT_TIMESTAMP,
    delivery_status = CASE WHEN delivery_status IN ('delivered', 'read', 'failed') THEN delivery_status ELSE 'sent' END
WHERE id = %(m)s"""


def _finish(conn: psycopg.Connection, item: dict[str, Any], *, status: str, error: str | None = None,
            error_code: int | None = None, wamid: str | None = None) -> None:
    if status == "sent":  # the common case: both rows in one statement (its own transaction on an autocommit
        # connection: one statement instead of BEGIN, two UPDATEs and COMMIT)
        with contextlib.nullcontext() if conn.autocommit else conn.transaction():
            conn.execute(_SENT, {"w": wamid, "id": item["id"], "m": item["message_id"]})
        return
    with conn.transaction():
        conn.execute(
            """UPDATE outbox SET status = %s, last_error = %s, wamid = %s, locked_until = NULL,
                   sent_at = CASE WHEN %s = 'sent' THEN clock_timestamp() END
               WHERE id = %s""",
            (status, error, wamid, status, item["id"]),
        )
        conn.execute(
            """UPDATE messages SET delivery_status = 'failed', delivery_error_code = %s,
                   delivery_updated_at = CURRENT_TIMESTAMP WHERE id = %s""",
            (error_code, item["message_id"]),
        )
        if error_code == WINDOW_CLOSED:
            conn.execute("UPDATE conversations SET window_closed_at = CURRENT_TIMESTAMP WHERE id = %s",
                         (item["conversation_id"],))
        if status in ("failed", "skipped"):
            # An owner's reply that WhatsApp will not deliver: the owner is told (dashboard + phone), once.
            from mtaabot.owners.alerts import tell_undelivered, undelivered_reason

            tell_undelivered(conn, item["message_id"], undelivered_reason(error_code, error))


def retry_delay(attempts: int, retry_after: float | None = None) -> float:
    """Backoff before attempt `attempts + 1`: WHATSAPP_RETRY_BASE_SECONDS doubling per attempt, with jitter,
    at most 64 steps (32 s by default), never sooner than Meta's Retry-After (up to 10 minutes)."""
    import random

    base = get_settings().whatsapp_retry_base_seconds
    delay = min(600.0, base * 64, base * 2 ** max(0, attempts - 1)) * random.uniform(0.75, 1.25)
    return max(delay, min(600.0, retry_after or 0.0))


def _retry_later(conn: psycopg.Connection, item: dict[str, Any], error: str, delay: float | None = None) -> None:
    """Back to pending with a later next_attempt_at: no thread waits for it (other rows go meanwhile)."""
    if item["attempts"] >= MAX_ATTEMPTS:
        _finish(conn, item, status="failed", error=f"gave up after {item['attempts']} attempts: {error}")
        return
    with conn.transaction():
        conn.execute(
            """UPDATE outbox SET status = 'pending', last_error = %s, locked_until = NULL, post_started_at = NULL,
                   next_attempt_at = clock_timestamp() + make_interval(secs => %s) WHERE id = %s""",
            (error, retry_delay(item["attempts"]) if delay is None else delay, item["id"]),
        )


def _not_sent_yet(conn: psycopg.Connection, item: dict[str, Any], seconds: float) -> None:
    """The number is paced or backing off: the row goes back untouched (the claim is not an attempt)."""
    with conn.transaction():
        conn.execute(
            """UPDATE outbox SET status = 'pending', attempts = greatest(0, attempts - 1), locked_until = NULL,
                   next_attempt_at = clock_timestamp() + make_interval(secs => %s) WHERE id = %s""",
            (max(0.01, seconds), item["id"]),
        )


_MARK = "UPDATE outbox SET post_started_at = clock_timestamp() WHERE id = %s"
# The marker's commit must be synchronous on a connection that commits asynchronously. When the marker's statement
# is its own transaction (autocommit), set_config(..., is_local => true) inside it turns synchronous_commit on for
# that transaction's commit and no further (as SET LOCAL would in BEGIN; SET LOCAL; ...; COMMIT: four statements
# where this is one). The main SELECT's one row always evaluates it (tests/webhook/test_send_pacing.py counts the
# connection's WAL fsyncs).
_DURABLE_COLUMN = ", set_config('synchronous_commit', 'on', true) AS durable"
_DURABLE = "SELECT set_config('synchronous_commit', 'on', true) AS durable"


class _Marker(PostHooks):
    """Records in the outbox row that a POST is in flight (committed before the request leaves)."""

    def __init__(self, conn: psycopg.Connection, outbox_id: int) -> None:
        self.conn, self.outbox_id = conn, outbox_id

    def _own_transaction(self) -> bool:
        """The marker's statement is a transaction by itself (the sender's autocommit connection, idle)."""
        return self.conn.autocommit and self.conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE

    def before_post(self) -> None:
        try:
            # Durable before the request leaves, even on a connection that commits asynchronously: this
            # flush also makes everything committed before it durable (the reply and its outbox row).
            if self._own_transaction():  # one statement: its own transaction, committed synchronously
                self.conn.execute(f"WITH marked AS ({_MARK}) {_DURABLE}", (self.outbox_id,))
            else:
                with self.conn.pipeline(), self.conn.transaction():  # BEGIN, SET, UPDATE, COMMIT: one round trip
                    self.conn.execute("SET LOCAL synchronous_commit = on")
                    self.conn.execute(_MARK, (self.outbox_id,))
        except psycopg.OperationalError as exc:
            # the database went away while the marker committed: it may be set, but no POST was made
            raise NotPosted(self.outbox_id) from exc

    def before_post_paced(self, limiter: RateLimiter, phone_number_id: str) -> bool:
        """The number's send slot and the marker in ONE statement of the marker's transaction (was: the slot on
        the limiter's own connection, then the marker): the row is marked only when the slot was taken; a
        number paced further ahead than the limiter waits raises Throttled with nothing taken or marked. The
        wait for the slot (at most the limiter's max_wait) comes after the marker's commit."""
        if type(limiter) is not RateLimiter:  # another pacer (a subclass, a test's): the client runs it
            return False
        query = f"""WITH slot AS ({limiter.RESERVE}),
                         marked AS (UPDATE outbox SET post_started_at = clock_timestamp()
                                    WHERE id = %(o)s AND EXISTS (SELECT 1 FROM slot))
                    SELECT (SELECT wait FROM slot) AS wait,
                           (SELECT extract(epoch FROM next_slot_at - clock_timestamp()) FROM whatsapp_send_slots
                            WHERE phone_number_id = %(p)s) AS ahead"""
        params = {**limiter.reserve_params(phone_number_id), "o": self.outbox_id}
        try:
            if self._own_transaction():  # one statement, committed synchronously (durable before the POST)
                row = self.conn.execute(query + _DURABLE_COLUMN, params).fetchone()
            else:
                with self.conn.pipeline(), self.conn.transaction():
                    self.conn.execute("SET LOCAL synchronous_commit = on")  # durable before the POST, as before_post
                    cursor = self.conn.execute(query, params)
                row = cursor.fetchone()
        except psycopg.OperationalError as exc:
            raise NotPosted(self.outbox_id) from exc
        if row is None or row["wait"] is None:  # further ahead than the limiter waits: nothing taken or marked
            ahead = row["ahead"] if row is not None else None
            raise Throttled(phone_number_id, max(0.0, float(ahead)) if ahead is not None else 0.0)
        limiter.wait_for(row["wait"])
        return True

    def after_refusal(self) -> None:
        with self.conn.transaction():
            self.conn.execute("UPDATE outbox SET post_started_at = NULL WHERE id = %s", (self.outbox_id,))


def send_claimed(conn: psycopg.Connection, client: GraphClient, item: dict[str, Any]) -> str:
    """Send one claimed outbox row; returns the final outbox status ('sent', 'skipped', 'failed', 'pending').
    Every log line of the send carries the request id of the customer message it answers."""
    from mtaabot.logsetup import request_context

    with request_context(item.get("request_id")):
        status = _send_claimed(conn, client, item)
        log.info("outbox %s %s (attempt %d)", item["id"], status, item["attempts"],
                 extra={"outbox_id": item["id"], "outbox_status": status})
        return status


def _send_claimed(conn: psycopg.Connection, client: GraphClient, item: dict[str, Any]) -> str:
    try:
        ctx = _context(conn, item)
        conn.commit()  # do not hold a transaction open during the HTTP call
    except psycopg.OperationalError as exc:  # the database went away before anything was posted
        raise NotPosted(item["id"]) from exc
    blocked = ctx.blocked
    if blocked:
        _finish(conn, item, status="skipped", error=blocked)
        return "skipped"
    if ctx.opted_out and ctx.intent not in CONFIRMATION_INTENTS:
        _finish(conn, item, status="skipped", error="customer opted out")
        return "skipped"
    body = None
    if not ctx.window_open and ctx.intent in TEMPLATE_INTENTS and ctx.phone_number_id:
        # The owner has not written in 24 hours: only an approved utility template is delivered.
        name, language = owner_template()
        body = template_body(ctx.customer.address, name, language, [ctx.text], callback_data=f"outbox:{item['id']}")
    elif not ctx.window_open:
        _finish(conn, item, status="skipped", error="outside the 24-hour customer service window",
                error_code=WINDOW_CLOSED)
        return "skipped"
    if not ctx.phone_number_id or not ctx.access_token:
        _finish(conn, item, status="failed", error="business has no WhatsApp connection (api_configs)")
        return "failed"
    try:
        result = client.send_text(ctx.phone_number_id, ctx.access_token, ctx.customer.address, ctx.text,
                                  callback_data=f"outbox:{item['id']}", hooks=_Marker(conn, item["id"]), body=body)
    except UnknownOutcome as exc:
        _finish(conn, item, status="failed", error=f"{INTERRUPTED} ({exc})")
        return "failed"
    except Throttled as exc:  # nothing sent: this shop waits, the sender thread moves on
        _not_sent_yet(conn, item, exc.seconds)
        return "pending"
    except GraphError as exc:
        if exc.retryable:
            delay = retry_delay(item["attempts"], exc.retry_after)
            if (exc.status == 429 or exc.code == RATE_LIMITED) and isinstance(client.rate_limiter, RateLimiter):
                client.rate_limiter.back_off(ctx.phone_number_id, delay)  # the whole number waits, not the thread
            _retry_later(conn, item, str(exc), delay)
            return "pending"
        _finish(conn, item, status="failed", error=str(exc), error_code=exc.code)
        return "failed"
    try:
        _finish(conn, item, status="sent", wamid=result.wamid)
    except psycopg.OperationalError as exc:  # Meta has it; the database went away before we could say so
        raise SentNotRecorded(item, result.wamid) from exc
    return "sent"


class SentNotRecorded(psycopg.OperationalError):
    """The POST succeeded but the database was lost before its result was written: the caller writes it
    (`record_sent`) once the database is back, instead of leaving the row to be marked "interrupted"."""

    def __init__(self, item: dict[str, Any], wamid: str) -> None:
        super().__init__(f"outbox {item['id']} sent as {wamid}; result not recorded yet")
        self.item, self.wamid = item, wamid


class NotPosted(psycopg.OperationalError):
    """The database was lost before the POST was made (reading the send, or committing the pre-POST marker):
    the marker may be set all the same, which would make the row look interrupted mid-send (failed, never
    resent), or the row waits out its lease. The
    caller releases the row (`release_not_posted`) once the database is back (test_db_restart caught a stop
    landing exactly there: a reply that was never sent was marked interrupted)."""

    def __init__(self, outbox_id: int) -> None:
        super().__init__(f"outbox {outbox_id}: database lost before its POST; not sent")
        self.outbox_id = outbox_id


def release_not_posted(conn: psycopg.Connection, outbox_id: int) -> None:
    """A row whose POST was never made goes back to pending (see NotPosted): also when its lease ran out in the
    meantime and it was marked interrupted, as long as no send was linked to it."""
    with conn.transaction():
        row = conn.execute(
            """UPDATE outbox SET status = 'pending', post_started_at = NULL, locked_until = NULL, last_error = NULL,
                   attempts = greatest(0, attempts - 1), next_attempt_at = clock_timestamp()
               WHERE id = %s AND wamid IS NULL
                 AND (status = 'sending' OR (status = 'failed' AND last_error = %s))
               RETURNING message_id""", (outbox_id, INTERRUPTED)).fetchone()
        if row is not None:
            conn.execute("""UPDATE messages SET delivery_status = 'queued', delivery_updated_at = CURRENT_TIMESTAMP
                            WHERE id = %s AND delivery_status = 'failed' AND wamid IS NULL""", (row["message_id"],))


def record_sent(conn: psycopg.Connection, item: dict[str, Any], wamid: str) -> None:
    """Write the result of a send whose POST succeeded (see SentNotRecorded)."""
    _finish(conn, item, status="sent", wamid=wamid)
