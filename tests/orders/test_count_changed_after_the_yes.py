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
