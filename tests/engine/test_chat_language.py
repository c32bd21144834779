"""A short message that says little about its language is answered in the chat's language; a clear switch is
followed."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

ENGLISH_WORDS = ("available", "reply", "sorry", "noted", "thank", "welcome", "which", "tell me")
SWAHILI_WORDS = ("inapatikana", "jibu", "samahani", "sawa", "karibu", "bei", "kwa")


@pytest.mark.parametrize(("first", "short", "expect"), [
    ("Hello, do you have cooking oil?", "ok", ENGLISH_WORDS),
    ("Hello, do you have cooking oil?", "Kawangware", ENGLISH_WORDS),
    ("Good morning, is sugar available?", "ok sawa", ENGLISH_WORDS),
    ("Habari, mna mafuta ya kupikia?", "ok", SWAHILI_WORDS),
])
def test_a_short_unclear_message_is_answered_in_the_language_of_the_chat(conn, first, short, expect):
    shop = make_shop(conn, tone="kazi")
    c = "2547129000" + str(len(first) + len(short))[-2:]
    opened = ask(conn, shop, first, customer=c)
    assert any(w in opened.reply.lower() for w in expect)
    answered = ask(conn, shop, short, customer=c)
    assert answered.language == opened.language and any(w in answered.reply.lower() for w in expect)
    kept = conn.execute("SELECT detected_language FROM messages WHERE id = %s", (answered.user_message_id,)).fetchone()
    assert kept["detected_language"] is not None  # the message's own detection is kept for analytics


def test_a_clear_switch_of_language_is_followed(conn):
    shop = make_shop(conn, tone="kazi")
    c = "254712900099"
    ask(conn, shop, "Hello, do you have cooking oil?", customer=c)
    switched = ask(conn, shop, "Je, mna sukari ya kilo moja leo?", customer=c)
    assert switched.language == "SWA"


@pytest.mark.parametrize("short", ["nipe moja", "zitaingia lini?", "asante sana"])
def test_a_few_plain_swahili_words_in_a_sheng_chat_are_answered_in_sheng(conn, short):
    shop = make_shop(conn, tone="mtaa")
    c = "2547129011" + str(len(short))[-2:]
    opened = ask(conn, shop, "niaje msee, mko na unga ya ngano?", customer=c)
    assert opened.language == "SHENG"
    answered = ask(conn, shop, short, customer=c)
    assert answered.language == "SHENG", answered.reply


def test_a_whole_swahili_sentence_in_a_sheng_chat_is_followed(conn):
    shop = make_shop(conn, tone="mtaa")
    c = "254712901199"
    ask(conn, shop, "niaje msee, mko na unga ya ngano?", customer=c)
    switched = ask(conn, shop, "Je, mnaweza kuniletea sukari kilo mbili nyumbani leo jioni?", customer=c)
    assert switched.language == "SWA"
