"""Conversations and stored messages: one chat per (business, customer); inbound messages stored once."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.types.json import Jsonb


@dataclass(frozen=True)
class Customer:
    """How WhatsApp identifies a customer: phone (wa_id) when shared, BSUID (user_id) always in 2026."""

    phone: str | None = None
    bsuid: str | None = None
    name: str | None = None

    @property
    def key(self) -> str:
        """Value for the seed's `customer_phone` (NOT NULL, unique per business, 20 chars)."""
        if self.phone:
            return self.phone[:20]
        if self.bsuid:
            return self.bsuid if len(self.bsuid) <= 20 else "u" + hashlib.sha256(self.bsuid.encode()).hexdigest()[:19]
        raise ValueError("a customer needs a phone number or a BSUID")

    @property
    def address(self) -> dict[str, str]:
        """Recipient fields for a Cloud API send: `to` with a phone, `recipient` with only a BSUID."""
        return {"to": self.phone} if self.phone else {"recipient": self.bsuid or ""}


# The customer's chat: by BSUID first, then by phone (`Customer.key`), in one statement; `needs_update` when a
# BSUID, a phone (wa_id) or a new name arrived that the row does not hold yet. Shared by
# `get_or_create_conversation` and the webhook's one-statement store for a known customer (whatsapp/inbound.py).
FIND_CHAT = """
SELECT c.*, ((%(hb)s AND c.customer_bsuid IS NULL) OR (%(hp)s AND c.customer_wa_id IS NULL)
             OR (%(hn)s AND c.customer_name IS DISTINCT FROM %(name)s)) AS needs_update
FROM conversations c
WHERE c.business_id = %(b)s AND ((%(hb)s AND c.customer_bsuid = %(bsuid)s) OR c.customer_phone = %(key)s)
ORDER BY (%(hb)s AND c.customer_bsuid IS NOT DISTINCT FROM %(bsuid)s) DESC
LIMIT 1"""


def find_chat_params(business_id: uuid.UUID | str, customer: Customer) -> dict[str, Any]:
    """FIND_CHAT's parameters (ValueError: a customer without phone and BSUID)."""
    return {"b": str(business_id), "key": customer.key, "bsuid": customer.bsuid, "hb": bool(customer.bsuid),
            "hp": bool(customer.phone), "hn": bool(customer.name), "name": customer.name}


def get_or_create_conversation(conn: psycopg.Connection, business_id: uuid.UUID | str,
                               customer: Customer) -> dict[str, Any]:
    """Find the customer's conversation (by BSUID first, then phone) or create it; safe under races."""
    bid = str(business_id)
    row = conn.execute(FIND_CHAT, find_chat_params(bid, customer)).fetchone()
    if row is None:
        row = conn.execute(
            """INSERT INTO conversations (business_id, customer_phone, customer_bsuid, customer_wa_id, customer_name)
               VALUES (%s, %s, %s, %s, %s)
               ON CONFLICT (business_id, customer_phone) DO UPDATE SET customer_phone = EXCLUDED.customer_phone
               RETURNING *""",
            (bid, customer.key, customer.bsuid, customer.phone, customer.name),
        ).fetchone()
    elif row.pop("needs_update"):
        row = conn.execute(
            """UPDATE conversations SET customer_bsuid = coalesce(customer_bsuid, %s),
                   customer_wa_id = coalesce(customer_wa_id, %s), customer_name = coalesce(%s, customer_name)
               WHERE id = %s RETURNING *""",
            (customer.bsuid, customer.phone, customer.name, row["id"]),
        ).fetchone()
    return row


def store_inbound_message(
    conn: psycopg.Connection,
    *,
    business_id: uuid.UUID | str,
    conversation_id: uuid.UUID | str,
    content: str,
    wamid: str | None = None,
    message_type: str = "text",
    payload: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], bool]:
    """Store a customer message once per wamid. Returns (row, created); created is False for a duplicate."""
    row = conn.execute(
        """INSERT INTO messages (conversation_id, business_id, role, author, content, wamid, message_type, payload)
           VALUES (%s, %s, 'user', 'customer', %s, %s, %s, %s)
           ON CONFLICT (business_id, wamid) WHERE wamid IS NOT NULL DO NOTHING
           RETURNING *""",
        (str(conversation_id), str(business_id), content, wamid, message_type,
         Jsonb(payload) if payload is not None else None),
    ).fetchone()
    if row is None:
        existing = conn.execute("SELECT * FROM messages WHERE business_id = %s AND wamid = %s",
                                (str(business_id), wamid)).fetchone()
        return existing, False
    conn.execute(
        """UPDATE conversations SET last_message_at = CURRENT_TIMESTAMP,
               last_customer_message_at = CURRENT_TIMESTAMP, window_closed_at = NULL
           WHERE id = %s""",
        (str(conversation_id),),
    )
    return row, True


