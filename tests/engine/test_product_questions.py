"""The cheapest / dearest of what the customer asked about, and a detail of the product just shown: answered
from that product's own description and metadata, or handed to the owner — never "we don't sell that"."""

from __future__ import annotations

import psycopg
import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = (
    "name,description,price,currency,is_available,metadata\n"
    'Redmi 13C 128GB,"Android phone (simu) 128GB, 4GB RAM",13500,KES,true,'
    '"{""category"": ""phones"", ""warranty"": ""12 months""}"\n'
    'Redmi Note 13 256GB,"Android phone 256GB, 8GB RAM, AMOLED screen",24000,KES,true,"{""category"": ""phones""}"\n'
    'Itel A70,Entry Android phone (simu) with 5000mAh battery,8200,KES,true,"{""category"": ""phones""}"\n'
    'Redmi Phone Case,Silicone case for Redmi phones,600,KES,true,"{""category"": ""accessories""}"\n'
    'USB-C Cable 1m,Charging cable,350,KES,true,"{""category"": ""accessories""}"\n')


@pytest.fixture
def shop(conn: psycopg.Connection):
    return make_shop(conn, catalogue=CATALOGUE, tone="kazi")


@pytest.mark.parametrize(("text", "first", "price"), [
    ("What's your cheapest phone?", "Itel A70", "KES 8,200"),
    ("Simu ya bei rahisi zaidi ni gani?", "Itel A70", "KES 8,200"),
    ("which is the most expensive phone you have?", "Redmi Note 13 256GB", "KES 24,000"),
])
def test_the_cheapest_or_dearest_of_a_kind_is_named_with_its_price(conn, shop, text, first, price):
    """Not the phone case that a search for "phone" also finds."""
    result = ask(conn, shop, text)
    assert result.products[0]["name"] == first and price in result.reply and first in result.reply.split("\n")[0]
    assert "Redmi Phone Case" not in result.reply and "USB-C" not in result.reply


@pytest.mark.parametrize(("first", "then"), [
    ("Do you have Redmi phones?", "which one is the cheapest?"),
    ("Mna simu za Redmi?", "ipi ni rahisi zaidi?"),
])
def test_the_cheapest_after_a_product_answer_is_of_what_was_shown(conn, shop, first, then):
    c = "254712800001" if first.startswith("Do") else "254712800002"
    ask(conn, shop, first, customer=c)
    result = ask(conn, shop, then, customer=c)
    assert result.intent == "product" and result.products[0]["name"] == "Redmi 13C 128GB"
    assert "KES 13,500" in result.reply.split("\n")[0] and "Case" not in result.reply


def _about_the_redmi(conn, shop, question: str, customer: str):
    """The shop has just answered about the Redmi 13C; the customer asks `question` about it."""
    ask(conn, shop, "Redmi 13C iko?", customer=customer)
    return ask(conn, shop, question, customer=customer)


@pytest.mark.parametrize(("question", "said"), [
    ("does it have warranty?", "warranty: 12 months"),
    ("Ina warranty?", "warranty: 12 months"),
    ("and is it 4GB RAM?", "4GB RAM"),
])
def test_a_detail_the_catalogue_holds_is_answered_from_it(conn, shop, question, said):
    result = _about_the_redmi(conn, shop, question, "254712800010" + str(len(question) % 10))
    assert said in result.reply and "Redmi 13C 128GB" in result.reply and not result.escalated


@pytest.mark.parametrize(("question", "told"), [
    ("does it have NFC?", "asked the owner"),
    ("Inakuja na earphones?", "mwenye duka"),
])
def test_a_detail_the_catalogue_does_not_hold_goes_to_the_owner_about_that_product(conn, shop, question, told):
    """It was "Sorry, we don't sell that" (or another product found by the detail's word)."""
    result = _about_the_redmi(conn, shop, question, "25471280002" + str(len(question) % 10))
    assert result.escalated and told in result.reply and "Redmi 13C 128GB" in result.reply
    assert "don't sell" not in result.reply and "hatuuzi" not in result.reply
    note = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'escalation'",
                        (shop["id"],)).fetchone()
    assert "Redmi 13C 128GB" in note["body"] and question in note["body"]
