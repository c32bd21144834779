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
from psycopg.rows import dict_row

from mtaabot.conversations import escalate
from mtaabot.db import database_url
from mtaabot.whatsapp import replies
from mtaabot.whatsapp.client import GraphClient, RateLimiter
from mtaabot.whatsapp.inbound import JOBS_CHANNEL
from mtaabot.whatsapp.outbox import claim_due, enqueue_reply, send_claimed, store_bot_message

log = logging.getLogger(__name__)

MAX_JOB_ATTEMPTS = 5
# An opt-out is an explicit request; a bare "acha" or "sitaki" is usually the answer "no" to the bot's question.
OPT_OUT_WORDS = {"stop", "unsubscribe", "stop all", "acha kunitumia", "acha kunitumia meseji", "acha kunitumia sms",
                 "usinitumie", "usinitumie tena", "usinitumie meseji", "sitaki meseji", "sitaki meseji zenu",
                 "sitaki ujumbe", "niondoe", "niondoe kwa list", "remove me", "opt out", "optout"}
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
    for module, call, arg in (("mtaabot.language", "detect_language", "habari yako"),
                              ("mtaabot.tokens", "count_tokens", "habari"),
                              ("mtaabot.embeddings", "encode_query", "habari")):
        try:
            getattr(__import__(module, fromlist=[call]), call)(arg)
        except Exception:  # a missing piece shows up on the first real job instead
            log.warning("warm-up of %s.%s failed", module, call, exc_info=True)


# Explicit requests to stop messages, in a sentence ("usinitumie meseji tena", "niondoe kwa list yenu").
OPT_OUT_PHRASE = re.compile(
    r"^(?:(?:tafadhali|please|pls|boss|buda|msee)\s+)?(?:"
    r"usinitumie (?:meseji|messages?|sms|ujumbe|texts?)(?: (?:tena|zaidi|zenu))*|"
    r"acha kunitumia (?:meseji|messages?|sms|ujumbe)(?: (?:tena|zenu))*|"
    r"niondoe (?:kwa|kwenye|katika|from|on) (?:list|orodha|listi)(?: (?:yenu|yako|ya \w+))?|"
    r"(?:stop|quit) (?:sending|texting) me(?: (?:messages?|texts?|sms|anything))?(?: anymore)?|"
    r"remove me from (?:your|the) (?:list|mailing list|contacts)|unsubscribe me"
    r")(?:\s+(?:tafadhali|please|pls|asante|thanks))?$")


def wants_opt_out(text: str) -> bool:
    """An explicit request to stop messages; a bare "acha" or "sitaki" is not one."""
    word = _keyword(text)
    return word in OPT_OUT_WORDS or bool(OPT_OUT_PHRASE.match(word))


def _keyword(text: str) -> str:
    return re.sub(r"[^\w ]+", "", (text or "").lower()).strip()


def claim_job(conn: psycopg.Connection) -> dict[str, Any] | None:
    """Lock the oldest runnable job (inside the caller's open transaction)."""
    return conn.execute(
        """SELECT j.* FROM inbound_jobs j
           WHERE j.status = 'pending' AND j.not_before <= clock_timestamp()
             AND NOT EXISTS (SELECT 1 FROM inbound_jobs e WHERE e.conversation_id = j.conversation_id
                             AND e.status = 'pending' AND e.id < j.id)
           ORDER BY j.id FOR UPDATE SKIP LOCKED LIMIT 1"""
    ).fetchone()


def _system_reply(conn: psycopg.Connection, job: dict[str, Any], text: str, intent: str) -> None:
    row = store_bot_message(conn, business_id=job["business_id"], conversation_id=job["conversation_id"],
                            text=text, author="system", reply_to=job["message_id"], intent=intent)
    enqueue_reply(conn, row["id"])


class _Lazy:
    """A row fetched only when first needed (most jobs never need the business row here)."""

    def __init__(self, load: Callable[[], Any]) -> None:
        self._load, self._value, self._done = load, None, False

    def __call__(self) -> Any:
        if not self._done:
            self._value, self._done = self._load(), True
        return self._value


