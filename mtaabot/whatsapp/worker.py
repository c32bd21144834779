"""The worker loop: answer stored customer messages (engine) and send the outbox (Graph client).

Run many copies (`mtaabot worker`, or `Worker(...).start()` in-process). Inbound jobs are claimed
with `SELECT … FOR UPDATE SKIP LOCKED` inside the transaction that also writes the bot message and
its outbox row, so a crash rolls everything back and another worker picks the job up. Jobs of one
conversation are answered in order (a job waits while an earlier one of its chat is pending).
Sender threads claim outbox rows with a lease and call the Graph API outside any transaction.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
import psycopg.rows

from mtaabot.config import get_settings
from mtaabot.conversations import escalate, handover_state
from mtaabot.db import connect, database_url, statement_transaction
from mtaabot.intents import explicit_opt_out, keyword, wants_opt_out
from mtaabot.whatsapp import fixed_texts
from mtaabot.whatsapp.client import GraphClient, RateLimiter
from mtaabot.whatsapp.inbound import JOBS_CHANNEL
from mtaabot.whatsapp.outbox import (
    OUTBOX_CHANNEL,
    PACED_AHEAD_SECONDS,
    NotPosted,
    SentNotRecorded,
    claim_due_or_wait,
    enqueue_reply,
    queue_reply_writes,
    record_sent,
    release_not_posted,
    send_claimed,
    system_reply,
)

log = logging.getLogger(__name__)

MAX_JOB_ATTEMPTS = 5
OPT_IN_WORDS = {"start", "anza", "subscribe"}
# What an opted-out customer may write without it counting as "writing again" (which undoes the opt-out).
STILL_NO_WORDS = {"acha", "sitaki", "no", "hapana", "nope", "stop it"}
HUMAN_BUTTON_IDS = {"talk_to_human", "human", "agent"}
ENGINE_TYPES = {"text", "button", "interactive", "order"}  # order = a WhatsApp catalogue cart
CAPTIONED_TYPES = {"image", "video", "document"}

Respond = Callable[..., Any]


def _default_respond() -> Respond:
    from mtaabot.engine import respond

    return respond


def warm_up() -> None:
    """Load the engine's models now, so the first customer does not wait for them (best effort)."""
    for module, call, args in (("mtaabot.language", "detect_language", ("habari yako",)),
                               ("mtaabot.tokens", "count_tokens", ("habari",)),
                               ("mtaabot.embeddings", "encode_query", ("habari",)),
                               ("mtaabot.embeddings", "warm_queries", ()),
                               # the intent model and the word-piece vocabulary the retrieval rules read (~60 ms)
                               ("mtaabot.understanding", "understand", ("bei ya sukari ni ngapi?", "SWA")),
                               ("mtaabot.retrieval", "_model_vocabulary", ())):
        try:
            getattr(__import__(module, fromlist=[call]), call)(*args)
        except Exception:  # a missing piece shows up on the first real job instead
            log.warning("warm-up of %s.%s failed", module, call, exc_info=True)
    _import_engine_modules()


# Packages the engine imports inside functions on a message's way (an owner's command, a checkout, a bill): imported
# at start-up, or the first jobs after a deploy wait ~250 ms for the imports and their regexes (bench: the first
# second's replies were the run's slowest 1%).
_ENGINE_PACKAGES = ("mtaabot.orders", "mtaabot.owners", "mtaabot.billing")


def _import_engine_modules() -> None:
    import importlib
    import pkgutil

    names = ["mtaabot.engine", "mtaabot.generation", "mtaabot.notifications", "mtaabot.messages"]
    for package in _ENGINE_PACKAGES:
        path = importlib.import_module(package).__path__
        names += [f"{package}.{m.name}" for m in pkgutil.iter_modules(path)]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            log.warning("warm-up import of %s failed", name, exc_info=True)


_CLAIM = """
WITH picked AS (
    -- only the oldest pending job of a chat: one grouped pass over the pending index, then primary-key
    -- lookups, so a claim stays linear in the backlog whatever the statistics say (a per-candidate NOT EXISTS
    -- was planned as a quadratic join on a queue table analysed while empty: 100 ms a claim at 400 jobs)
    SELECT j.id FROM inbound_jobs j
    WHERE j.id = ANY(ARRAY(SELECT min(e.id) FROM inbound_jobs e WHERE e.status = 'pending'
                           GROUP BY e.conversation_id))
      AND j.status = 'pending' AND j.not_before <= clock_timestamp()
    ORDER BY j.id LIMIT %(n)s FOR UPDATE OF j SKIP LOCKED)
UPDATE inbound_jobs j SET not_before = clock_timestamp() + make_interval(secs => %(lease)s),
                          attempts = j.attempts + 1
FROM picked
WHERE j.id = picked.id
RETURNING j.*, (SELECT m.content FROM messages m WHERE m.id = j.message_id) AS text,
          (SELECT m.message_type FROM messages m WHERE m.id = j.message_id) AS message_type
"""


