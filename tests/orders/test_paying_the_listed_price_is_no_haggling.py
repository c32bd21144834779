"""An amount that is the listed price ("nokia 110 moja, nitakupa 2600 cash", "gas moja, nitalipa 1300 mpesa",
"basi 1300 nipe" after the gas was shown) was haggling: the owner was told the customer wanted a discount and nothing
was ordered. Paying the price orders the thing; a lower amount is still haggling. Catalogue and sentences are this
file's own."""

from __future__ import annotations

import pytest

from mtaabot.devtools import demo
from tests.engine.conftest import ask, make_shop, order_lines

CATALOGUE = """name,description,price,currency,is_available,metadata
Nokia 110 Phone,Feature phone with radio,2600,KES,true,"{""category"": ""phones""}"
Gas Refill 6kg,Cooking gas refill (gesi),1300,KES,true,"{""category"": ""household""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)



@pytest.mark.parametrize(("first", "then", "lines", "customer"), [
    (None, "nokia 110 moja, nitakupa 2600 cash", {("Nokia 110 Phone", None): 1}, "254719500001"),
    (None, "gas moja, nitalipa 1300 mpesa", {("Gas Refill 6kg", None): 1}, "254719500002"),
    ("bei ya gas", "basi 1300 nipe", {("Gas Refill 6kg", None): 1}, "254719500003"),
])
def test_the_listed_price_said_orders_the_thing(conn, shop, first, then, lines, customer):
    if first:
        ask(conn, shop, first, customer)
    result = ask(conn, shop, then, customer)
    assert order_lines(result) == lines, result.reply
    assert result.intent != "discount", result.reply


def test_less_than_the_price_is_still_haggling(conn, shop):
    customer = "254719500004"
    ask(conn, shop, "bei ya gas", customer)
    result = ask(conn, shop, "nitakupa 1000", customer)
    assert result.intent == "discount" and not order_lines(result), result.reply


@pytest.mark.parametrize(("text", "customer"), [
    ("nataka gas refill 6kg kwa 1100", "254719600091"),  # was 1,100 refills, a bulk sale for the owner
    ("nataka nokia 110, naweza lipa 2200?", "254719600092"),  # was an order at 2,600, the offer unheard
])
def test_an_order_at_a_price_of_the_customer_s_is_a_haggle(conn, shop, text, customer):
    """Probes s29 ("nipe superstar size 42 kwa 2800", "... naweza lipa 2800?")."""
    reply = ask(conn, shop, text, customer)
    assert reply.intent == "discount" and not order_lines(reply) and "KES " in reply.reply, reply.reply


@pytest.mark.parametrize(("text", "lines", "customer"), [
    ("nataka nokia 110, naweza lipa 2600?", {("Nokia 110 Phone", None): 1}, "254719600093"),
    ("nipe gesi 2 kwa 2600", {("Gas Refill 6kg", None): 2}, "254719600094"),  # the price of the two
    ("nipe gesi 2 kwa 2600 nitakuja kuchukua", {("Gas Refill 6kg", None): 2}, "254719600096"),
])
def test_the_listed_price_asked_or_said_for_several_is_an_order(conn, shop, text, lines, customer):
    reply = ask(conn, shop, text, customer)
    assert order_lines(reply) == lines, reply.reply


def test_a_price_of_the_customer_s_with_more_said_after_it_is_a_haggle(conn):
    """"iPhone 13 refurb ni 52k? Nipatie kwa 48k cash nakuja leo" was an order at the listed KES 52,000 and the owner
    heard of the offer only when it was said again (customer test s29b)."""
    shop = make_shop(conn, catalogue=demo.demo_catalogue()["Simu Poa Electronics"])
    reply = ask(conn, shop, "iPhone 13 refurb ni 52k? Nipatie kwa 48k cash nakuja leo", "254719600095")
    assert reply.intent == "discount" and not order_lines(reply), reply.reply
