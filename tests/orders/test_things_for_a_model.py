"""Things ordered for a model: "2 phone covers, one for the Redmi 13 and one for the Hot 40" are two covers for
those phones (two phones were added: KES 34,100 confirmed for KES 1,600 of covers and protectors), and the line
says which phone each is for. A phone asked for in its own right stays a phone, and two shoes stay two shoes.
Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Xiaomi Redmi 13,Android phone 128GB,16500,KES,true,"{""category"": ""phones""}"
Infinix Hot 40,Android phone 256GB,19000,KES,true,"{""category"": ""phones""}"
Back Cover,Silicone back cover for popular models,450,KES,true,"{""category"": ""accessories""}"
Glass Protector,Tempered glass screen protector fitted free,250,KES,true,"{""category"": ""accessories""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def _lines(result) -> dict[tuple[str, str | None], int]:
    return {(i["name"], i["variant"]): i["quantity"] for i in (result.order or {}).get("items", [])}


def test_covers_one_for_each_phone_are_covers(conn, shop):
    result = ask(conn, shop, "I need 2 back covers, one for the Redmi 13 and one for the Hot 40", "254714000001")
    assert _lines(result) == {("Back Cover", "for Xiaomi Redmi 13"): 1, ("Back Cover", "for Infinix Hot 40"): 1}, \
        result.reply
    assert "KES 900" in result.reply and "16,500" not in result.reply, result.reply


def test_counts_per_phone_after_the_protector_was_shown(conn, shop):
    customer = "254714000002"
    ask(conn, shop, "glass protector inafitiwa bure?", customer)
    result = ask(conn, shop, "nipe tatu, za redmi 13 mbili na infinix moja", customer)
    assert _lines(result) == {("Glass Protector", "for Xiaomi Redmi 13"): 2,
                              ("Glass Protector", "for Infinix Hot 40"): 1}, result.reply
    assert "KES 750" in result.reply, result.reply


def test_a_second_model_counted_like_the_first_is_one_more_it_is_for(conn, shop):
    """"Nataka protector za Samsung A15 mbili na Tecno Spark 20 moja" ordered a Tecno phone beside two protectors
    (customer test, session 24)."""
    result = ask(conn, shop, "Nataka glass protector za Redmi 13 mbili na Infinix Hot 40 moja", "254714000009")
    assert _lines(result) == {("Glass Protector", "for Xiaomi Redmi 13"): 2,
                              ("Glass Protector", "for Infinix Hot 40"): 1}, result.reply
    assert "19,000" not in result.reply, result.reply


def test_a_cover_asked_for_a_phone_says_which_phone(conn, shop):
    result = ask(conn, shop, "nipe back cover ya infinix hot 40", "254714000003")
    assert _lines(result) == {("Back Cover", "for Infinix Hot 40"): 1}, result.reply


@pytest.mark.parametrize(("text", "lines", "customer"), [
    ("nataka redmi 13 na back cover moja", {("Xiaomi Redmi 13", None): 1, ("Back Cover", None): 1}, "254714000004"),
    ("nipe redmi 13, na infinix hot 40 pia", {("Xiaomi Redmi 13", None): 1, ("Infinix Hot 40", None): 1},
     "254714000005"),
])
def test_phones_asked_for_stay_phones(conn, shop, text, lines, customer):
    result = ask(conn, shop, text, customer)
    assert _lines(result) == lines, result.reply


def test_a_repair_booked_for_a_phone_says_which_phone_and_nothing_else(conn):
    from tests.engine.conftest import make_salon

    shop = make_salon(conn, """name,description,price,currency,is_available,metadata
Screen Replacement,Cracked screen replaced for Samsung and Tecno; same day,3500,KES,true,"{""category"": ""repairs""}"
""", minutes=120)
    result = ask(conn, shop, "Can I book a screen replacement for my Samsung A14 on Monday at 10am?", "254714000006")
    assert _lines(result) == {("Screen Replacement", "for samsung a14"): 1}, result.reply


def test_a_thing_for_its_phone_says_the_phone_just_talked_about(conn, shop):
    customer = "254714000021"
    ask(conn, shop, "redmi 13 ni bei gani", customer)
    result = ask(conn, shop, "nipe na back cover yake", customer)
    # the phone and a cover for it; the 13 of its name asked about is no count (was 13 phones, KES 214,950)
    assert _lines(result) == {("Back Cover", "for Xiaomi Redmi 13"): 1, ("Xiaomi Redmi 13", None): 1}, result.reply


@pytest.mark.parametrize(("give", "customer"), [("nipe", "254714000023"), ("ok nipe tafadhali", "254714000024")])
def test_give_me_after_the_price_of_a_numbered_phone_is_one_phone(conn, shop, give, customer):
    ask(conn, shop, "redmi 13 ni bei gani", customer)
    result = ask(conn, shop, give, customer)
    assert not result.escalated, result.reply
    assert _lines(result) == {("Xiaomi Redmi 13", None): 1}, result.reply


def test_all_of_them_after_a_phone_and_its_cover_is_both_the_cover_for_the_phone(conn, shop):
    customer = "254714000022"
    ask(conn, shop, "redmi 13 ni bei gani", customer)
    ask(conn, shop, "na back cover yake", customer)
    result = ask(conn, shop, "nipe zote", customer)
    assert _lines(result) == {("Back Cover", "for Xiaomi Redmi 13"): 1, ("Xiaomi Redmi 13", None): 1}, result.reply
    assert "16,950" in result.reply, result.reply
