"""A customer's own erasure request in the WhatsApp chat (Kenya DPA 2019 s.40).

"futa data yangu" / "delete my data" → a confirmation question (both languages) → "ndio"/"yes" → the
conversation is anonymised at once (`mtaabot.privacy.erase_conversations`, keeping only the WhatsApp address
so the last message can reach them) and a short confirmation is sent; `complete_erasures` removes the
address once that message is out (Dagster every 10 minutes, or `mtaabot privacy retention`). "hapana"/"no"
cancels; anything else answers normally and forgets the pending question. Called by the worker before
the engine; the worker's own STOP / "acha kunitumia" opt-out stays as it is.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg

QUESTION_INTENT, DONE_INTENT, CANCELLED_INTENT = "erasure_question", "erasure_done", "erasure_cancelled"
CONFIRM_HOURS = 24

_REQUEST = re.compile(
    r"\b(futa|futeni|delete|erase|remove|ondoa|ondoeni|niondoe|niondoeni)\b[\w\s]{0,30}?\b(data|taarifa|ujumbe|meseji|"
    r"messages?|"
    r"information|info|details|historia|history)\b|\bforget me\b|\bnisahau\b|\bnisahauni\b", re.IGNORECASE)
_YES = {"ndio", "ndiyo", "ndio futa", "ndiyo futa", "yes", "yes delete", "yes please", "confirm", "futa", "sawa futa",
        "ndio tafadhali", "yes delete it", "yes erase"}
_NO = {"hapana", "no", "la", "usifute", "dont", "don't", "do not", "cancel", "acha", "no thanks", "hapana asante"}


def _word(text: str) -> str:
    return re.sub(r"[^\w' ]+", "", (text or "").lower()).strip()


def is_request(text: str) -> bool:
    return bool(_REQUEST.search(text or ""))


def question(shop: str) -> str:
    return (f"Unataka {shop} ifute ujumbe wako wote na taarifa zako (namba, oda, historia)? Haiwezi kurudishwa. "
            "Jibu NDIO kufuta au HAPANA kuacha. / "
            f"Do you want {shop} to delete all your messages and details (number, orders, history)? This cannot be "
            "undone. Reply YES to delete or NO to keep them.")


def done(shop: str) -> str:
    return (f"Tumefuta ujumbe wako na taarifa zako kwa {shop}. Ukituandikia tena tutaanza upya. / "
            f"Your messages and details with {shop} have been deleted. If you write again we start afresh.")


def cancelled(shop: str) -> str:
    return f"Sawa, hatujafuta chochote. / OK, nothing was deleted. — {shop}"


def handle(conn: psycopg.Connection, job: dict[str, Any], conv: dict[str, Any], message: dict[str, Any]) -> str | None:
    """Handle the erasure dialogue for one customer message; None when the message is not part of it."""
    if message["message_type"] != "text" or conv.get("kind") == "owner" or conv.get("erased_at") is not None:
        return None
    text = message["content"] or ""
    pending = conv.get("erasure_requested_at") is not None and conn.execute(
        "SELECT %s > CURRENT_TIMESTAMP - make_interval(hours => %s) AS fresh",
        (conv["erasure_requested_at"], CONFIRM_HOURS)).fetchone()["fresh"]
    word = _word(text)
    if not pending and not is_request(text):
        if conv.get("erasure_requested_at") is not None:  # they moved on: the question lapses
            conn.execute("UPDATE conversations SET erasure_requested_at = NULL WHERE id = %s", (conv["id"],))
        return None
    shop = conn.execute("SELECT name FROM businesses WHERE id = %s", (job["business_id"],)).fetchone()["name"]
    if pending and word in _YES:
        from mtaabot.privacy import erase_conversations

        erase_conversations(conn, str(job["business_id"]), [conv["id"]], actor="customer", keep_address=True)
        _reply(conn, job, done(shop), DONE_INTENT)  # stored after the erasure: it says nothing personal
        return "erased"
    if pending and word in _NO:
        conn.execute("UPDATE conversations SET erasure_requested_at = NULL WHERE id = %s", (conv["id"],))
        _reply(conn, job, cancelled(shop), CANCELLED_INTENT)
        return "erasure_cancelled"
    if is_request(text):
        conn.execute("UPDATE conversations SET erasure_requested_at = CURRENT_TIMESTAMP WHERE id = %s", (conv["id"],))
        _reply(conn, job, question(shop), QUESTION_INTENT)
        return "erasure_asked"
    # a pending question and an answer that is neither yes nor no: the question lapses, answer normally
    conn.execute("UPDATE conversations SET erasure_requested_at = NULL WHERE id = %s", (conv["id"],))
    return None


def _reply(conn: psycopg.Connection, job: dict[str, Any], text: str, intent: str) -> None:
    from mtaabot.whatsapp.outbox import system_reply

    system_reply(conn, job, text, intent)