def escalate(conn: psycopg.Connection, conversation_id: uuid.UUID | str, reason: str, *,
             notify_body: str | None = None, again: bool = False) -> None:
    """Hand the chat to the owner: status human_escalated, reason stored, owner notified once. `again`: a chat
    whose hand-over lapsed (`handover_waiting` is False) is handed over anew: new time, reason and alert."""
    row = conn.execute(
        """UPDATE conversations SET status = 'human_escalated', escalated_at = CURRENT_TIMESTAMP,
               escalation_reason = %s
           WHERE id = %s AND (status <> 'human_escalated' OR %s)
           RETURNING business_id, customer_name, customer_phone""",
        (reason, str(conversation_id), again),
    ).fetchone()
    if row is not None:
        from mtaabot.notifications import notify
        from mtaabot.owners.alerts import handover_body

        who = row["customer_name"] or row["customer_phone"]
        notify(conn, row["business_id"], "escalation",
               notify_body or handover_body(conn, row["business_id"], who, reason),  # the owner's language
               conversation_id=conversation_id)


def handover_minutes() -> float:
    """How long a hand-over keeps the bot quiet while the owner has not written (MTAABOT_HANDOVER_MINUTES; 0: until
    the owner hands back)."""
    from mtaabot.config import get_settings

    return get_settings().handover_minutes


# The owner is on a hand-over while it is younger than the wait, or the owner wrote in the chat (a JIBU / REPLY, the
# dashboard, the REST API, the WhatsApp Business app) within it; `told` is whether the customer heard from neither
# the owner nor the bot's answers since the hand-over (the bot then says once that the owner was told).
_HANDOVER_STATE = """
SELECT c.status = 'human_escalated' AND (%(secs)s <= 0 OR greatest(c.escalated_at, owner.last_at)
                                                        > CURRENT_TIMESTAMP - make_interval(secs => %(secs)s)) AS waiting,
       NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.role = 'bot'
                   AND m.author IN ('owner', 'ai') AND m.created_at >= c.escalated_at) AS untold
FROM conversations c
LEFT JOIN LATERAL (SELECT max(m.created_at) AS last_at FROM messages m
                   WHERE m.conversation_id = c.id AND m.author = 'owner') owner ON true
WHERE c.id = %(c)s"""


@dataclass(frozen=True)
class Handover:
    """Where a chat's hand-over stands: `waiting` (the bot keeps quiet for the owner) and `untold` (nobody has
    answered the customer since it was made)."""

    waiting: bool
    untold: bool


def handover_state(conn: psycopg.Connection, conversation_id: uuid.UUID | str) -> Handover:
    """Whether the chat's hand-over still keeps the bot quiet (see _HANDOVER_STATE); a chat not handed over is not
    waiting."""
    row = conn.execute(_HANDOVER_STATE, {"c": str(conversation_id), "secs": handover_minutes() * 60}).fetchone()
    return Handover(bool(row and row["waiting"]), bool(row and row["untold"]))


def hand_back(conn: psycopg.Connection, business_id: uuid.UUID | str, conversation_id: uuid.UUID | str) -> bool:
    """Owner returns an escalated chat to the bot. False when it is not this business's conversation."""
    row = conn.execute(
        """UPDATE conversations SET status = 'ai_active', handed_back_at = CURRENT_TIMESTAMP
           WHERE id = %s AND business_id = %s RETURNING id""",
        (str(conversation_id), str(business_id)),
    ).fetchone()
    return row is not None


# The customer messages a paused shop kept unanswered (the last day's), their jobs made ready again: the bot
# answers them in order once the owner resumes it (a question asked during the pause was never answered).
# a job answered (or kept) made ready for a worker again
_READY_AGAIN = ("status = 'pending', attempts = 0, not_before = CURRENT_TIMESTAMP, done_at = NULL, "
                "last_error = NULL")
_KEPT_WHILE_PAUSED = f"""
WITH shop AS (SELECT paused_at FROM businesses WHERE id = %(b)s AND paused_at IS NOT NULL),
waiting AS (
    SELECT m.id FROM messages m, shop
    WHERE m.business_id = %(b)s AND m.role = 'user' AND m.created_at >= shop.paused_at
      AND m.created_at > CURRENT_TIMESTAMP - interval '24 hours'
      AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.reply_to = m.id))
UPDATE inbound_jobs j SET {_READY_AGAIN}
FROM waiting w WHERE j.message_id = w.id AND j.business_id = %(b)s AND j.status = 'done'
RETURNING j.conversation_id"""


def answer_kept_while_paused(conn: psycopg.Connection, business_id: uuid.UUID | str) -> int:
    """Before a paused shop is resumed: make its unanswered customer messages of the pause (the last 24 hours)
    ready for the worker again; how many chats they are in. A chat handed to the owner stays quiet (the engine
    decides again)."""
    from mtaabot.whatsapp.inbound import JOBS_CHANNEL

    chats = {r["conversation_id"] for r in conn.execute(_KEPT_WHILE_PAUSED, {"b": str(business_id)}).fetchall()}
    if chats:
        conn.execute(f"NOTIFY {JOBS_CHANNEL}")
    return len(chats)


