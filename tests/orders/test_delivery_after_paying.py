""""Naomba mniletee Kawangware 46" after the order was paid drafted a new order of one more sugar (owner test s30):
the paid order goes there, the owner is asked to arrange it and its cost, and nothing new is drafted."""

from __future__ import annotations

from tests.engine.conftest import ask
from tests.owners.test_owner_order_money import (
    CUSTOMER,
    OWNER,
    confirmed,
    last_notification,
    order_of,
    owned_shop,
)


def test_a_place_said_after_paying_is_where_the_paid_order_goes(conn, monkeypatch):
    shop = owned_shop(conn, monkeypatch)
    n = confirmed(conn, shop, "nataka sukari mbili")
    ask(conn, shop, f"THIBITISHA {n}", customer=OWNER)
    reply = ask(conn, shop, "naomba mniletee Kawangware 46 tafadhali", customer=CUSTOMER)
    order = order_of(conn, shop)
    assert order["number"] == n and order["status"] == "paid", reply.reply  # no new order
    assert order["fulfilment"] == "delivery" and "Kawangware 46" in order["delivery_location"]
    assert f"#{n}" in reply.reply and "Kawangware 46" in reply.reply, reply.reply
    alert = last_notification(conn, shop)
    assert f"#{n}" in alert and "Kawangware 46" in alert, alert
    more = ask(conn, shop, "nataka pia unga moja", customer=CUSTOMER)  # more to buy is still a new order
    assert more.order is not None and more.order["number"] != n, more.reply