def claim_jobs(conn: psycopg.Connection, limit: int = 1, lease_seconds: float = 30.0) -> list[dict[str, Any]]:
    """Lease up to `limit` runnable jobs in one short transaction (committed before any work starts).

    Only the oldest pending job of a conversation is runnable, so a batch never holds two messages of one
    chat and a chat's next message waits until the previous one is done (or failed for good). The lease
    is `not_before` moved `lease_seconds` ahead: a worker that dies mid-batch leaves its jobs pending, and
    any worker takes them again once the lease ran out (the reply is unique per message, so a job run
    twice still answers once). SKIP LOCKED keeps concurrent claimers (threads, processes, machines) apart;
    a job another worker leased a moment ago fails the re-checked `not_before` and is skipped too.
    The claim is one statement: on an idle connection it runs as its own transaction (autocommit for that
    statement: no BEGIN and COMMIT around it, two of the three statements of a claim that finds nothing)."""
    params = {"n": max(1, limit), "lease": lease_seconds}
    with statement_transaction(conn):
        if conn.autocommit:
            rows = conn.execute(_CLAIM, params).fetchall()
        else:  # inside a caller's transaction: a savepoint
            with conn.transaction():
                rows = conn.execute(_CLAIM, params).fetchall()
    return sorted(rows, key=lambda r: r["id"])


def claim_job(conn: psycopg.Connection) -> dict[str, Any] | None:
    """Lease the oldest runnable job (see `claim_jobs`)."""
    jobs = claim_jobs(conn, 1)
    return jobs[0] if jobs else None


def _forward_to_owner(conn: psycopg.Connection, conv: dict[str, Any], mtype: str, text: str) -> None:
    """A customer writing while their chat is with the owner: the owner hears it on their own WhatsApp (with the
    alert number to answer), or the message would wait unseen until someone opened the dashboard."""
    from mtaabot.notifications import notify as tell_owner
    from mtaabot.orders.paid_claims import claim_while_owner_has_the_chat
    from mtaabot.owners.alerts import owner_text

    if mtype == "text" and claim_while_owner_has_the_chat(conn, conv, text):
        return  # the payment alert names the order, the amount and the code
    who = conv.get("customer_name") or conv.get("customer_phone") or "A customer"
    said = text.strip()[:300] if text.strip() else f"[{mtype}]"
    tell_owner(conn, conv["business_id"], "customer_message",  # in the owner's language (it was English only)
               owner_text(conn, conv["business_id"], "customer_waiting", who=who, said=said),
               conversation_id=conv["id"])


def _handover_lapsed(conn: psycopg.Connection, conv: dict[str, Any]) -> bool:
    """A chat handed to an owner who has not written in it for MTAABOT_HANDOVER_MINUTES: the engine answers the
    customer again (a complaint goes to the owner anew) instead of forwarding every message to the owner."""
    return conv["status"] == "human_escalated" and not handover_state(conn, conv["id"]).waiting


def _cancels_order(conn: psycopg.Connection, conv: dict[str, Any], word: str) -> bool:
    """"sitaki tena" / "sitaki maziwa tena" with an order open is about the order (cancel it, take the milk out): the
    customer still wants the shop's messages (only an explicit "STOP" / "usinitumie meseji" opts out then)."""
    from mtaabot.orders.patterns import CANCEL
    from mtaabot.orders.store import latest_open

    about_messages = re.search(r"\b(?:meseji|messages?|ujumbe|sms|texts?|jumbe)\b", word)
    return (not explicit_opt_out(word) and (bool(CANCEL.search(word)) or not about_messages)
            and latest_open(conn, conv["business_id"], conv["id"]) is not None)


def _system_reply(conn: psycopg.Connection, job: dict[str, Any], text: str, intent: str) -> None:
    system_reply(conn, job, text, intent)


_CONVERSATION_COLUMNS, _BUSINESS_COLUMNS = "__conversation_columns", "__business_columns"


