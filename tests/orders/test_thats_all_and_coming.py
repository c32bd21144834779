"""Short words to an open cart: "ni hayo tu" (that's all) and "nakuja" (I'm coming) were "we don't sell that". Now
"that's all" shows the order to say yes to, and "nakuja" notes the customer collects it. Catalogue and sentences
are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Mumias Sugar 1kg,White sugar,175,KES,true,{}
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


@pytest.mark.parametrize(("said", "customer"), [("ni hayo tu", "254723000001"), ("that's all", "254723000002"),
                                                ("hakuna kingine", "254723000003")])
def test_thats_all_shows_the_order_to_say_yes_to(conn, shop, said, customer):
    ask(conn, shop, "nipe sukari mbili", customer)
    result = ask(conn, shop, said, customer)
    assert result.intent == "order_summary" and "350" in result.reply, result.reply
    assert "hatuuzi" not in result.reply.lower() and "don't sell" not in result.reply, result.reply


def test_im_coming_is_collecting_it(conn, shop):
    customer = "254723000004"
    ask(conn, shop, "nipe sukari mbili", customer)
    result = ask(conn, shop, "nakuja", customer)
    assert result.order["fulfilment"] == "pickup" and "hatuuzi" not in result.reply.lower(), result.reply


def test_when_they_come_to_collect_is_kept_for_the_owner(conn, shop):
    result = ask(conn, shop, "nipe sukari moja, nitakuja kuchukua jumatatu saa nne", "254723000005")
    assert result.order["fulfilment"] == "pickup", result.reply
    assert "jumatatu saa nne" in (result.order["customer_note"] or ""), result.order
