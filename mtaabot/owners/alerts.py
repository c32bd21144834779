"""Alerts pushed to the owner's own WhatsApp through the same outbox as customer replies.

Each alert is an `owner_alerts` row, numbered per shop so the owner can answer "JIBU 2 …". The text goes
into the owner's chat with the shop's number as a bot message (intent `owner_alert`): exactly once,
retried and rate limited like any reply. Bursts are coalesced: while an alert message to an owner is still
queued and young, new alerts are appended to it instead of making another message, and a new message
never leaves sooner than PAIR_GAP_SECONDS after the previous one to that owner (WhatsApp error 131056).
Quiet hours (MTAABOT_OWNER_QUIET_HOURS, default 22-6 Nairobi time) hold alerts until the morning; the
dashboard always has them (notifications + this table), so nothing waits unseen.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from mtaabot.config import get_settings
from mtaabot.conversations import Customer, get_or_create_conversation
from mtaabot.owners.registry import owner_phones

NAIROBI = ZoneInfo("Africa/Nairobi")
COALESCE_SECONDS = 60
PAIR_GAP_SECONDS = 6
MAX_MESSAGE_CHARS = 1000  # a template parameter holds at most 1,024 characters
ALERT_INTENT = "owner_alert"


def quiet_hours(setting: str | None = None) -> tuple[int, int] | None:
    """(start, end) Nairobi hours in which alerts are held, or None: the shop's own setting
    (`businesses.owner_quiet_hours`, "22-6" or "off") or else MTAABOT_OWNER_QUIET_HOURS (default 22-6)."""
    text = (setting if setting is not None else get_settings().owner_quiet_hours).strip()
    if not text or text.lower() in ("off", "none", "0"):
        return None
    start, _, end = text.partition("-")
    if int(start) == int(end):
        return None
    return int(start), int(end)


def _release_at(now: datetime, setting: str | None = None) -> datetime:
    """When an alert made at `now` may leave: now, or the end of the quiet hours."""
    hours = quiet_hours(setting)
    if hours is None:
        return now
    start, end = hours
    local = now.astimezone(NAIROBI)
    quiet = (local.hour >= start or local.hour < end) if start > end else (start <= local.hour < end)
    if not quiet:
        return now
    release = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if release <= local:
        release += timedelta(days=1)
    return release


def owner_language(conn: psycopg.Connection, conversation_id: Any) -> str:
    row = conn.execute("""SELECT detected_language FROM messages WHERE conversation_id = %s AND role = 'user'
                          AND detected_language IS NOT NULL ORDER BY created_at DESC LIMIT 1""",
                       (conversation_id,)).fetchone()
    return "ENG" if row and row["detected_language"] == "ENG" else "SWA"


def owner_conversation(conn: psycopg.Connection, business_id: Any, phone: str) -> dict[str, Any]:
    """The owner's own chat with the shop's number (marked `kind = 'owner'`: not customer traffic)."""
    conv = get_or_create_conversation(conn, business_id, Customer(phone=phone))
    if conv["kind"] != "owner":
        conv = conn.execute("UPDATE conversations SET kind = 'owner' WHERE id = %s RETURNING *", (conv["id"],)).fetchone()
    return conv


def _next_number(conn: psycopg.Connection, business_id: str) -> int:
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 19))", (f"alerts:{business_id}",))
    return conn.execute("SELECT coalesce(max(number), 0) + 1 AS n FROM owner_alerts WHERE business_id = %s",
                        (business_id,)).fetchone()["n"]


def push(conn: psycopg.Connection, business_id: uuid.UUID | str, text: str, *, now: datetime | None = None,
         intent: str = ALERT_INTENT) -> list[Any]:
    """Send `text` to every verified owner number of the shop (coalesced, rate-paced, quiet hours).
    Returns the owner-chat message ids used."""
    from mtaabot.whatsapp.outbox import enqueue_reply, store_bot_message

    bid = str(business_id)
    now = now or conn.execute("SELECT CURRENT_TIMESTAMP AS t").fetchone()["t"]
    ids = []
    setting = conn.execute("SELECT owner_quiet_hours FROM businesses WHERE id = %s", (bid,)).fetchone()
    setting = setting["owner_quiet_hours"] if setting else None
    for phone in owner_phones(conn, bid):
        conv = owner_conversation(conn, bid, phone)
        queued = conn.execute(
            """SELECT m.id, m.content FROM messages m JOIN outbox o ON o.message_id = m.id
               WHERE m.conversation_id = %s AND m.intent = %s AND o.status = 'pending' AND o.attempts = 0
                 AND m.created_at > %s - make_interval(secs => %s)
               ORDER BY m.created_at DESC LIMIT 1 FOR UPDATE OF m, o SKIP LOCKED""",
            (conv["id"], intent, now, COALESCE_SECONDS)).fetchone()
        if queued is not None and len(queued["content"]) + len(text) + 2 <= MAX_MESSAGE_CHARS:
            conn.execute("UPDATE messages SET content = content || E'\\n\\n' || %s WHERE id = %s",
                         (text, queued["id"]))
            ids.append(queued["id"])
            continue
        row = store_bot_message(conn, business_id=bid, conversation_id=conv["id"], text=text, author="system",
                                intent=intent)
        enqueue_reply(conn, row["id"])
        last_sent = conn.execute(
            """SELECT max(coalesce(o.sent_at, o.next_attempt_at)) AS t FROM outbox o JOIN messages m ON m.id = o.message_id
               WHERE m.conversation_id = %s AND o.message_id <> %s""", (conv["id"], row["id"])).fetchone()["t"]
        leave = max(_release_at(now, setting), (last_sent + timedelta(seconds=PAIR_GAP_SECONDS)) if last_sent else now)
        conn.execute("UPDATE outbox SET next_attempt_at = greatest(next_attempt_at, %s) WHERE message_id = %s",
                     (leave, row["id"]))
        ids.append(row["id"])
    return ids


def alert(conn: psycopg.Connection, business_id: uuid.UUID | str, kind: str, body: str, *,
          conversation_id: Any = None, order_id: Any = None, notification_id: Any = None,
          now: datetime | None = None) -> dict[str, Any]:
    """Record a numbered alert and push it to the owner's phone. Runs in the caller's transaction."""
    bid = str(business_id)
    number = _next_number(conn, bid)
    phones = owner_phones(conn, bid)
    text = _compose(conn, bid, kind, number, body, phones, conversation_id, order_id)
    row = conn.execute(
        """INSERT INTO owner_alerts (business_id, number, kind, conversation_id, order_id, notification_id, body,
                                     delivery)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING *""",
        (bid, number, kind[:30], str(conversation_id) if conversation_id else None,
         str(order_id) if order_id else None, str(notification_id) if notification_id else None, body,
         "queued" if phones else "dashboard_only")).fetchone()
    if phones:
        ids = push(conn, bid, text, now=now)
        if ids:
            conn.execute("UPDATE owner_alerts SET message_id = %s WHERE id = %s", (ids[0], row["id"]))
    return row


def lang_of_owners(conn: psycopg.Connection, business_id: Any, phones: list[str]) -> str:
    """The language the shop's (first) owner last wrote in: ENG or SWA (the default)."""
    lang = "SWA"
    if phones:
        owner_conv = conn.execute("SELECT id FROM conversations WHERE business_id = %s AND customer_phone = %s "
                                  "LIMIT 1", (str(business_id), phones[0])).fetchone()
        if owner_conv:
            lang = owner_language(conn, owner_conv["id"])
    return lang