def _read_job_rows(conn: psycopg.Connection, job: dict[str, Any]) -> tuple[dict[str, Any] | None, ...]:
    """The message, its conversation (locked: this chat's answer is serialised from here on), the shop, whether
    the message is answered already and the chat's recent answers (pace): ONE statement (was three, pipelined).
    The row holds the three rows side by side, split at two marker columns into the same dicts `SELECT *` of each
    gave (the same columns in the same order, the same types). Nothing found (no message, conversation or
    shop): all None, and the caller gives up on the job as before."""
    from mtaabot.ratelimit import RECENT_ANSWERS, recent_answers_params

    cursor = conn.cursor(row_factory=psycopg.rows.tuple_row)
    row = cursor.execute(
        f"""SELECT m.*, EXISTS (SELECT 1 FROM messages a WHERE a.reply_to = m.id) AS job_answered,
                   recent.n AS job_recent_n, recent.oldest AS job_recent_oldest,
                   NULL AS {_CONVERSATION_COLUMNS}, c.*, NULL AS {_BUSINESS_COLUMNS}, b.*
            FROM messages m
            CROSS JOIN LATERAL ({RECENT_ANSWERS}) recent
            JOIN conversations c ON c.id = %s AND c.business_id = %s
            JOIN businesses b ON b.id = %s
            WHERE m.id = %s AND m.business_id = %s
            FOR UPDATE OF c""",
        (*recent_answers_params(job), job["conversation_id"], job["business_id"], job["business_id"],
         job["message_id"], job["business_id"])).fetchone()
    if row is None:
        return None, None, None, None, None
    # the column names straight from the result (`cursor.description` builds a Column, with its type looked up,
    # for each of the ~70 columns: ~4 % of the worker's engine path under cProfile)
    result, encoding = cursor.pgresult, conn.info.encoding
    assert result is not None
    names = [(result.fname(i) or b"").decode(encoding) for i in range(result.nfields)]
    conv_at, shop_at = names.index(_CONVERSATION_COLUMNS), names.index(_BUSINESS_COLUMNS)
    msg = dict(zip(names[:conv_at], row[:conv_at], strict=True))
    conv_row = dict(zip(names[conv_at + 1:shop_at], row[conv_at + 1:shop_at], strict=True))
    shop_row = dict(zip(names[shop_at + 1:], row[shop_at + 1:], strict=True))
    answered = {"answered": 1} if msg.pop("job_answered") else None
    recent = {"n": msg.pop("job_recent_n"), "oldest": msg.pop("job_recent_oldest")}  # for the customer's pace
    return msg, conv_row, shop_row, answered, recent


