"""A kind of thing asked for by the shop's own category ("phones?"), in a colour ("black sneakers?") or in a
numbered size ("size 42"): the answer lists what is of that kind, in that colour, in that size — not the
accessory whose name says the word loudest, the white pair, or the school shoes that stop at size 39."""

from __future__ import annotations

import re

import psycopg
import pytest

from mtaabot.devtools import demo
from tests.engine.conftest import ask, make_shop

PHONES = (
    "name,description,price,currency,is_available,metadata\n"
    'Phone Cover,"Silicone back cover for popular phone models",450,KES,true,"{""category"": ""accessories""}"\n'
    'Phone Stand,"Desk stand for any phone",350,KES,true,"{""category"": ""accessories""}"\n'
    'Galaxy A25 128GB,"Android smartphone (simu) 128GB, 6GB RAM",24500,KES,true,"{""category"": ""phones""}"\n'
    'Spark 30 128GB,"Budget Android handset with a big battery",15500,KES,true,"{""category"": ""phones""}"\n'
    'Kitochi Button Handset,"Basic button mobile (kabambe) with FM radio",1900,KES,true,"{""category"": ""phones""}"\n'
    'Laptop Sleeve 14 inch,"Padded sleeve for laptops",1200,KES,true,"{""category"": ""bags""}"\n')

SHOES = (
    "name,description,price,currency,is_available,metadata\n"
    'Canvas Sneakers White,"White canvas low-top sneakers (viatu), sizes 37 to 45",2600,KES,true,'
    '"{""category"": ""sneakers"", ""color"": ""white""}"\n'
    'Street Runner Sneakers,"Black and grey running sneakers, sizes 39 to 44",3400,KES,true,'
    '"{""category"": ""sneakers""}"\n'
    'Office Oxford Shoes,"Black leather office shoes for men (viatu vya ofisi), sizes 40 to 46",3100,KES,true,'
    '"{""category"": ""official"", ""color"": ""black""}"\n'
    'School Shoes Black,"Black school shoes for kids (viatu vya shule), sizes 28 to 39",1400,KES,true,'
    '"{""category"": ""kids""}"\n'
    'Leather Sandals,"Brown leather sandals (sandali) for men and women",950,KES,true,"{""category"": ""sandals""}"\n'
    'Rubber Flip Flops,"Beach flip flops, blue and yellow",300,KES,true,"{""category"": ""sandals""}"\n')


@pytest.fixture
def phones(conn: psycopg.Connection):
    return make_shop(conn, catalogue=PHONES, tone="kazi")


@pytest.fixture
def shoes(conn: psycopg.Connection):
    return make_shop(conn, catalogue=SHOES, tone="rafiki")


def _names(result) -> list[str]:
    return [p["name"] for p in result.products]


@pytest.mark.parametrize("text", ["phones?", "mna simu gani?", "simu ziko?"])
def test_a_kind_named_by_the_shops_category_lists_that_kind(conn, phones, text):
    """It was the Phone Cover first ("phone" in its name), or one phone only."""
    result = ask(conn, phones, text)
    listed = _names(result)
    assert len(listed) >= 2 and all(name not in listed for name in ("Phone Cover", "Phone Stand")), listed
    assert "Phone Cover" not in result.reply and ("KES 1,900" in result.reply or "KES 15,500" in result.reply)


def test_a_thing_of_another_kind_is_still_that_thing(conn, phones):
    result = ask(conn, phones, "phone cover")
    assert _names(result)[0] == "Phone Cover"


@pytest.mark.parametrize("text", ["ziko sneakers za rangi nyeusi?", "sneakers nyeusi mko nazo?",
                                  "do you have black sneakers?"])
def test_a_colour_asked_with_a_kind_lists_only_what_comes_in_it(conn, shoes, text):
    """It was the white canvas pair beside the black runners, as if both were black."""
    result = ask(conn, shoes, text)
    assert _names(result) == ["Street Runner Sneakers"] and "Canvas Sneakers White" not in result.reply


@pytest.mark.parametrize(("text", "said"), [
    ("una sandals za rangi nyekundu?", "hatuna za rangi nyekundu"),
    ("sandals red ziko?", "hatuna za red"),
    ("do you have sandals in red?", "we have none in red"),
])
def test_a_colour_nothing_comes_in_is_said_with_what_there_is(conn, shoes, text, said):
    result = ask(conn, shoes, text)
    assert said in result.reply.lower() and "Leather Sandals" in result.reply, result.reply


@pytest.mark.parametrize("text", ["black shoes size 42?", "viatu nyeusi saizi 42 ziko?", "kuna black shoes size 42?"])
def test_a_numbered_size_puts_what_comes_in_it_first(conn, shoes, text):
    """It was the school shoes (sizes 28 to 39) first, with "Sizes: 28-39"."""
    result = ask(conn, shoes, text)
    assert _names(result)[0] == "Office Oxford Shoes" and "School Shoes" not in result.reply, result.reply