def say(key: str, lang: str, **fields: Any) -> str:
    """The catalogue text `owner_alert.<key>` (mtaabot/data/messages.toml) in `lang`: ENG, else Swahili."""
    from mtaabot.messages import catalogue

    table = catalogue()["owner_alert"][key]
    return table.get(lang, table["SWA"]).format(**fields)


def owner_text(conn: psycopg.Connection, business_id: Any, key: str, **fields: Any) -> str:
    """An owner alert text in the language the shop's owner last wrote in."""
    return say(key, lang_of_owners(conn, business_id, owner_phones(conn, str(business_id))), **fields)


def reason_text(reason: str, lang: str) -> str:
    """Why a chat was handed over, as the owner reads it ("complaint" -> "malalamiko")."""
    from mtaabot.messages import catalogue

    names = catalogue()["owner_reason"].get(reason)
    return names.get(lang, names["SWA"]) if names else reason.replace("_", " ")


def handover_body(conn: psycopg.Connection, business_id: Any, who: str, reason: str, *, said: str | None = None,
                  about: str | None = None) -> str:
    """"<customer> anakuhitaji kwenye WhatsApp (malalamiko): “<their message>”" in the owner's language; `about`
    names the product a question is about."""
    lang = lang_of_owners(conn, business_id, owner_phones(conn, str(business_id)))
    why = reason_text(reason, lang)
    if about:
        why = say("reason_about", lang, why=why, product=about)
    if said is None:
        return say("handover", lang, who=who, why=why)
    return say("handover_said", lang, who=who, why=why, said=said)