def handle_job(conn: psycopg.Connection, job: dict[str, Any], respond: Respond, notify: bool = True,
               replies: list[Any] | None = None) -> str:
    """Decide and store the answer to one customer message. Returns what was done (for logs/tests).
    `notify=False`: an engine reply is queued without a NOTIFY (the caller wakes its own senders).
    `replies`: the engine reply's bot message id is appended here instead of being queued, for the caller to
    queue with the job's own status and the commit (`outbox.queue_reply_writes(job_done=...)`: one statement,
    one round trip). A job with `deliver: False` (`mtaabot ask`: message id, conversation and business only)
    gets every answer stored and none queued (pass `replies`), and is not paced."""
    msg, conv, shop, answered, recent = _read_job_rows(conn, job)
    if msg is None or conv is None or shop is None:
        raise LookupError(f"message {job['message_id']} of job {job['id']} is gone")
    if answered:
        return "already_answered"

    def business() -> dict[str, Any]:
        return shop

    mtype, text = msg["message_type"], msg["content"] or ""
    payload = msg["payload"] or {}
    word = keyword(text) if mtype == "text" else ""
    from mtaabot import privacy_chat  # "futa data yangu" → confirmation → erasure (issue 22)

    # An opt-out is an explicit request (mtaabot.intents); a bare "acha" or "sitaki" answers the bot's question.
    # A request to delete one's data ("delete my data", "niondoe data yangu") is the erasure dialogue, never an
    # opt-out, also when the learned classifier would read it as one.
    if word and wants_opt_out(word) and not privacy_chat.is_request(text) and not _cancels_order(conn, conv, word):
        if conv["opted_out"]:
            return "silent_opted_out"
        conn.execute("UPDATE conversations SET opted_out = true WHERE id = %s", (conv["id"],))
        _system_reply(conn, job, fixed_texts.opt_out_confirmation(), "opt_out")
        return "opted_out"
    if (erasure := privacy_chat.handle(conn, job, conv, msg)) is not None:
        return erasure
    if conv["status"] == "closed":  # a closed chat reopens when the customer writes again
        conv = conn.execute("UPDATE conversations SET status = 'ai_active' WHERE id = %s RETURNING *",
                            (conv["id"],)).fetchone()
    use_engine = (mtype in ENGINE_TYPES and text.strip() and not text.startswith("[")) or (
        mtype in CAPTIONED_TYPES and not text.startswith("[")) or mtype == "order"
    if conv["opted_out"] and word in OPT_IN_WORDS:
        conn.execute("UPDATE conversations SET opted_out = false WHERE id = %s", (conv["id"],))
        _system_reply(conn, job, fixed_texts.opt_in_confirmation(business()), "opt_in")
        return "opted_in"
    if conv["opted_out"] and use_engine and word not in STILL_NO_WORDS and re.search(r"[^\W\d_]", text):
        # the customer wrote to the shop again: they want an answer, so the opt-out ends here
        conv = conn.execute("UPDATE conversations SET opted_out = false WHERE id = %s RETURNING *",
                            (conv["id"],)).fetchone()
    # rows already read and locked here, handed to the engine instead of being read again
    rows = {"message": msg, "conversation": conv, "business": shop}
    lapsed = _handover_lapsed(conn, conv)  # handed over, the owner silent too long: answered again
    if conv["opted_out"] or (conv["status"] != "ai_active" and not lapsed):
        if use_engine:  # the engine stays silent here but still records language and tokens
            respond(conn, business_id=job["business_id"], conversation_id=job["conversation_id"],
                    user_message_id=job["message_id"], rows=rows)
        if conv["status"] == "human_escalated" and not conv["opted_out"]:
            _forward_to_owner(conn, conv, mtype, text)
        return "silent_opted_out" if conv["opted_out"] else "silent_escalated"
    from mtaabot.ratelimit import pace  # a flooding customer is answered at a sane pace (issue 22)

    # a job not delivered (`mtaabot ask`) is a person trying the bot at the terminal: no pacing
    if job.get("deliver", True) and (paced := pace(conn, job, conv, recent)) is not None:
        return paced
    button_id = _button_id(mtype, payload)
    if button_id in HUMAN_BUTTON_IDS:  # a lapsed hand-over is made anew
        escalate(conn, conv["id"], "customer_request", again=conv["status"] == "human_escalated")
        _system_reply(conn, job, fixed_texts.handover(business()), "escalation")
        return "escalated"
    if use_engine:
        result = respond(conn, business_id=job["business_id"], conversation_id=job["conversation_id"],
                         user_message_id=job["message_id"], rows=rows)
        if getattr(result, "reply", None) and getattr(result, "bot_message_id", None):
            if replies is None:
                enqueue_reply(conn, result.bot_message_id, pipelined=True, notify=notify)
            else:
                replies.append(result.bot_message_id)
            return "answered"
        return "engine_silent"
    if mtype == "reaction":
        return "ignored_reaction"
    if lapsed:  # a photo or voice note the bot cannot read may be the evidence the owner needs
        _forward_to_owner(conn, conv, mtype, text)
    canned = fixed_texts.for_message_type(mtype, business())
    _system_reply(conn, job, canned, f"media_{mtype}"[:30])
    return f"canned_{mtype}"


def answer_here(conn: psycopg.Connection, *, business_id: Any, conversation_id: Any, message_id: Any) -> Any:
    """`mtaabot ask`: the worker's whole decision for one stored customer message — an explicit opt-out or
    opt-in, the data-erasure dialogue, a handed-over or opted-out chat's silence, else the engine — with the
    answer stored and returned (an `engine.EngineResult`) instead of queued for WhatsApp."""
    from mtaabot.engine import EngineResult
    from mtaabot.engine import respond as engine_respond
    from mtaabot.language import detect_language

    answered: list[Any] = []

    def respond(conn: psycopg.Connection, **kwargs: Any) -> Any:
        answered.append(result := engine_respond(conn, **kwargs))
        return result

    job = {"id": None, "message_id": message_id, "conversation_id": conversation_id, "business_id": business_id,
           "deliver": False}
    outcome = handle_job(conn, job, respond, replies=[])
    if answered:
        return answered[-1]
    reply = conn.execute("SELECT id, content, intent FROM messages WHERE reply_to = %s AND business_id = %s "
                         "ORDER BY created_at DESC LIMIT 1", (message_id, business_id)).fetchone()
    text = conn.execute("SELECT content FROM messages WHERE id = %s", (message_id,)).fetchone()["content"] or ""
    return EngineResult(reply=reply["content"] if reply else None, language=detect_language(text).language,
                        confidence=1.0, escalated=outcome == "escalated",
                        intent=reply["intent"] if reply else outcome, bot_message_id=reply["id"] if reply else None,
                        user_message_id=message_id)


