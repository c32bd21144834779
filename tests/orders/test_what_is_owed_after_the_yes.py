""""nitalipa ngapi?" after the yes was "we don't sell that"; "how much do I pay?" one product's price (owner test s31):
what is left to pay on the order, and where. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask
from tests.orders.conftest import till_shop

CATALOGUE = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Maize Flour 2kg,Maize flour (unga),200,KES,true,{},false,
Tea Leaves 250g,Tea leaves (chai),160,KES,true,{},false,
"""


@pytest.mark.parametrize(("asked", "customer"), [("nitalipa ngapi?", "254722001601"),
                                                 ("sawa, nitalipa ngapi jumla?", "254722001602"),
                                                 ("how much do I pay?", "254722001603")])
def test_what_is_owed_after_the_yes_is_the_order_s_total(conn, asked, customer):
    shop = till_shop(conn, CATALOGUE)
    ask(conn, shop, "nataka unga mbili na chai moja", customer)
    ask(conn, shop, "ndio", customer)
    owed = ask(conn, shop, asked, customer)
    assert "KES 560" in owed.reply and not owed.escalated, owed.reply


def test_is_my_phone_ready_asks_the_owner_about_that_order(conn):
    """"Hi, is my phone ready?" after a repair booking was a detail of the screen protector (owner test s31)."""
    shop = till_shop(conn, CATALOGUE + "Screen Repair,Replacing a cracked screen,3000,KES,true,{},true,60\n")
    customer = "254722001611"
    ask(conn, shop, "nataka kubook screen repair kesho saa nne", customer)
    number = ask(conn, shop, "ndio", customer).order["number"]
    asked = ask(conn, shop, "Hi, is my phone ready?", customer)
    assert f"#{number}" in asked.reply and "owner" in asked.reply, asked.reply


def test_what_is_owed_before_the_yes_is_the_cart_s_total(conn):
    """"nadaiwa ngapi" with an open cart went to the owner as a question about one product, at night (owner test
    s31)."""
    shop = till_shop(conn, CATALOGUE)
    ask(conn, shop, "nataka unga mbili na chai moja", "254722001621")
    owed = ask(conn, shop, "nadaiwa ngapi", "254722001621")
    assert "KES 560" in owed.reply and not owed.escalated, owed.reply


def test_what_is_owed_on_two_orders_is_both(conn):
    """"nadaiwa ngapi?" with two unpaid orders gave the newest only (owner test s31b)."""
    shop = till_shop(conn, CATALOGUE)
    customer = "254722001631"
    ask(conn, shop, "nataka unga mbili", customer)
    ask(conn, shop, "ndio", customer)
    ask(conn, shop, "nataka chai moja", customer)
    ask(conn, shop, "ndio", customer)
    owed = ask(conn, shop, "nadaiwa ngapi?", customer)
    assert "KES 400" in owed.reply and "KES 160" in owed.reply and "KES 560" in owed.reply, owed.reply