def _compose(conn: psycopg.Connection, business_id: Any, kind: str, number: int, body: str,
             phones: list[str], conversation_id: Any = None, order_id: Any = None) -> str:
    lang = lang_of_owners(conn, business_id, phones)
    # the owner answers the customer from the alert: a hand-over, a message written to the owner, a payment claimed
    # with no order (an order's claim is answered with THIBITISHA / CONFIRM, which its alert says)
    if kind == "payment" and conversation_id and not order_id:
        return f"🔔 #{number} {body}\n{say('answer_hint', lang, number=number)}"
    if kind in ("escalation", "customer_message"):
        hint = say("reply_hint", lang, number=number)
        if kind == "escalation" and _handed_over(conn, conversation_id):
            hint = " · ".join(part for part in (hint, _wait_hint(lang)) if part)
        return f"🔔 #{number} {body}\n{hint}"
    return f"🔔 #{number} {body}"


def _handed_over(conn: psycopg.Connection, conversation_id: Any) -> bool:
    """The alert's chat is with the owner now (a hand-over, not a question the bot passed on and kept the chat)."""
    if conversation_id is None:
        return False
    row = conn.execute("SELECT status FROM conversations WHERE id = %s", (str(conversation_id),)).fetchone()
    return bool(row and row["status"] == "human_escalated")


def _wait_hint(lang: str) -> str:
    """How long the bot keeps quiet for the owner in a handed-over chat (MTAABOT_HANDOVER_MINUTES), or nothing
    when it keeps quiet until the owner hands back."""
    from mtaabot.conversations import handover_minutes

    minutes = handover_minutes()
    return say("handover_wait", lang, minutes=f"{minutes:g}") if minutes > 0 else ""


def alert_delivery(conn: psycopg.Connection, business_id: uuid.UUID | str, limit: int = 50) -> list[dict[str, Any]]:
    """Alerts with their WhatsApp delivery state (sent, delivered, read, failed and why), newest first."""
    return conn.execute(
        """SELECT a.number, a.kind, a.body, a.created_at, a.answered_at,
                  CASE WHEN a.message_id IS NULL THEN a.delivery ELSE coalesce(m.delivery_status, 'queued') END
                      AS delivery,
                  o.last_error AS delivery_error
           FROM owner_alerts a LEFT JOIN messages m ON m.id = a.message_id
           LEFT JOIN outbox o ON o.message_id = a.message_id
           WHERE a.business_id = %s ORDER BY a.created_at DESC LIMIT %s""", (str(business_id), limit)).fetchall()


def tell_undelivered(conn: psycopg.Connection, message_id: Any, reason: str) -> bool:
    """An owner's reply to a customer (JIBU or the dashboard) that WhatsApp did not deliver: the owner is told
    on the dashboard and on their phone, numbered, so it does not wait unseen. Runs in the caller's
    transaction; call it once per message (when its delivery first turns failed/skipped). True when told."""
    from mtaabot.notifications import notify

    msg = conn.execute(
        """SELECT m.business_id, m.conversation_id, m.content, m.author, c.kind, c.customer_name, c.customer_phone
           FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = %s""",
        (str(message_id),)).fetchone()
    if msg is None or msg["author"] != "owner" or msg["kind"] == "owner":
        return False
    who = msg["customer_name"] or msg["customer_phone"]
    snippet = msg["content"] if len(msg["content"]) <= 120 else msg["content"][:117] + "..."
    lang = lang_of_owners(conn, msg["business_id"], owner_phones(conn, str(msg["business_id"])))
    body = say("undelivered", lang, who=who, reason=reason, snippet=snippet)
    notify(conn, msg["business_id"], "undelivered", body, conversation_id=msg["conversation_id"])
    return True


def undelivered_reason(error_code: int | None, error: str | None) -> str:
    """A short, owner-readable reason for a failed send."""
    from mtaabot.whatsapp.client import WINDOW_CLOSED

    if error_code == WINDOW_CLOSED or (error and "24-hour" in error):
        return "24h"
    if error and "opted out" in error:
        return "opt-out"
    return f"WhatsApp {error_code}" if error_code else "WhatsApp"


def in_lang(lang: str, swa: str, eng: str) -> str:
    """An owner-facing text in the owner's language: English for ENG, Swahili otherwise."""
    return eng if lang == "ENG" else swa
