""""Cancel the hair food" after the yes cancelled the whole booking, the pedicure too (three times in a customer
test, once after it was paid for). One thing named is that one out, the rest stays and is said yes to again; "cancel
my booking" still cancels it all. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask
from tests.orders.conftest import till_shop

CATALOGUE = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Spa Pedicure,Foot soak and polish,900,KES,true,{},true,60
Shea Butter 200g,Shea butter cream,400,KES,true,{},false,
"""


@pytest.fixture
def shop(conn):
    return till_shop(conn, CATALOGUE)


def _booked(conn, shop, customer):
    ask(conn, shop, "nataka spa pedicure kesho saa tisa na shea butter mbili", customer)
    confirmed = ask(conn, shop, "ndio", customer)
    assert confirmed.order["status"] == "awaiting_payment", confirmed.reply
    return confirmed


@pytest.mark.parametrize(("said", "customer"), [("and cancel the shea butter, I'll buy later", "254722000001"),
                                                ("cancel shea butter lakini pedicure ibaki", "254722000002")])
def test_one_thing_cancelled_leaves_the_rest(conn, shop, said, customer):
    _booked(conn, shop, customer)
    result = ask(conn, shop, said, customer)
    names = {i["name"] for i in result.order["items"]}
    assert names == {"Spa Pedicure"} and result.order["status"] == "draft", result.reply
    again = ask(conn, shop, "ndio", customer)
    assert again.order["status"] == "awaiting_payment" and "900" in again.reply, again.reply


def test_cancel_my_booking_still_cancels_it_all(conn, shop):
    customer = "254722000003"
    _booked(conn, shop, customer)
    result = ask(conn, shop, "cancel my booking please", customer)
    assert result.intent == "order_cancel" and result.order["status"] == "cancelled", result.reply
