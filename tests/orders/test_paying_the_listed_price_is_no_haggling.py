"""An amount that is the listed price ("nokia 110 moja, nitakupa 2600 cash", "gas moja, nitalipa 1300 mpesa",
"basi 1300 nipe" after the gas was shown) was haggling: the owner was told the customer wanted a discount and nothing
was ordered. Paying the price orders the thing; a lower amount is still haggling. Catalogue and sentences are this
file's own."""

from __future__ import annotations

import pytest

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
