"""After the yes: "cancel the delivery, I'll pick" cancelled the whole confirmed order (KES 14,000); now the order is
collected at the shop instead and stays confirmed. "nitakuja na cash saa tano" (I'll come with cash at 11) drafted a
second iPhone; now it is about the confirmed order, and no second order is opened. Catalogue and sentences are this
file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask
from tests.orders.conftest import till_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Oppo A18 Phone,Smartphone 128GB,15500,KES,true,"{""category"": ""phones""}"
"""


@pytest.fixture
def shop(conn):
    return till_shop(conn, CATALOGUE)


def _orders(conn, shop) -> list[dict]:
    return conn.execute("SELECT status, fulfilment, delivery_location FROM orders WHERE business_id = %s",
                        (shop["id"],)).fetchall()


@pytest.mark.parametrize(("drop", "customer"), [("cancel the delivery, I'll pick", "254719600001"),
                                                ("sitaki delivery, nitakuja kuchukua", "254719600002")])
def test_cancelling_the_delivery_keeps_the_order_for_pickup(conn, shop, drop, customer):
    ask(conn, shop, "nataka oppo a18, niletee Westlands", customer)
    placed = ask(conn, shop, "ndio", customer)
    assert placed.order["status"] == "awaiting_payment", placed.reply
    result = ask(conn, shop, drop, customer)
    assert _orders(conn, shop) == [{"status": "awaiting_payment", "fulfilment": "pickup", "delivery_location": None}]
    assert "15,500" in result.reply, result.reply


def test_coming_with_the_money_after_the_yes_opens_no_second_order(conn, shop):
    customer = "254719600003"
    ask(conn, shop, "nipe oppo a18 moja", customer)
    placed = ask(conn, shop, "ndio", customer)
    assert placed.order["status"] == "awaiting_payment", placed.reply
    result = ask(conn, shop, "nitakuja na cash saa tano", customer)
    assert [o["status"] for o in _orders(conn, shop)] == ["awaiting_payment"], result.reply
    assert "15,500" in result.reply, result.reply
