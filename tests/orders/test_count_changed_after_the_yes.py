"""A count changed after the yes ("aah nipe sabuni mbili badala ya moja", "actually make it 2 royco instead of 1")
made a second order beside the first, both open: the owner would pack three and wait for both payments (owner test
s31). The order itself changes and is said yes to again. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask
from tests.orders.conftest import till_shop

CATALOGUE = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Bar Soap 800g,Laundry bar soap (sabuni),210,KES,true,{},false,
Stock Cubes,Beef stock cubes,120,KES,true,{},false,
"""


@pytest.mark.parametrize(("first", "yes", "change", "customer"), [
    ("nipe sabuni moja", "ndio", "aah nipe sabuni mbili badala ya moja", "254722001501"),
    ("one stock cubes please", "yes", "actually make it 2 stock cubes instead of 1", "254722001502"),
])
def test_a_count_changed_after_the_yes_changes_that_order(conn, first, yes, change, customer):
    shop = till_shop(conn, CATALOGUE)
    ask(conn, shop, first, customer)
    number = ask(conn, shop, yes, customer).order["number"]
    changed = ask(conn, shop, change, customer)
    assert changed.order["number"] == number and changed.order["items"][0]["quantity"] == 2, changed.reply
    again = ask(conn, shop, yes, customer)
    assert again.order["number"] == number and again.order["status"] == "awaiting_payment", again.reply
    open_orders = conn.execute("SELECT count(*) AS n FROM orders WHERE business_id = %s AND status <> 'cancelled'",
                               (shop["id"],)).fetchone()["n"]
    assert open_orders == 1


FLOURS = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Maize Flour 2kg,Maize meal (unga),200,KES,true,{},false,
Baking Flour 2kg,Wheat flour for chapati (unga wa ngano),230,KES,true,{},false,
Cooking Oil 1L,Cooking oil (mafuta),350,KES,true,{},false,
"""


def test_a_count_said_of_a_word_naming_the_cart_s_line_changes_that_line(conn):
    """"aah unga fanya tatu" with the baking flour in the cart added three of the maize flour the search finds first
    (KES 1,730 for 1,330; owner test s31)."""
    shop = till_shop(conn, FLOURS)
    ask(conn, shop, "nataka baking flour mbili na mafuta moja", "254722001511")
    changed = ask(conn, shop, "aah unga fanya tatu", "254722001511")
    assert {i["name"]: i["quantity"] for i in changed.order["items"]} == {"Baking Flour 2kg": 3, "Cooking Oil 1L": 1}, \
        changed.reply


def test_a_thing_swapped_after_the_yes_changes_that_order(conn):
    """"badala ya akala nipe open sandals size 40" after the yes made a second order of the sandals and kept the akala
    in the first: both went to the owner as new orders (owner test s31b)."""
    shop = till_shop(conn, FLOURS)
    customer = "254722001521"
    ask(conn, shop, "nataka maize flour moja na mafuta moja", customer)
    number = ask(conn, shop, "ndio", customer).order["number"]
    swapped = ask(conn, shop, "badala ya mafuta nipe baking flour moja", customer)
    assert swapped.order["number"] == number, swapped.reply
    assert {i["name"] for i in swapped.order["items"]} == {"Maize Flour 2kg", "Baking Flour 2kg"}, swapped.reply
    count = conn.execute("SELECT count(*) AS n FROM orders WHERE business_id = %s", (shop["id"],)).fetchone()["n"]
    assert count == 1