def _button_id(mtype: str, payload: dict[str, Any]) -> str | None:
    if not isinstance(payload, dict):
        return None
    if mtype == "interactive":
        inter = payload.get("interactive") if isinstance(payload.get("interactive"), dict) else {}
        kind = inter.get("type")
        reply = inter.get(kind) if isinstance(kind, str) and isinstance(inter.get(kind), dict) else {}
        value = reply.get("id")
        return value if isinstance(value, str) else None
    if mtype == "button":
        button = payload.get("button") if isinstance(payload.get("button"), dict) else {}
        value = button.get("payload")
        return value if isinstance(value, str) else None
    return None


def _give_up(conn: psycopg.Connection, job: dict[str, Any]) -> None:
    """The bot cannot answer this message: hand the chat to the owner and tell the customer (best effort)."""
    try:
        with conn.transaction():
            escalate(conn, job["conversation_id"], "bot_error")
            business = conn.execute("SELECT * FROM businesses WHERE id = %s", (job["business_id"],)).fetchone()
            if not conn.execute("SELECT 1 FROM messages WHERE reply_to = %s", (job["message_id"],)).fetchone():
                _system_reply(conn, job, fixed_texts.handover(business), "escalation")
    except Exception:
        log.exception("could not hand job %s over to the owner", job["id"])


def prepare(jobs: list[dict[str, Any]]) -> None:
    """Language ID and ONE batched query encoding for the texts of a batch (best effort: a failure here
    only means each message is encoded on its own by the engine)."""
    texts = [j["text"] for j in jobs if j.get("text") and j.get("message_type") in ENGINE_TYPES | CAPTIONED_TYPES]
    if not texts:
        return
    try:
        from mtaabot.engine import prepare_batch

        prepare_batch(texts)
    except Exception:
        log.warning("batched query encoding failed; messages are encoded one by one", exc_info=True)


def run_batch(conn: psycopg.Connection, respond: Respond, limit: int = 1, lease_seconds: float = 30.0,
              on_done: Callable[[str], None] | None = None, prepare_texts: bool = True,
              notify: bool = True) -> list[str]:
    """Claim up to `limit` jobs (one per conversation), encode their queries together, then answer each in
    its own short transaction (bot message + outbox row + job done commit together). Returns the outcomes
    in job order; [] when there was nothing to do. `on_done` is called after each commit. `notify=False`:
    engine replies are queued without a NOTIFY (`on_done` wakes the caller's own senders)."""
    from mtaabot.logsetup import request_context

    jobs = claim_jobs(conn, limit, lease_seconds)
    if not jobs:
        return []
    from mtaabot.understanding_model import batch_memo

    batch_memo()  # this batch's n-gram probabilities, read once per text; the previous batch's are dropped
    if prepare_texts and len(jobs) > 1:
        prepare(jobs)
    outcomes = []
    for job in jobs:
        with request_context(job.get("request_id")):  # the webhook's id: one grep follows the message
            outcome = _run_claimed(conn, job, respond, notify)
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)
    return outcomes


def run_one_job(conn: psycopg.Connection, respond: Respond) -> str | None:
    """Claim and answer one job. None when there is nothing to do."""
    outcomes = run_batch(conn, respond, 1)
    return outcomes[0] if outcomes else None


def _mark_job(conn: psycopg.Connection, job: dict[str, Any], outcome: str) -> None:
    if outcome == "rate_deferred":  # stays pending until the customer's window frees (not_before moved)
        conn.execute("UPDATE inbound_jobs SET attempts = greatest(0, attempts - 1) WHERE id = %s", (job["id"],))
    else:
        conn.execute("UPDATE inbound_jobs SET status = 'done', done_at = clock_timestamp() WHERE id = %s",
                     (job["id"],))