def handle_job(conn: psycopg.Connection, job: dict[str, Any], respond: Respond) -> str:
    """Decide and store the answer to one customer message. Returns what was done (for logs/tests)."""
    msg = conn.execute("SELECT * FROM messages WHERE id = %s", (job["message_id"],)).fetchone()
    conv = conn.execute("SELECT * FROM conversations WHERE id = %s", (job["conversation_id"],)).fetchone()
    if conn.execute("SELECT 1 FROM messages WHERE reply_to = %s AND role = 'bot' LIMIT 1",
                    (msg["id"],)).fetchone():
        return "already_answered"
    business = _Lazy(lambda: conn.execute("SELECT * FROM businesses WHERE id = %s",
                                          (job["business_id"],)).fetchone())
    mtype, text = msg["message_type"], msg["content"] or ""
    payload = msg["payload"] or {}
    word = _keyword(text) if mtype == "text" else ""
    if word and wants_opt_out(word):
        if conv["opted_out"]:
            return "silent_opted_out"
        conn.execute("UPDATE conversations SET opted_out = true WHERE id = %s", (conv["id"],))
        _system_reply(conn, job, replies.opt_out_confirmation(), "opt_out")
        return "opted_out"
    from mtaabot import privacy_chat  # "futa data yangu" → confirmation → erasure (issue 22)

    if (erasure := privacy_chat.handle(conn, job, conv, msg)) is not None:
        return erasure
    if conv["status"] == "closed":  # a closed chat reopens when the customer writes again
        conv = conn.execute("UPDATE conversations SET status = 'ai_active' WHERE id = %s RETURNING *",
                            (conv["id"],)).fetchone()
    use_engine = (mtype in ENGINE_TYPES and text.strip() and not text.startswith("[")) or (
        mtype in CAPTIONED_TYPES and not text.startswith("[")) or mtype == "order"
    if conv["opted_out"] and word in OPT_IN_WORDS:
        conn.execute("UPDATE conversations SET opted_out = false WHERE id = %s", (conv["id"],))
        _system_reply(conn, job, replies.opt_in_confirmation(business()), "opt_in")
        return "opted_in"
    if conv["opted_out"] and use_engine and word not in STILL_NO_WORDS and re.search(r"[^\W\d_]", text):
        # the customer wrote to the shop again: they want an answer, so the opt-out ends here
        conv = conn.execute("UPDATE conversations SET opted_out = false WHERE id = %s RETURNING *",
                            (conv["id"],)).fetchone()
    if conv["opted_out"] or conv["status"] != "ai_active":
        if use_engine:  # the engine stays silent here but still records language and tokens
            respond(conn, business_id=job["business_id"], conversation_id=job["conversation_id"],
                    user_message_id=job["message_id"])
        return "silent_opted_out" if conv["opted_out"] else "silent_escalated"
    button_id = _button_id(mtype, payload)
    if button_id in HUMAN_BUTTON_IDS:
        escalate(conn, conv["id"], "customer_request")
        _system_reply(conn, job, replies.handover(business()), "escalation")
        return "escalated"
    if use_engine:
        result = respond(conn, business_id=job["business_id"], conversation_id=job["conversation_id"],
                         user_message_id=job["message_id"])
        if getattr(result, "reply", None) and getattr(result, "bot_message_id", None):
            enqueue_reply(conn, result.bot_message_id)
            return "answered"
        return "engine_silent"
    if mtype == "reaction":
        return "ignored_reaction"
    canned = replies.for_message_type(mtype, business())
    _system_reply(conn, job, canned, f"media_{mtype}"[:30])
    return f"canned_{mtype}"


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
                _system_reply(conn, job, replies.handover(business), "escalation")
    except Exception:
        log.exception("could not hand job %s over to the owner", job["id"])


