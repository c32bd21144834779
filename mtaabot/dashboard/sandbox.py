""""Test your bot" on the owner's page: one message through the real engine, then nothing kept.

The message goes through the same steps as `mtaabot ask` (stale product vectors of this shop embedded
first, then `engine.respond` on a stored customer message), but for a throw-away customer inside a
transaction that is rolled back: no conversation, message, order, notification, outbox row or quota use
survives, so real customers' data, the owner's numbers and the marts never see a test.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import psycopg

MAX_CHARS = 1000


@dataclass(frozen=True)
class TrialAnswer:
    reply: str | None
    language: str | None
    confidence: float | None
    escalated: bool
    intent: str | None
    products: list[dict[str, Any]] = field(default_factory=list)


def try_message(conn: psycopg.Connection, business_id: str, text: str) -> TrialAnswer:
    """The engine's answer to `text` for this shop, as a customer would get it; nothing is stored.
    Raises ValueError for an empty message."""
    from mtaabot.conversations import Customer, get_or_create_conversation, store_inbound_message
    from mtaabot.embeddings import count_stale_products, embed_stale_products
    from mtaabot.engine import respond

    message = (text or "").strip()[:MAX_CHARS]
    if not message:
        raise ValueError("empty message")
    conn.commit()  # start clean: nothing of the caller's is rolled back below
    if count_stale_products(conn, business_id):  # as `mtaabot ask` does: new or changed products searchable now
        embed_stale_products(conn, business_id)
    conn.commit()
    try:
        who = Customer(bsuid=f"dashboard-test.{uuid.uuid4().hex}")
        conv = get_or_create_conversation(conn, business_id, who)
        msg, _ = store_inbound_message(conn, business_id=business_id, conversation_id=conv["id"],
                                       content=message, wamid=f"dashboard-test.{uuid.uuid4().hex}")
        result = respond(conn, business_id=business_id, conversation_id=conv["id"], user_message_id=msg["id"])
        return TrialAnswer(reply=result.reply, language=result.language, confidence=result.confidence,
                           escalated=result.escalated, intent=result.intent,
                           products=[dict(p) for p in result.products])
    finally:
        conn.rollback()  # the test customer, message, answer and anything the engine did are discarded
