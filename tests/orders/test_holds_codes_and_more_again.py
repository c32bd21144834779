"""Everyday order words the chat lost: "ongeza 2 tena" (two more) was "we don't sell that"; a bare M-Pesa code sent
after the yes was "which product?"; "nishikie AF1 size 43 nakuja kesho" (hold it for me, I'm coming tomorrow) and
"nishikie nakuja kesho jioni" were product answers with nothing kept; "sawa nitakuletea kesho saa tatu" after a
repair's price (I'll bring it in tomorrow at 9) was "we don't sell that". Catalogue and sentences are this file's
own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop, order_lines
from tests.orders.conftest import till_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Fresh Milk 500ml,Pasteurised milk,70,KES,true,"{""category"": ""dairy""}"
Puma Suede Classic,Suede sneakers,4100,KES,true,"{""category"": ""shoes"", ""sizes"": ""38-45""}"
Laptop Keyboard Repair,Keyboard replaced while you wait,2500,KES,true,"{""category"": ""repairs""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)



def test_two_more_again_adds_two(conn, shop):
    customer = "254719100001"
    ask(conn, shop, "nipe maziwa 3", customer)
    result = ask(conn, shop, "ongeza 2 tena", customer)
    assert order_lines(result) == {("Fresh Milk 500ml", None): 5}, result.reply


def test_a_bare_mpesa_code_after_the_yes_is_the_payment(conn):
    shop = till_shop(conn, CATALOGUE)
    customer = "254719100002"
    ask(conn, shop, "nipe maziwa 2", customer)
    placed = ask(conn, shop, "ndio", customer)
    assert placed.order["status"] == "awaiting_payment", placed.reply
    result = ask(conn, shop, "RHG7TY6UI8", customer)
    assert result.intent == "payment_claim", result.reply
    assert f"#{placed.order['number']}" in result.reply, result.reply


@pytest.mark.parametrize(("first", "then", "customer"), [
    (None, "nishikie puma suede size 43 nakuja kesho na doh", "254719100003"),
    ("puma suede size 43 iko?", "nishikie nakuja kesho jioni", "254719100004"),
])
def test_hold_it_for_me_keeps_it(conn, shop, first, then, customer):
    if first:
        ask(conn, shop, first, customer)
    result = ask(conn, shop, then, customer)
    assert order_lines(result) == {("Puma Suede Classic", "size 43"): 1}, result.reply


def test_bringing_the_thing_in_for_a_repair_is_no_not_sold(conn, shop):
    customer = "254719100005"
    ask(conn, shop, "keyboard repair ni ngapi", customer)
    result = ask(conn, shop, "sawa nitakuletea kesho asubuhi saa tatu", customer)
    assert order_lines(result) == {("Laptop Keyboard Repair", None): 1}, result.reply
    assert "saa tatu" in (result.order.get("customer_note") or ""), result.order
