"""Money said in shorthand and a colour asked about the thing in the cart: "13k?" after the last price is a counter-
offer (it was "we don't sell that"), "sawa 14k nipe moja" is one at its price (it was "we don't have 14k"), "na
black?" about the shoe in the cart puts black on that line (it added a second pair), "nitatuma doh" to the order
shown is a yes (it was "we don't sell that"), "ni ngapi kureplace?" after a service is its price. Catalogue and
sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Vivo Y18,Android phone 128GB,14500,KES,true,"{""category"": ""phones""}"
Loafers Brown,"Leather loafers in brown and black",3100,KES,true,"{""sizes"": ""39-45""}"
Battery Replacement,Phone battery replacement while you wait,1500,KES,true,"{""category"": ""repairs""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def test_an_amount_alone_after_the_price_is_a_counter_offer(conn, shop):
    customer = "254714500001"
    ask(conn, shop, "vivo y18 last price", customer)
    result = ask(conn, shop, "13k?", customer)
    assert result.intent == "discount" and "14,500" in result.reply, result.reply


def test_the_price_said_in_thousands_with_the_order_is_no_thing(conn, shop):
    customer = "254714500002"
    ask(conn, shop, "vivo y18 ni ngapi", customer)
    result = ask(conn, shop, "sawa 14.5k nipe moja", customer)
    assert {i["name"]: i["quantity"] for i in result.order["items"]} == {"Vivo Y18": 1}, result.reply
    assert "Hatuna" not in result.reply and "don't have" not in result.reply, result.reply


def test_a_colour_asked_about_the_shoe_in_the_cart_is_that_shoes_colour(conn, shop):
    customer = "254714500003"
    ask(conn, shop, "nipe loafers brown size 42", customer)
    result = ask(conn, shop, "na black?", customer)
    assert [(i["quantity"], i["variant"]) for i in result.order["items"]] == [(1, "size 42, black")], result.reply
    assert "KES 3,100" in result.reply and "6,200" not in result.reply, result.reply


def test_saying_the_money_will_be_sent_is_a_yes(conn, shop):
    customer = "254714500004"
    ask(conn, shop, "nipe loafers brown size 40", customer)
    result = ask(conn, shop, "nitatuma doh", customer)
    assert result.intent == "order_confirm" and result.order["status"] == "awaiting_payment", result.reply


def test_the_price_of_doing_the_service_just_shown(conn, shop):
    customer = "254714500005"
    ask(conn, shop, "battery replacement mnafanya?", customer)
    result = ask(conn, shop, "ni ngapi kureplace", customer)
    assert "Battery Replacement" in result.reply and "1,500" in result.reply, result.reply
