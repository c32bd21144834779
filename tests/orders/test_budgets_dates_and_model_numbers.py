"""Budgets, days named and model numbers as the customer test of session 24 wrote them: "simu ya 20k, ni ipi bora?"
drafted an iPhone at KES 50,000 and "simu ya 15k hivi" hid the phone at 14,000; "cover ya Redmi Note 13" was 13
covers; "maziwa kumi na mbili na nusu kilo ya sukari" was 12 bags of sugar; "mi na mabeshte wangu wawili" booked two;
"Christmas day, 25th at 10am" was booked for today and "around noon" was no time. Catalogue and sentences are this
file's own."""

from __future__ import annotations

from datetime import datetime

import pytest

from mtaabot.orders.when import NAIROBI
from tests.engine.conftest import ask, make_salon, make_shop, order_lines

PHONES = """name,description,price,currency,is_available,metadata
Galaxy A25 256GB,Samsung smartphone (simu) 256GB,31000,KES,true,"{""category"": ""phones""}"
Itel S23,Budget Android with big battery,11500,KES,true,"{""category"": ""phones""}"
Infinix Smart 8,Android phone 64GB,9200,KES,true,"{""category"": ""phones""}"
Back Cover,Silicone back cover for popular models,450,KES,true,"{""category"": ""accessories""}"
Type-C Charger,Fast charger with cable,1100,KES,true,"{""category"": ""accessories""}"
"""

GROCER = """name,description,price,currency,is_available,metadata
Fresha Milk 500ml,Fresh milk,60,KES,true,"{""category"": ""milk""}"
Mumias Sugar 1kg,White sugar,175,KES,true,"{""category"": ""sugar""}"
"""


@pytest.fixture
def phones(conn):
    return make_shop(conn, catalogue=PHONES)


def test_a_budget_question_lists_what_fits_and_orders_nothing(conn, phones):
    result = ask(conn, phones, "Nataka kununua simu ya 20k, ni ipi bora? Nataka camera nzuri na battery", None)
    assert not order_lines(result), result.reply
    assert "11,500" in result.reply and "31,000" not in result.reply, result.reply


def test_about_a_budget_shows_the_phone_in_it_though_another_says_simu(conn, phones):
    result = ask(conn, phones, "Habari, natafuta simu ya 12k hivi, ya mwanafunzi", None)
    assert "Itel S23" in result.reply and "31,000" not in result.reply, result.reply


@pytest.mark.parametrize(("text", "lines"), [
    ("Nataka cover ya Redmi Note 13 na charger yake type C",
     {("Back Cover", "for redmi note 13"): 1, ("Type-C Charger", None): 1}),
    ("nipe itel 3", {("Itel S23", None): 3}),  # after a brand alone, a small number is still how many
])
def test_the_number_of_a_phone_series_is_no_count(conn, phones, text, lines):
    assert order_lines(ask(conn, phones, text, None)) == lines


def test_half_a_kilo_of_the_next_thing_is_not_part_of_the_count(conn):
    grocer = make_shop(conn, catalogue=GROCER)
    result = ask(conn, grocer, "nipe maziwa kumi na mbili na nusu kilo ya sukari", None)
    assert order_lines(result) == {("Fresha Milk 500ml", None): 12}, result.reply
    assert "1kg" in result.reply, result.reply  # sugar is sold by the kilo: said, not 12 bags


def test_me_and_my_two_mates_in_sheng_are_three(conn):
    salon = make_salon(conn, "name,description,price,currency,is_available,metadata\nCornrows,Straight back,800,KES,true,{}\n")
    result = ask(conn, salon, "mi na mabeshte wangu wawili tunataka kusukwa cornrows jumamosi saa mbili", None)
    assert {i["name"]: i["quantity"] for i in result.order["items"]} == {"Cornrows": 3}, result.reply


def test_christmas_day_and_noon_are_a_day_and_a_time(conn):
    salon = make_salon(conn, "name,description,price,currency,is_available,metadata\nCornrows,Straight back,800,KES,true,{}\n")
    christmas = ask(conn, salon, "Can I do cornrows on Christmas day, 25th at 10am?", None)
    at = christmas.order["booking_at"]
    at = datetime.fromisoformat(at) if isinstance(at, str) else at
    assert (at.astimezone(NAIROBI).month, at.astimezone(NAIROBI).day, at.astimezone(NAIROBI).hour) == (12, 25, 10), \
        christmas.reply
    assert "25th" not in christmas.reply and "Hatuna" not in christmas.reply, christmas.reply
    noon = ask(conn, salon, "I want cornrows on saturday around noon", None)
    at = noon.order["booking_at"]
    at = datetime.fromisoformat(at) if isinstance(at, str) else at
    assert at.astimezone(NAIROBI).hour == 12, noon.reply
