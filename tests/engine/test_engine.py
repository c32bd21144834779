"""The engine end to end on a real database: grounded replies in every language x tone, escalation, idempotency."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from mtaabot.conversations import hand_back
from mtaabot.engine import respond
from mtaabot.reply_builder import format_price, grounding_problems, prices_in
from mtaabot.tokens import count_tokens
from tests.engine.conftest import ask, make_shop

QUESTIONS = {
    "SHENG": "Niaje msee, sukari ni mbao ngapi sahii?",
    "SWA": "Habari, sukari kilo moja ni bei gani?",
    "ENG": "Hello, how much is a kilo of sugar?",
}
# Words that show which language a reply is in (Swahili replies must not be English-only).
SWAHILI_MARKERS = re.compile(r"\b(iko|inapatikana|kwa|ni|na|karibu|tafadhali|niambie|nikuwekee|bei|asante)\b", re.I)
ENGLISH_MARKERS = re.compile(r"\b(is|available|at|would|please|reply|let us|the)\b", re.I)


@pytest.mark.parametrize("tone", ["mtaa", "rafiki", "kazi", "sana"])
def test_every_language_and_tone_gets_a_grounded_reply_in_the_customers_language(conn, tone):
    shop = make_shop(conn, tone=tone)
    sugar = conn.execute("SELECT id, name, price FROM products WHERE business_id = %s AND name LIKE 'Kabras%%'",
                         (shop["id"],)).fetchone()
    replies = {}
    for lang, text in QUESTIONS.items():
        result = ask(conn, shop, text)
        assert result.language == lang, (text, result.language)
        assert not result.escalated and result.reply
        assert result.products and result.products[0]["id"] == str(sugar["id"])
        assert "Kabras Sugar 1kg" in result.reply and format_price(sugar["price"]) in result.reply
        assert "KES 180" in result.reply
        assert grounding_problems(result.reply, [sugar]) == []
        if lang in ("SWA", "SHENG"):
            assert SWAHILI_MARKERS.search(result.reply), result.reply
        else:
            assert ENGLISH_MARKERS.search(result.reply) and not re.search(r"\b(inapatikana|nikuwekee)\b", result.reply)
        replies[lang] = result.reply
    assert len(set(replies.values())) == 3  # three different replies, one per language


def test_tones_sound_different_for_the_same_question(conn):
    texts = set()
    for tone in ("mtaa", "rafiki", "kazi", "sana"):
        shop = make_shop(conn, tone=tone)
        texts.add(ask(conn, shop, QUESTIONS["SWA"]).reply)
    assert len(texts) == 4


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Mko open saa ngapi?", "SHENG", "Mon-Sat 7am-9pm"),
    ("What time do you open?", "ENG", "Mon-Sat 7am-9pm"),
    ("Duka lenu liko wapi?", "SWA", "Kawangware 56, Nairobi"),
])
def test_hours_and_location_come_from_the_business_row(conn, text, lang, expected):
    shop = make_shop(conn, tone="rafiki")
    result = ask(conn, shop, text)
    assert expected in result.reply and result.language == lang and not result.escalated


def test_not_available_and_not_sold_answers(conn):
    shop = make_shop(conn, tone="kazi")
    gone = ask(conn, shop, "Do you have Fresh Fri cooking oil 3L?")
    assert "Fresh Fri Cooking Oil 3L" in gone.reply and "out of stock" in gone.reply
    assert "KES 1,050" in gone.reply
    nope = ask(conn, shop, "Mnauza samaki?")
    assert nope.products == [] and "hatuuzi" in nope.reply and not nope.escalated


@pytest.mark.parametrize(("text", "reason"), [
    ("I want to talk to a real person", "human"),
    ("Nataka pesa zangu zirudishwe", "complaint"),
    ("Hii ni wizi mtupu, mmeniibia!", "complaint"),
    ("YOU ARE USELESS!!! ANSWER ME!!!", "complaint"),
])
def test_escalation_hands_over_notifies_owner_and_silences_the_bot(conn, text, reason):
    shop = make_shop(conn)
    first = ask(conn, shop, text, customer="254712345678")
    assert first.escalated and first.reply
    conv = conn.execute("SELECT * FROM conversations WHERE business_id = %s", (shop["id"],)).fetchone()
    assert conv["status"] == "human_escalated" and conv["escalation_reason"] == reason
    bot = conn.execute("SELECT * FROM messages WHERE id = %s", (first.bot_message_id,)).fetchone()
    assert bot["author"] == "system" and bot["role"] == "bot"
    notes = conn.execute("SELECT * FROM notifications WHERE business_id = %s", (shop["id"],)).fetchall()
    assert len(notes) == 1 and notes[0]["kind"] == "escalation" and notes[0]["conversation_id"] == conv["id"]
    # Further messages get no bot reply until the owner hands the chat back.
    later = ask(conn, shop, "Sukari ni ngapi?", customer="254712345678")
    assert later.reply is None and later.bot_message_id is None
    assert conn.execute("SELECT count(*) AS n FROM messages WHERE conversation_id = %s AND role = 'bot'",
                        (conv["id"],)).fetchone()["n"] == 1
    assert hand_back(conn, shop["id"], conv["id"])
    conn.commit()
    back = ask(conn, shop, "Sukari ni ngapi?", customer="254712345678")
    assert back.reply and "KES 180" in back.reply


def test_respond_is_idempotent_and_stores_language_confidence_tokens(conn):
    shop = make_shop(conn)
    first = ask(conn, shop, "Niaje, maziwa iko?")
    user = conn.execute("SELECT * FROM messages WHERE id = %s", (first.user_message_id,)).fetchone()
    again = respond(conn, business_id=shop["id"], conversation_id=user["conversation_id"],
                    user_message_id=user["id"])
    conn.commit()
    assert again.bot_message_id == first.bot_message_id and again.reply == first.reply
    assert conn.execute("SELECT count(*) AS n FROM messages WHERE reply_to = %s", (user["id"],)).fetchone()["n"] == 1
    user = conn.execute("SELECT * FROM messages WHERE id = %s", (first.user_message_id,)).fetchone()
    assert user["detected_language"] == "SHENG" and Decimal("0") < user["confidence_score"] <= 1
    assert user["tokens_used"] == count_tokens("Niaje, maziwa iko?") > 0
    bot = conn.execute("SELECT * FROM messages WHERE id = %s", (first.bot_message_id,)).fetchone()
    assert bot["author"] == "ai" and bot["reply_to"] == user["id"] and bot["tokens_used"] == count_tokens(bot["content"])
    assert bot["intent"] == "product" and bot["product_ids"] and bot["detected_language"] == "SHENG"
    assert float(bot["confidence_score"]) == first.confidence


def test_respond_does_not_commit(conn, db_url):
    import psycopg

    shop = make_shop(conn)
    from mtaabot.conversations import Customer, get_or_create_conversation, store_inbound_message

    conv = get_or_create_conversation(conn, shop["id"], Customer(phone="254700000001"))
    msg, _ = store_inbound_message(conn, business_id=shop["id"], conversation_id=conv["id"], content="Bei ya chai?",
                                   wamid="w.1")
    conn.commit()
    respond(conn, business_id=shop["id"], conversation_id=conv["id"], user_message_id=msg["id"])
    with psycopg.connect(db_url) as other:
        n = other.execute("SELECT count(*) FROM messages WHERE reply_to = %s", (msg["id"],)).fetchone()[0]
    assert n == 0
    conn.rollback()


def test_reply_prices_are_always_catalogue_prices_in_kes_format(conn):
    shop = make_shop(conn)
    rows = {r["name"]: r["price"] for r in conn.execute("SELECT name, price FROM products WHERE business_id = %s",
                                                         (shop["id"],)).fetchall()}
    for text in ("price list", "Bei ya mafuta?", "Gas refill how much?", "Nipee unga"):
        result = ask(conn, shop, text)
        for price in prices_in(result.reply):
            assert price in rows.values(), (text, result.reply)
        assert not re.search(r"\bKES \d{4,}", result.reply), result.reply  # thousands separator


def test_no_active_plan_gives_a_hand_over_notice_not_an_ai_answer(conn):
    shop = make_shop(conn)
    conn.execute("UPDATE businesses SET trial_ends_at = CURRENT_TIMESTAMP - interval '2 days' WHERE id = %s",
                 (shop["id"],))
    conn.commit()
    first = ask(conn, shop, "Sukari ni ngapi?", customer="254712000222")
    second = ask(conn, shop, "Na maziwa?", customer="254712000222")
    assert first.reply and not first.escalated and first.products == [] and "KES" not in first.reply
    bot = conn.execute("SELECT * FROM messages WHERE id = %s", (first.bot_message_id,)).fetchone()
    assert bot["author"] == "system"
    assert second.reply is None  # told once per lapse, not on every message (the message is still stored)
    assert conn.execute("SELECT count(*) AS n FROM messages WHERE business_id = %s AND author = 'ai'",
                        (shop["id"],)).fetchone()["n"] == 0
    notes = conn.execute("SELECT kind FROM notifications WHERE business_id = %s", (shop["id"],)).fetchall()
    assert [n["kind"] for n in notes] == ["billing"]  # the owner is told once, not per message


def test_payment_claim_notifies_the_owner_without_escalating(conn):
    shop = make_shop(conn)
    result = ask(conn, shop, "Nimetuma pesa kwa M-Pesa, mmepokea?")
    assert result.intent == "payment" and not result.escalated and "M-Pesa" in result.reply
    notes = conn.execute("SELECT kind, body FROM notifications WHERE business_id = %s", (shop["id"],)).fetchall()
    assert [n["kind"] for n in notes] == ["payment"] and "M-Pesa" in notes[0]["body"]


def test_unclear_message_asks_once_then_hands_over(conn):
    shop = make_shop(conn, tone="rafiki")
    first = ask(conn, shop, "Bei?", customer="254712000333")
    assert not first.escalated and first.reply and first.products == []
    assert "bidhaa gani" in first.reply  # asks which item, in Swahili
    thumbs = ask(conn, shop, "\U0001f44d", customer="254712000444")
    assert not thumbs.escalated and thumbs.intent == "ack"
    second = ask(conn, shop, "hmm, nini?", customer="254712000333")
    assert second.escalated and second.intent == "unknown"
    conv = conn.execute("SELECT status, escalation_reason FROM conversations WHERE customer_phone = '254712000333'"
                        ).fetchone()
    assert conv["status"] == "human_escalated" and conv["escalation_reason"] == "low_confidence"


def test_discount_request_goes_to_the_owner_without_inventing_a_price(conn):
    shop = make_shop(conn)
    result = ask(conn, shop, "Punguza kidogo boss, last price?")
    assert result.intent == "discount" and not result.escalated and "KES" not in result.reply
    kinds = [r["kind"] for r in conn.execute("SELECT kind FROM notifications WHERE business_id = %s",
                                             (shop["id"],)).fetchall()]
    assert kinds == ["discount"]


def test_follow_up_without_a_product_word_is_about_the_last_product(conn):
    shop = make_shop(conn, tone="kazi")
    first = ask(conn, shop, "Mayai tray ni ngapi?", customer="254712000555")
    assert first.products[0]["name"] == "Tray of Eggs"
    follow = ask(conn, shop, "Nataka mbili, mniletee", customer="254712000555")
    assert follow.intent == "order" and follow.products[0]["name"] == "Tray of Eggs" and "KES 450" in follow.reply
    other = ask(conn, shop, "Nataka mbili, mniletee", customer="254712000666")  # a new chat has no subject
    assert other.products == [] and "KES" not in other.reply


def test_concurrent_responds_for_one_message_make_one_bot_message(conn, db_url):
    import threading

    from mtaabot.conversations import Customer, get_or_create_conversation, store_inbound_message
    from mtaabot.db import connect

    shop = make_shop(conn)
    conv = get_or_create_conversation(conn, shop["id"], Customer(phone="254700000002"))
    msg, _ = store_inbound_message(conn, business_id=shop["id"], conversation_id=conv["id"], content="Sukari iko?",
                                   wamid="w.concurrent")
    conn.commit()
    results, errors = [], []

    def worker() -> None:
        c = connect(db_url)
        try:
            results.append(respond(c, business_id=shop["id"], conversation_id=conv["id"], user_message_id=msg["id"]))
            c.commit()
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            c.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors and len(results) == 3
    assert len({r.bot_message_id for r in results}) == 1
    assert conn.execute("SELECT count(*) AS n FROM messages WHERE reply_to = %s", (msg["id"],)).fetchone()["n"] == 1
