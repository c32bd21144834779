"""Delivery said the way people say it: "niko kwa stage ya Shell niletee" (the place, then the bring-to word; "stage
ya Total" was read as asking the order's total), "niletee kesho asubuhi" (delivery wanted, the place not said: the
customer is asked where; it stayed a pickup). Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Mumias Sugar 2kg,White sugar (sukari),380,KES,true,{}
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


@pytest.mark.parametrize(("said", "place", "customer"), [
    ("niko kwa stage ya Total niletee", "stage ya Total", "254714400001"),
    ("niko pale Kangemi junction, niletee", "Kangemi junction", "254714400002"),
])
def test_where_i_am_then_bring_it_is_the_delivery_place(conn, shop, said, place, customer):
    ask(conn, shop, "nipe sukari 2", customer)
    result = ask(conn, shop, said, customer)
    assert result.order["fulfilment"] == "delivery" and result.order["delivery_location"] == place, result.reply
    assert place in result.reply, result.reply


def test_bring_it_with_only_a_time_asks_where(conn, shop):
    customer = "254714400003"
    ask(conn, shop, "nipe sukari 2", customer)
    result = ask(conn, shop, "niletee kesho asubuhi", customer)
    assert result.order["fulfilment"] == "delivery" and result.order["delivery_location"] is None, result.reply
    assert "niambie mahali" in result.reply or "wapi" in result.reply, result.reply


def test_the_orders_total_is_still_asked_with_total(conn, shop):
    customer = "254714400004"
    ask(conn, shop, "nipe sukari 2", customer)
    result = ask(conn, shop, "total ni ngapi", customer)
    assert "KES 760" in result.reply and result.order["fulfilment"] == "pickup", result.reply