def _run_claimed(conn: psycopg.Connection, job: dict[str, Any], respond: Respond, notify: bool = True) -> str:
    """One leased job in its own transaction: answered and marked done, or its failed attempt recorded.
    (`attempts` was counted when the job was claimed, so a worker killed mid-job also counts.)"""
    attempts = job["attempts"]
    try:
        if attempts > MAX_JOB_ATTEMPTS:  # claimed again and again without finishing: a worker dies on it
            raise RuntimeError(f"not finished after {attempts - 1} claims (worker crashed or timed out)")
        if conn.autocommit or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            with conn.transaction():  # a caller's connection: the job inside its own (sub)transaction
                outcome = handle_job(conn, job, respond, notify)
                _mark_job(conn, job, outcome)
        else:  # the worker's own connection: the first read opens the transaction
            replies: list[Any] = []
            outcome = handle_job(conn, job, respond, notify, replies)
            with conn.pipeline():  # the reply's outbox row, the job's status and the commit: one round trip
                if replies and outcome == "answered":  # outbox row, delivery status and job done: one statement
                    queue_reply_writes(conn, replies[0], notify=notify, job_done=job["id"])
                else:
                    for bot_message_id in replies:
                        queue_reply_writes(conn, bot_message_id, notify=notify)
                    _mark_job(conn, job, outcome)
                conn.commit()
    except psycopg.OperationalError:
        raise  # the connection is gone: the lease runs out and the job is taken again
    except Exception as exc:  # the job stays; its attempt is recorded and retried later
        log.exception("job %s failed", job["id"])
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            conn.rollback()
        with conn.transaction():
            conn.execute(
                """UPDATE inbound_jobs SET last_error = %s,
                       status = CASE WHEN %s >= %s THEN 'failed' ELSE 'pending' END,
                       not_before = clock_timestamp() + make_interval(secs => %s) WHERE id = %s""",
                (f"{type(exc).__name__}: {exc}"[:500], attempts, MAX_JOB_ATTEMPTS, min(300, 2 ** attempts),
                 job["id"]),
            )
        if attempts >= MAX_JOB_ATTEMPTS:
            _give_up(conn, job)
        return "error"
    log.info("job %s for message %s done: %s", job["id"], job["message_id"], outcome,
             extra={"job_id": job["id"], "outcome": outcome})
    return outcome


_ASYNC_COMMIT_SAFE = """Why the worker's engine and sender connections commit with synchronous_commit = off
(a sync commit costs ~7 ms of fsync here, several per message): a customer message is durable before the
webhook answers 200 (its commit stays synchronous). What the worker commits afterwards (job leases, bot
messages, outbox rows, send results) can only be lost by a crash of the database server itself, and then
it is lost in WAL order: the job is pending again and is simply answered again, because nothing of it left
the building - the only step that reaches Meta is a POST, and the marker written just before each POST
commits synchronously, which flushes every earlier commit too (see outbox._Marker). A send result lost
after the POST leaves the row 'interrupted' (marked failed, never resent), as for a killed sender."""


class WakeUps:
    """Hints that work may be waiting, each handed to ONE waiting thread (a threading.Event wakes them all: with
    4 senders in each of 2 processes, every reply cost 8 claim queries, 7 of which found nothing, and each
    webhook NOTIFY woke every idle engine thread). At most `cap` hints are kept (one per thread is enough: a
    thread that finds work keeps claiming until there is none). Correctness never depends on a hint: the slow
    poll finds whatever a lost one pointed at."""

    def __init__(self, cap: int) -> None:
        self._cond = threading.Condition()
        self._hints = 0
        self._cap = max(1, cap)
        self._all = False

    def set(self, n: int = 1) -> None:
        with self._cond:
            self._hints = min(self._cap, self._hints + n)
            self._cond.notify(n)

    def wake_all(self) -> None:
        """Stopping: every waiting thread returns now."""
        with self._cond:
            self._all = True
            self._cond.notify_all()

    def wait(self, timeout: float) -> bool:
        """Wait for a hint (taken) or the timeout; True when woken by a hint."""
        with self._cond:
            if not self._hints and not self._all:
                self._cond.wait(timeout)
            if self._hints:
                self._hints -= 1
                return True
            return self._all

    def take(self, n: int) -> None:
        """A batch took the work up to `n` more hints pointed at: drop them (no pointless claims)."""
        if n > 0:
            with self._cond:
                self._hints = max(0, self._hints - n)


class BatchPace:
    """How many jobs an engine thread claims next: up to `size`, but no more than it answers in about `budget`
    seconds at its measured pace (moving average of seconds per job; the first batch, which loads the models,
    is not counted). A big batch is answered one job after the other by one thread: with a backlog of 40 and
    batches of 64, one thread took all 40 while the other engine threads found nothing, and the 40th reply
    waited for 39 others. Batches sized to the budget share a backlog out and bound that wait; the batched
    query encoding keeps most of its gain at a handful of texts. `budget` 0: always `size`."""

    def __init__(self, size: int, budget: float) -> None:
        self.size, self.budget = max(1, size), max(0.0, budget)
        self.per_job: float | None = None
        self._first = True

    def limit(self) -> int:
        if not self.budget or self.per_job is None:
            return self.size
        return max(1, min(self.size, int(self.budget / max(self.per_job, 1e-4))))

    def took(self, seconds: float, jobs: int) -> None:
        if self._first:  # model loading and first-use set-up are not the pace
            self._first = False
            return
        each = seconds / max(1, jobs)
        self.per_job = each if self.per_job is None else 0.7 * self.per_job + 0.3 * each


