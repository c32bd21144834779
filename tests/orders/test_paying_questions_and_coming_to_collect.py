"""How to pay and coming to collect, asked with an order open. "nilipe wapi" (where do I pay?) was a complaint that
muted the chat, "nikupe ngapi" (how much do I give you?) a detail handed to the owner; now they get the way to pay
and the order's total. "niko njiani nakuja", "niko town nitapita", "niko na order?" and "I'll send someone to pick,
his name is Otieno" turned the pickup into a delivery to "njiani nakuja" or "pick, his name is Otieno"; now the
order stays a pickup. A real place ("niko Kangemi") still makes it a delivery. Catalogue and sentences are this
file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask
from tests.orders.conftest import till_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Mumias Sugar 1kg,White sugar,175,KES,true,"{""category"": ""groceries""}"
"""


@pytest.fixture
def shop(conn):
    return till_shop(conn, CATALOGUE, till="5765432")


@pytest.mark.parametrize(("question", "customer"), [("nilipe wapi", "254719200001"), ("nikulipe aje?", "254719200002")])
def test_where_to_pay_gets_the_till_and_the_order(conn, shop, question, customer):
    ask(conn, shop, "nipe sukari 2", customer)
    result = ask(conn, shop, question, customer)
    assert not result.escalated, result.reply
    assert "5765432" in result.reply and "350" in result.reply, result.reply


def test_how_much_do_i_give_you_is_the_total(conn, shop):
    customer = "254719200003"
    ask(conn, shop, "nipe sukari 2", customer)
    result = ask(conn, shop, "nikupe ngapi", customer)
    assert not result.escalated, result.reply
    assert "350" in result.reply, result.reply


@pytest.mark.parametrize(("said", "customer"), [
    ("niko njiani nakuja", "254719200004"),
    ("niko town nitapita", "254719200005"),
    ("niko na order?", "254719200006"),
    ("I'll send someone to pick, his name is Otieno", "254719200007"),
])
def test_coming_to_collect_is_no_delivery_address(conn, shop, said, customer):
    ask(conn, shop, "nipe sukari 2", customer)
    result = ask(conn, shop, said, customer)
    order = result.order or ask(conn, shop, "total ni ngapi?", customer).order
    assert order["fulfilment"] != "delivery" and not order["delivery_location"], order


def test_a_real_place_is_still_a_delivery(conn, shop):
    customer = "254719200008"
    ask(conn, shop, "nipe sukari 2", customer)
    result = ask(conn, shop, "niko Kangemi", customer)
    assert result.order["fulfilment"] == "delivery" and result.order["delivery_location"] == "Kangemi", result.order