_WAITING_SINCE_THE_OWNER = """
SELECT m.id, m.conversation_id, m.content, EXISTS (SELECT 1 FROM inbound_jobs j WHERE j.message_id = m.id) AS has_job
FROM messages m
WHERE m.business_id = %(b)s AND m.conversation_id = %(c)s AND m.role = 'user'
  AND m.created_at > CURRENT_TIMESTAMP - interval '24 hours'
  AND m.created_at > coalesce((SELECT max(o.created_at) FROM messages o
                               WHERE o.conversation_id = %(c)s AND o.role <> 'user'), '-infinity'::timestamptz)
  AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.reply_to = m.id)
ORDER BY m.created_at, m.id"""


def waiting_since_the_owner(conn: psycopg.Connection, business_id: uuid.UUID | str,
                            conversation_id: uuid.UUID | str) -> list[dict[str, Any]]:
    """The customer's messages of a handed-over chat written after the last thing said to them (by the owner or the
    bot) and never answered, oldest first (last 24 hours), each with whether a worker job holds it. A bare "yes" or
    "ok" answered the owner: the bot never reads it as a yes to an order it drafts from the messages before it (one
    phone was confirmed twice after BOT n; customer test s30)."""
    rows = conn.execute(_WAITING_SINCE_THE_OWNER, {"b": str(business_id), "c": str(conversation_id)}).fetchall()
    return [r for r in rows if not _TO_THE_OWNER.match((r["content"] or "").strip())]


_TO_THE_OWNER = re.compile(r"^(?:yes|yeah|yep|ok|okay|sawa|poa|ndio|ndiyo|eeh|fine|alright|sure|asante|thanks|"
                           r"thank you|👍|🙏)(?:\s+(?:boss|sana|bro|dear|sir|madam))?[\s.!]*$", re.IGNORECASE)


def answer_waiting_after_hand_back(conn: psycopg.Connection, business_id: uuid.UUID | str,
                                   conversation_id: uuid.UUID | str) -> int:
    """When the owner hands a chat back: its customer messages waiting since the owner's last word made ready for the
    worker again (after BOT n, "sawa nipe mbili tu" stayed unanswered for good; customer test s28); how many."""
    from mtaabot.whatsapp.inbound import JOBS_CHANNEL

    ids = [str(m["id"]) for m in waiting_since_the_owner(conn, business_id, conversation_id) if m["has_job"]]
    if not ids:
        return 0
    done = conn.execute(
        f"""UPDATE inbound_jobs SET {_READY_AGAIN}
           WHERE message_id = ANY(%s::uuid[]) AND business_id = %s AND status = 'done' RETURNING id""",
        (ids, str(business_id))).fetchall()
    if done:
        conn.execute(f"NOTIFY {JOBS_CHANNEL}")
    return len(done)


def kept_without_a_job(conn: psycopg.Connection, business_id: uuid.UUID | str, since: Any) -> list[dict[str, Any]]:
    """The customer messages kept unanswered since the shop was paused (`since`, the last 24 hours) that have no job
    for a worker to run again: those `mtaabot ask` stored, which the CLI answers itself on RESUME (they stayed
    unanswered: "itazijibu ikiwashwa" was not kept; customer test s26, s27). Oldest first."""
    return conn.execute(
        """SELECT m.id, m.conversation_id FROM messages m
           WHERE m.business_id = %s AND m.role = 'user' AND m.created_at >= %s
             AND m.created_at > CURRENT_TIMESTAMP - interval '24 hours'
             AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.reply_to = m.id)
             AND NOT EXISTS (SELECT 1 FROM inbound_jobs j WHERE j.message_id = m.id)
           ORDER BY m.created_at, m.id""", (str(business_id), since)).fetchall()


def get_conversation(conn: psycopg.Connection, business_id: uuid.UUID | str,
                     conversation_id: uuid.UUID | str) -> dict[str, Any] | None:
    try:
        cid = str(uuid.UUID(str(conversation_id)))
    except ValueError:
        return None
    return conn.execute("SELECT * FROM conversations WHERE id = %s AND business_id = %s",
                        (cid, str(business_id))).fetchone()


def list_conversations(conn: psycopg.Connection, business_id: uuid.UUID | str, status: str | None = None,
                       limit: int = 100) -> list[dict[str, Any]]:
    return conn.execute(
        """SELECT * FROM conversations WHERE business_id = %s AND (%s::text IS NULL OR status = %s)
           ORDER BY last_message_at DESC LIMIT %s""",
        (str(business_id), status, status, limit),
    ).fetchall()


def transcript(conn: psycopg.Connection, business_id: uuid.UUID | str, conversation_id: uuid.UUID | str,
               limit: int = 200) -> list[dict[str, Any]]:
    return conn.execute(
        """SELECT id, role, author, content, message_type, detected_language, confidence_score, created_at,
                  delivery_status
           FROM messages WHERE conversation_id = %s AND business_id = %s ORDER BY created_at, id LIMIT %s""",
        (str(conversation_id), str(business_id), limit),
    ).fetchall()
