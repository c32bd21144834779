"""A trade-in ("mnafanya trade-in ya iPhone 11?", "Do you buy old phones? I want to trade in my A10 for the Oppo")
opened an order for the phone named, or was "we don't sell that"; the terms are the owner's, so the owner is asked
and no order is drafted. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Oppo A18 Phone,Smartphone 128GB,15500,KES,true,"{""category"": ""phones""}"
iPhone 13 Refurbished,Ex-UK iPhone 13,52000,KES,true,"{""category"": ""phones""}"
"""


@pytest.mark.parametrize(("text", "customer"), [
    ("mnafanya trade-in ya iPhone 11?", "254719910001"),
    ("Do you buy old phones? I want to trade in my A10 for the Oppo", "254719910002"),
])
def test_a_trade_in_is_asked_of_the_owner(conn, text, customer):
    shop = make_shop(conn, catalogue=CATALOGUE)
    result = ask(conn, shop, text, customer)
    assert result.escalated and result.intent == "policy_question", result.reply
    assert result.order is None or not result.order.get("items"), result.reply


def test_a_question_about_the_shops_ways_tells_the_owner_which_product(conn):
    """"ni original ama ni mtumba?" after the Superstar's price reached the owner without the product (customer test,
    session 24): the owner had to open the chat to know what to answer."""
    shop = make_shop(conn, catalogue=CATALOGUE)
    ask(conn, shop, "oppo a18 bei gani", "254719910003")
    result = ask(conn, shop, "ni original ama ni mtumba?", "254719910003")
    assert result.intent == "policy_question", result.reply
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s ORDER BY created_at DESC LIMIT 1",
                         (shop["id"],)).fetchone()
    assert "Oppo A18 Phone" in alert["body"], alert


def test_another_brands_gas_cylinder_in_exchange_is_asked_of_the_owner(conn):
    """"Mnabadilisha mtungi wa Total gas kwa yenu? nataka refill ya 6kg" drafted a refill and the owner never heard;
    a refill is no use if her cylinder is not taken (customer test s30)."""
    shop = make_shop(conn)
    result = ask(conn, shop, "Mnabadilisha mtungi wa Total gas kwa yenu? nataka refill ya 6kg", "254719910004")
    assert result.escalated and result.intent == "policy_question", result.reply
    assert result.order is None or not result.order.get("items"), result.reply