@pytest.mark.parametrize("text", ["size 41 za watoto ziko?", "mna viatu vya shule saizi 42?",
                                  "do you have school shoes in size 42?"])
def test_a_size_nothing_comes_in_is_said_with_the_sizes_there_are(conn, shoes, text):
    """It was "School Shoes Black iko ... Size: 28-39", as if a 41 were there."""
    result = ask(conn, shoes, text)
    assert re.search(r"School Shoes Black: KES 1,400 \(28(-| to )39\)", result.reply), result.reply
    assert "hatuna" in result.reply or "don't have that size" in result.reply


@pytest.mark.parametrize("text", ["una iphone 13?", "una iphone 13 ngapi?", "unazo iphone 13?"])
def test_una_asks_whether_the_shop_has_it(conn, text):
    """"una" (you have) was searched for as a thing, and the learned model then said the phone was not sold."""
    shop = make_shop(conn, catalogue=demo.demo_catalogue()["Simu Poa Electronics"], tone="kazi")
    result = ask(conn, shop, text)
    assert _names(result)[:1] == ["iPhone 13 128GB Refurbished"] and "KES 52,000" in result.reply


@pytest.mark.parametrize("text", ["nina budget ya 16k, simu gani iko?", "simu chini ya 16k", "phones below 16k"])
def test_a_kind_in_a_price_range_is_that_kind(conn, phones, text):
    """It was the phone cover and the phone stand (under the budget, and "phone" in their names)."""
    result = ask(conn, phones, text)
    assert set(_names(result)) == {"Spark 30 128GB", "Kitochi Button Handset"}, result.reply


@pytest.mark.parametrize(("text", "both"), [
    ("niaje, power bank na earbuds ziko?", ("Oraimo Power Bank 20000mAh", "Oraimo FreePods Earbuds")),
    ("bei ya chaja na screen protector ni ngapi?", ("Type-C Fast Charger 25W", "Tempered Glass Screen Protector")),
    ("do you have covers and chargers?", ("Phone Cover", "Type-C Fast Charger 25W")),
])
def test_two_things_asked_about_in_one_message_are_both_answered(conn, text, both):
    """Only the one the whole message ranked first was answered."""
    shop = make_shop(conn, catalogue=demo.demo_catalogue()["Simu Poa Electronics"], tone="kazi")
    result = ask(conn, shop, text)
    assert all(name in result.reply for name in both), result.reply


def test_two_things_priced_after_asking_what_there_is_are_both_answered(conn):
    """"Sasa, mna nini leo? bei ya sukari na unga" listed two flours and no sugar (a list asked and two prices asked
    in one message; customer test s28)."""
    shop = make_shop(conn)
    result = ask(conn, shop, "Sasa, mna nini leo? bei ya sukari na unga")
    assert "Kabras Sugar 1kg" in result.reply and "Flour" in result.reply, result.reply


def test_a_detail_asked_beside_two_prices_keeps_the_prices(conn):
    """"Ni ngapi box braids na knotless? Na mnatumia extensions zenu ama nilete?" said only that the box braids come
    with extensions, no price (customer test s29)."""
    shop = make_shop(conn, catalogue="name,description,price\nBox Braids,Long box braids with extensions included,2500\n"
                                     "Knotless Braids,Knotless braids light on the scalp,3500\n")
    result = ask(conn, shop, "Ni ngapi box braids na knotless? Na mnatumia extensions zenu ama nilete?")
    assert "KES 2,500" in result.reply and "KES 3,500" in result.reply and "extensions" in result.reply, result.reply


def test_two_things_compared_are_said_side_by_side(conn):
    """"Unga ya Ajab na Jogoo, tofauti ni gani? nataka ya chapati" got the two prices, nothing of what each is (customer
    test s29)."""
    result = ask(conn, make_shop(conn), "Unga ya Ajab na Jogoo, tofauti ni gani? nataka ya chapati")
    assert "chapati" in result.reply and "ugali" in result.reply and "KES 230" in result.reply, result.reply


@pytest.mark.parametrize(("text", "offered", "not_offered"), [
    ("mna sugar ya 2kg packet", "Kabras Sugar 1kg", "Jogoo Maize Flour 2kg"),
    ("sukari ya kilo 2 mnayo?", "Kabras Sugar 1kg", "Jogoo Maize Flour 2kg"),
    ("Do you have maize flour in 1kg?", "Jogoo Maize Flour 2kg", "Kabras Sugar 1kg"),
])
def test_a_size_the_thing_asked_for_lacks_is_not_answered_with_another_thing_of_that_size(conn, text, offered,
                                                                                         not_offered):
    """"mna sugar ya 2kg packet" listed the 2kg maize flour beside the sugar, as if it were an answer."""
    shop = make_shop(conn, catalogue=demo.demo_catalogue()["Mama Njeri Duka"])
    result = ask(conn, shop, text)
    names = [p["name"] for p in result.products]
    assert offered in names and not_offered not in names and not_offered not in result.reply
