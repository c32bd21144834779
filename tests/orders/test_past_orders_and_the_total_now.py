"""An order said to be placed before from a number with none ("niliweka order ya power bank, iko tayari?") is
answered "no order from this number" (a new cart for a power bank was made and shown to say yes to); "ni ngapi
sasa" after a change to the cart is what it comes to now (it was the price of the last thing named). Catalogue and
sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Anker Power Bank 10000mAh,Slim power bank,3200,KES,true,{}
Tuzo Milk 500ml,Fresh milk (maziwa),60,KES,true,{}
Kienyeji Eggs Tray,Tray of 30 eggs (mayai),480,KES,true,{}
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


@pytest.mark.parametrize(("text", "customer"), [
    ("niliweka order ya power bank, iko tayari?", "254714800001"),
    ("I ordered a power bank yesterday, when will it come?", "254714800002"),
])
def test_an_order_said_to_be_placed_before_is_looked_for_never_made(conn, shop, text, customer):
    result = ask(conn, shop, text, customer)
    assert result.order is None and result.intent == "order_status", result.reply
    assert "3,200" not in result.reply, result.reply


def test_how_much_now_after_a_change_is_the_orders_total(conn, shop):
    customer = "254714800003"
    ask(conn, shop, "nipe maziwa 4 na mayai tray 1", customer)
    ask(conn, shop, "ongeza maziwa 2", customer)
    result = ask(conn, shop, "ni ngapi sasa", customer)
    assert "KES 840" in result.reply and ("Jibu" in result.reply or "Reply" in result.reply), result.reply


def test_a_complaint_about_an_order_placed_before_still_goes_to_the_owner(conn, shop):
    result = ask(conn, shop, "niliagiza power bank wiki iliyopita na haijafika, mmenikosea sana!", "254714800004")
    assert result.escalated and result.intent == "complaint", result.reply