def run_one_job(conn: psycopg.Connection, respond: Respond) -> str | None:
    """Claim and process one job in one transaction. None when there is nothing to do."""
    with conn.transaction():
        job = claim_job(conn)
        if job is None:
            return None
        try:
            with conn.transaction():
                outcome = handle_job(conn, job, respond)
        except Exception as exc:  # the job stays; its attempt is recorded and retried later
            log.exception("job %s failed", job["id"])
            attempts = job["attempts"] + 1
            conn.execute(
                """UPDATE inbound_jobs SET attempts = %s, last_error = %s,
                       status = CASE WHEN %s >= %s THEN 'failed' ELSE 'pending' END,
                       not_before = clock_timestamp() + make_interval(secs => %s) WHERE id = %s""",
                (attempts, f"{type(exc).__name__}: {exc}"[:500], attempts, MAX_JOB_ATTEMPTS,
                 min(300, 2 ** attempts), job["id"]),
            )
            if attempts >= MAX_JOB_ATTEMPTS:
                _give_up(conn, job)
            return "error"
        conn.execute(
            "UPDATE inbound_jobs SET status = 'done', attempts = attempts + 1, done_at = clock_timestamp() "
            "WHERE id = %s", (job["id"],))
        return outcome


class Worker:
    """`engines` engine threads (jobs; they overlap on database waits) plus `senders` threads (outbox)."""

    def __init__(self, conninfo: str | None = None, *, senders: int = 2, engines: int = 1, poll_seconds: float = 0.5,
                 respond: Respond | None = None, rate_per_second: float | None = None,
                 lease_seconds: int = 60) -> None:
        self.conninfo = conninfo or database_url()
        self.senders = senders
        self.engines = max(1, engines)
        self.poll = poll_seconds
        self._respond = respond
        self.rate = rate_per_second
        self.lease = lease_seconds
        self.stop_event = threading.Event()
        self.outbox_ready = threading.Event()
        self.threads: list[threading.Thread] = []
        self.counts: dict[str, int] = {}
        self.failed = False
        self.ready = threading.Event()
        self._warm_lock = threading.Lock()
        self._lock = threading.Lock()

    def _count(self, key: str) -> None:
        with self._lock:
            self.counts[key] = self.counts.get(key, 0) + 1

    def _connect(self, autocommit: bool = False) -> psycopg.Connection:
        conn = psycopg.connect(self.conninfo, row_factory=dict_row, autocommit=autocommit)
        try:
            from pgvector.psycopg import register_vector

            register_vector(conn)
            if not autocommit:
                conn.commit()
        except psycopg.Error:
            conn.rollback() if not autocommit else None
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
            self.ready.set()
        def run() -> None:
            with self._connect() as conn, self._connect(autocommit=True) as listener:
                listener.execute(f"LISTEN {JOBS_CHANNEL}")
                while not self.stop_event.is_set():
                    outcome = run_one_job(conn, respond)
                    if outcome is None:
                        for _ in listener.notifies(timeout=self.poll, stop_after=1):
                            pass
                        continue
                    self._count(outcome)
                    self.outbox_ready.set()

        self._keep_running("engine loop", run)

    def sender_loop(self) -> None:
        while not self.stop_event.is_set():
            client = GraphClient(rate_limiter=RateLimiter(self.conninfo, self.rate))
            try:
                with self._connect(autocommit=True) as conn:
                    while not self.stop_event.is_set():
                        self.outbox_ready.clear()
                        item = claim_due(conn, self.lease)
                        if item is None:
                            self.outbox_ready.wait(self.poll)
                            continue
                        self._count("send_" + send_claimed(conn, client, item))
            except psycopg.OperationalError as exc:
                log.warning("database unavailable in sender loop (%s); retrying", exc)
                self.stop_event.wait(1.0)
            except Exception:  # the claimed row keeps its lease and is picked up again
                log.exception("unexpected error in a sender loop; reconnecting")
                self.stop_event.wait(1.0)
            finally:
                client.close()

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
                    for _ in listener.notifies(timeout=self.poll, stop_after=1):
                        pass

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
        self.threads.append(threading.Thread(target=self.payment_loop, name="mtaabot-payments", daemon=True))
        self.threads += [threading.Thread(target=self.sender_loop, name=f"mtaabot-sender-{i}", daemon=True)
                         for i in range(self.senders)]
        for thread in self.threads:
            thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.stop_event.set()
        self.outbox_ready.set()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