class Worker:
    """`engines` engine threads (jobs; they overlap on database waits) plus `senders` threads (outbox)."""

    def __init__(self, conninfo: str | None = None, *, senders: int = 2, engines: int = 1,
                 poll_seconds: float | None = None, respond: Respond | None = None,
                 rate_per_second: float | None = None, lease_seconds: float | None = None,
                 batch_size: int | None = None) -> None:
        settings = get_settings()
        self.conninfo = conninfo or database_url()
        self.senders = senders
        self.engines = max(1, engines)
        self.poll = poll_seconds if poll_seconds is not None else settings.worker_poll_seconds
        self._respond = respond
        self.rate = rate_per_second
        self.lease = lease_seconds if lease_seconds is not None else settings.job_lease_seconds
        self.batch_size = max(1, batch_size or settings.worker_batch_size)
        self.batch_budget_s = settings.worker_batch_budget_ms / 1000
        self.stop_event = threading.Event()
        self.outbox_ready = WakeUps(max(1, senders))  # one hint per queued reply (outbox NOTIFY), one sender each
        self.jobs_ready = WakeUps(self.engines)  # one hint per stored customer message (webhook NOTIFY)
        self.threads: list[threading.Thread] = []
        self.counts: dict[str, int] = {}
        self.failed = False
        self.ready = threading.Event()
        self._warm_lock = threading.Lock()
        self._lock = threading.Lock()

    def _count(self, key: str) -> None:
        with self._lock:
            self.counts[key] = self.counts.get(key, 0) + 1

    def _connect(self, autocommit: bool = False, *, async_commit: bool = False) -> psycopg.Connection:
        """A connection set up like every other (dict rows, pgvector: `mtaabot.db.connect`).
        `async_commit`: its commits do not wait for the WAL flush (see `_ASYNC_COMMIT_SAFE`)."""
        conn = connect(self.conninfo, autocommit=autocommit)
        if async_commit:
            conn.execute("SET synchronous_commit = off")
            if not autocommit:
                conn.commit()
        return conn

    def engine_loop(self) -> None:
        try:
            respond = self._respond or _default_respond()
        except Exception:
            log.exception("the conversation engine could not be loaded; worker stopping")
            self.failed = True
            self.stop_event.set()
            return
        with self._warm_lock:  # one thread loads the models; the others wait for them
            if self._respond is None and not self.ready.is_set():
                warm_up()
                log.info("engine ready: models loaded, taking jobs")
            self.ready.set()
        # An engine reply wakes one of this process's own senders once committed (no NOTIFY: it woke a sender in
        # every worker process, all but one of which claimed nothing). Without senders here, the NOTIFY stays.
        notify = not self.senders

        def done(outcome: str) -> None:
            self._count(outcome)
            if outcome == "answered" and not notify:
                self.outbox_ready.set()

        pace = BatchPace(self.batch_size, self.batch_budget_s)

        def run() -> None:
            with self._connect(async_commit=True) as conn:
                while not self.stop_event.is_set():
                    started = time.monotonic()
                    outcomes = run_batch(conn, respond, pace.limit(), self.lease, on_done=done, notify=notify)
                    if outcomes:
                        pace.took(time.monotonic() - started, len(outcomes))
                        self.jobs_ready.take(len(outcomes) - 1)
                        self._count("batches")
                        if len(outcomes) > 1:
                            with self._lock:
                                self.counts["batched_jobs"] = self.counts.get("batched_jobs", 0) + len(outcomes)
                        continue
                    # idle: the webhook's NOTIFY wakes one engine thread at once; the slow poll catches a missed one
                    self.jobs_ready.wait(self.poll)

        self._keep_running("engine loop", run)

    def _listen(self, name: str, channel: str, ready: WakeUps) -> None:
        """Turn NOTIFYs on `channel` into wake-up hints on `ready` (LISTEN, one connection per process)."""
        def run() -> None:
            with self._connect(autocommit=True) as listener:
                listener.execute(f"LISTEN {channel}")
                while not self.stop_event.is_set():  # short waits: a stop is seen within a second
                    for _ in listener.notifies(timeout=min(self.poll, 1.0), stop_after=1):
                        ready.set()

        self._keep_running(name, run)

    def jobs_listener(self) -> None:
        """Wake one engine thread per customer message the webhook stored."""
        self._listen("jobs listener", JOBS_CHANNEL, self.jobs_ready)

    def sender_loop(self) -> None:
        """Send due outbox rows one at a time. A throttled shop's rows are rescheduled (next_attempt_at), never
        slept on, and a Graph error is retried by rescheduling the row, so a thread is always free for the
        other shops; a chat's replies leave in order (see `claim_due`)."""
        unrecorded: SentNotRecorded | None = None  # a send Meta accepted while the database was going away
        not_posted: NotPosted | None = None  # a send whose marker the database may have kept, never POSTed
        while not self.stop_event.is_set():
            limiter = RateLimiter(self.conninfo, self.rate, max_wait=PACED_AHEAD_SECONDS)
            client = GraphClient(rate_limiter=limiter, max_attempts=1)
            try:
                with self._connect(autocommit=True, async_commit=True) as conn:
                    if unrecorded is not None:  # the database is back: record that send first
                        record_sent(conn, unrecorded.item, unrecorded.wamid)
                        unrecorded = None
                    if not_posted is not None:  # and put back a row that only looks interrupted
                        release_not_posted(conn, not_posted.outbox_id)
                        not_posted = None
                    idle = 0.0
                    while not self.stop_event.is_set():
                        if idle:
                            self.outbox_ready.wait(idle)
                        item, idle = claim_due_or_wait(conn, self.poll, self.lease)
                        if item is None:
                            continue
                        outcome = send_claimed(conn, client, item)
                        self._count("send_" + outcome)
                        # claim again at once when more rows were due at the claim or this one was rescheduled;
                        # else the next wake-up: every reply queued since brings one (a reply of this chat held
                        # back behind this send is looked at again by its claimer, BLOCKED_RECHECK_SECONDS)
                        if outcome != "sent":
                            idle = 0.0
            except psycopg.OperationalError as exc:
                if isinstance(exc, SentNotRecorded):
                    unrecorded = exc
                elif isinstance(exc, NotPosted):
                    not_posted = exc
                log.warning("database unavailable in sender loop (%s); retrying", exc)
                self.stop_event.wait(1.0)
            except Exception:  # the claimed row keeps its lease and is picked up again
                log.exception("unexpected error in a sender loop; reconnecting")
                self.stop_event.wait(1.0)
            finally:
                client.close()

    def outbox_listener(self) -> None:
        """Wake the senders when another process queued a reply (owner replies from the dashboard/API)."""
        self._listen("outbox listener", OUTBOX_CHANNEL, self.outbox_ready)

    def payment_loop(self) -> None:
        """Send queued M-Pesa prompts for orders (outside any chat transaction; Daraja down = retried)."""
        from mtaabot.orders.checkout import PAYMENTS_CHANNEL, send_due_prompts

        def run() -> None:
            with self._connect(autocommit=True) as conn, self._connect(autocommit=True) as listener:
                listener.execute(f"LISTEN {PAYMENTS_CHANNEL}")
                while not self.stop_event.is_set():
                    counts = send_due_prompts(conn)
                    for outcome, n in counts.items():
                        for _ in range(n):
                            self._count("prompt_" + outcome)
                    if counts:
                        self.outbox_ready.set()  # a prompt that failed for good told the customer
                        continue
                    # wait for a NOTIFY or the slow poll, in slices of a second so that a stop is seen at once
                    until = time.monotonic() + self.poll
                    while not self.stop_event.is_set() and (left := until - time.monotonic()) > 0:
                        if any(True for _ in listener.notifies(timeout=min(left, 1.0), stop_after=1)):
                            break

        self._keep_running("payment loop", run)

    def _keep_running(self, name: str, run: Callable[[], None]) -> None:
        """Run `run` until stopped; a lost database or an unexpected error reconnects after a second."""
        while not self.stop_event.is_set():
            try:
                run()
            except psycopg.OperationalError as exc:
                log.warning("database unavailable in %s (%s); retrying", name, exc)
                self.stop_event.wait(1.0)
            except Exception:
                log.exception("unexpected error in the %s; reconnecting", name)
                self.stop_event.wait(1.0)

    def start(self) -> Worker:
        self.threads = [threading.Thread(target=self.engine_loop, name=f"mtaabot-engine-{i}", daemon=True)
                        for i in range(self.engines)]
        self.threads.append(threading.Thread(target=self.jobs_listener, name="mtaabot-jobs-listener", daemon=True))
        self.threads.append(threading.Thread(target=self.payment_loop, name="mtaabot-payments", daemon=True))
        self.threads += [threading.Thread(target=self.sender_loop, name=f"mtaabot-sender-{i}", daemon=True)
                         for i in range(self.senders)]
        if self.senders:
            self.threads.append(threading.Thread(target=self.outbox_listener, name="mtaabot-outbox-listener",
                                                 daemon=True))
        for thread in self.threads:
            thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.stop_event.set()
        self.outbox_ready.wake_all()
        self.jobs_ready.wake_all()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
