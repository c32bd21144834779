"""Two questions in one message are both answered (owner test s26: nine messages lost one question each): a product
beside hours, place, payment or delivery, a second product, and a product beside a question for the owner."""

from __future__ import annotations

import re

import pytest

from mtaabot.devtools import demo
from tests.engine.conftest import ask, make_shop

SHOPS = {"Mama Njeri Duka": ("mtaa", "Mon-Sun 6:30am-10pm"), "Kicks Kona": ("rafiki", "Mon-Sat 8am-7pm"),
         "Simu Poa Electronics": ("kazi", "Mon-Sat 8am-8pm"), "Wanjiku Beauty Salon": ("rafiki", "Mon-Sat 8am-7pm")}


def _shop(conn, name: str):
    tone, hours = SHOPS[name]
    return make_shop(conn, catalogue=demo.demo_catalogue()[name], tone=tone, opening_hours=hours)


@pytest.mark.parametrize(("shop", "text", "first", "second"), [
    ("Mama Njeri Duka", "bei ya sukari na mnafunga saa ngapi?", r"6:30|22:00|10pm", "KES 180"),
    ("Mama Njeri Duka", "What time do you close today and how much is a tray of eggs?", r"6:30|22:00|10pm", "KES 450"),
    ("Mama Njeri Duka", "mko na maziwa? pia nataka kujua kama mnakubali mpesa", "M-Pesa", "KES 65"),
    ("Kicks Kona", "do you have AF1 size 43 and do you deliver to Rongai?", r"deliver", "KES 3,500"),
    ("Wanjiku Beauty Salon", "cornrows ni ngapi na mnafungua saa ngapi jumamosi?", r"08:00|8am", "KES 800"),
    ("Simu Poa Electronics", "earbuds za oraimo ziko? na tecno spark 20 ni ngapi", "Earbuds", "KES 14,000"),
    ("Kicks Kona", "how much are superstars? and can I exchange if the size doesn't fit", "owner", "KES 3,200"),
])
def test_both_questions_are_answered(conn, shop, text, first, second):
    result = ask(conn, _shop(conn, shop), text)
    assert re.search(first, result.reply) and second in result.reply, result.reply


@pytest.mark.parametrize(("shop", "text"), [
    ("Mama Njeri Duka", "bei ya sukari na unga?"),  # one question about two things: one list, nothing added
    ("Mama Njeri Duka", "sukari ni ngapi?"),
])
def test_one_question_is_answered_once(conn, shop, text):
    result = ask(conn, _shop(conn, shop), text)
    assert result.reply.count("KES 180") == 1, result.reply


def test_place_and_hours_asked_together_are_said_once(conn):
    result = ask(conn, _shop(conn, "Mama Njeri Duka"), "mko wapi? na mnafunga saa ngapi?")
    assert result.reply.count("Kawangware") == 1, result.reply



def test_three_questions_are_all_answered(conn):
    """"bro AF1 ziko back? na bei ya superstar, na mnafunga saa ngapi leo" got only the hours (customer test s27)."""
    result = ask(conn, _shop(conn, "Kicks Kona"), "bro AF1 ziko back? na bei ya superstar, na mnafunga saa ngapi leo",
                 customer="254712800091")
    assert "Air Force" in result.reply and "KES 3,500" in result.reply, result.reply
    assert "Superstar" in result.reply and "KES 3,200" in result.reply, result.reply
    assert re.search(r"\d{2}:\d{2}|\d(?:am|pm)", result.reply), result.reply


def test_when_a_thing_comes_back_is_asked_of_the_owner_in_the_same_message_or_the_next(conn):
    """"iphone 13 iko? when will it be back?" got only "out of stock", and "when will it be back?" after it the delivery
    answer: the owner never heard (customer test s27)."""
    shop = _shop(conn, "Simu Poa Electronics")
    conn.execute("UPDATE products SET is_available = false WHERE business_id = %s AND name LIKE 'iPhone 13%%'",
                 (shop["id"],))
    both = ask(conn, shop, "iphone 13 iko? when will it be back?", customer="254712800092")
    assert both.escalated and "52,000" in both.reply, both.reply
    ask(conn, shop, "iphone 13 iko?", customer="254712800093")
    later = ask(conn, shop, "when will it be back?", customer="254712800093")
    assert later.escalated and "iPhone 13" in later.reply and "deliver" not in later.reply, later.reply


def test_two_answers_end_with_their_closing_line_once(conn):
    """"Niaje, Samsung A15 ni ngapi? na iko na warranty?" closed both answers with "Jibu na idadi ukitaka ku-order."
    (customer test s29)."""
    shop = _shop(conn, "Simu Poa Electronics")
    result = ask(conn, shop, "Niaje, Samsung A15 ni ngapi? na iko na warranty?")
    assert "KES 18,500" in result.reply and "12 months" in result.reply, result.reply
    last = result.reply.strip().splitlines()[-1].split(". ")[-1]
    assert result.reply.count(last) == 1, result.reply
