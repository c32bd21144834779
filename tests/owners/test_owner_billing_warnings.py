"""Before the bot stops: with the morning digest the owner is warned that the plan or trial ends within 3 days
(each morning) and, once per period, that 80 % of the AI replies are used. The digest and the warnings speak
the language the owner last wrote in. Times passed explicitly from the real clock, real database, the real engine for the owner's message."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import psycopg
import pytest

from mtaabot import businesses
from mtaabot.conversations import Customer, get_or_create_conversation
from mtaabot.owners.digest import NAIROBI, send_due_digests
from mtaabot.owners.registry import add_trusted_owner
from tests.engine.conftest import ask

OWNER = "254700000666"


@pytest.fixture
def shop(conn: psycopg.Connection, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setenv("MTAABOT_OWNER_QUIET_HOURS", "off")
    shop = businesses.create_business(conn, name="Onyo Duka", tone="rafiki", location="Kayole")
    add_trusted_owner(conn, shop["id"], OWNER)
    conn.execute("UPDATE businesses SET digest_hour = 0 WHERE id = %s", (shop["id"],))  # due whenever we run it
    conn.commit()
    return shop


def owner_chat(conn: psycopg.Connection, shop: dict) -> list[str]:
    return [r["content"] for r in conn.execute(
        """SELECT m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id
           WHERE c.business_id = %s AND c.customer_phone = %s AND m.role = 'bot' ORDER BY m.created_at, m.id""",
        (shop["id"], OWNER))]


def _ai_replies(conn: psycopg.Connection, shop: dict, n: int) -> None:
    conv = get_or_create_conversation(conn, shop["id"], Customer(phone="254712000321"))
    conn.execute("""INSERT INTO messages (conversation_id, business_id, role, author, content)
                    SELECT %s, %s, 'bot', 'ai', 'Sukari KES 190' FROM generate_series(1, %s)""",
                 (conv["id"], shop["id"], n))
    conn.commit()


def test_a_trial_ending_soon_and_a_quota_nearly_used_are_told_before_the_bot_stops(conn, shop) -> None:
    now = datetime.now(UTC)
    conn.execute("UPDATE businesses SET trial_ends_at = %s WHERE id = %s", (now + timedelta(days=2),
                                                                             shop["id"]))
    conn.commit()
    assert send_due_digests(conn, now) == [str(shop["id"])]
    chat = " ".join(owner_chat(conn, shop))
    assert "jana" in chat and "inaisha" in chat and "siku 2" in chat
    assert "majibu ya AI" not in chat  # nothing used yet

    _ai_replies(conn, shop, 250)  # trial quota is 300: 83 % used
    tomorrow = now + timedelta(days=1)
    assert send_due_digests(conn, tomorrow) == [str(shop["id"])]
    chat = owner_chat(conn, shop)
    assert any("250" in t and "300" in t and "majibu ya AI" in t for t in chat)
    assert any("siku 1" in t for t in chat)  # the end is repeated each morning
    # once a day: an hour later, but never past Nairobi midnight (a real-clock run at 23:xx EAT would cross it)
    midnight = datetime.combine(tomorrow.astimezone(NAIROBI).date() + timedelta(days=1), time.min, tzinfo=NAIROBI)
    assert send_due_digests(conn, min(tomorrow + timedelta(hours=1), midnight - timedelta(seconds=1))) == []

    _ai_replies(conn, shop, 10)
    conn.execute("UPDATE businesses SET last_digest_on = NULL WHERE id = %s", (shop["id"],))
    send_due_digests(conn, tomorrow + timedelta(hours=2))
    kinds = [r["kind"] for r in conn.execute("SELECT kind FROM notifications WHERE business_id = %s",
                                             (shop["id"],))]
    assert kinds.count("quota_warning") == 1  # once per period
    assert kinds.count("billing") == 3


def test_the_owner_who_writes_english_gets_an_english_digest_and_no_warning_far_from_the_end(conn, shop) -> None:
    assert ask(conn, shop, "HELP me please", customer=OWNER).owner_command == "help"
    assert send_due_digests(conn, datetime.now(UTC)) == [str(shop["id"])]  # a fresh 14-day trial
    digest = owner_chat(conn, shop)[-1]
    assert "yesterday" in digest and "answered by the bot" in digest and "jana" not in digest
    assert conn.execute("SELECT count(*) AS n FROM notifications WHERE business_id = %s AND kind IN "
                        "('billing', 'quota_warning')", (shop["id"],)).fetchone()["n"] == 0


def test_the_reminder_delay_is_a_setting(conn, shop, monkeypatch: pytest.MonkeyPatch) -> None:
    from mtaabot.conversations import escalate
    from mtaabot.owners.digest import realert_unanswered

    conn.execute("UPDATE businesses SET opening_hours = 'Daily 0:00-23:59' WHERE id = %s", (shop["id"],))
    conv = get_or_create_conversation(conn, shop["id"], Customer(phone="254712000654"))
    escalate(conn, conv["id"], "asked_for_person")
    conn.commit()
    monkeypatch.setenv("MTAABOT_OWNER_REALERT_MINUTES", "5")
    now = datetime.now(UTC)
    assert realert_unanswered(conn, now + timedelta(minutes=4)) == []
    assert [a["number"] for a in realert_unanswered(conn, now + timedelta(minutes=6))] == [1]
    assert "bado anasubiri" in owner_chat(conn, shop)[-1]
