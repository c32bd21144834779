""""When will it be back?" about an item out of stock is a question for the owner (told once), never "we don't sell
that". Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, last_alert, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
JBL Go 3 Speaker,Portable bluetooth speaker,4500,KES,false,{}
Hikvision Camera,Indoor CCTV camera,3800,KES,true,{}
"""


@pytest.mark.parametrize(("asked", "when", "customer"), [
    ("jbl speaker iko?", "itarudi lini?", "254718900001"),
    ("do you have the jbl go 3", "when will it be back in stock?", "254718900002"),
])
def test_when_an_item_out_of_stock_is_back_goes_to_the_owner(conn, asked, when, customer):
    shop = make_shop(conn, catalogue=CATALOGUE)
    ask(conn, shop, asked, customer)
    reply = ask(conn, shop, when, customer)
    assert "JBL Go 3 Speaker" in reply.reply and reply.intent == "product_question", reply.reply
    assert "hatuuzi" not in reply.reply.lower() and "don't sell" not in reply.reply, reply.reply
    assert last_alert(conn, shop) is not None and "JBL Go 3 Speaker" in last_alert(conn, shop)


def test_when_asked_about_an_item_in_stock_is_no_restock_answer(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254718900003"
    ask(conn, shop, "hikvision camera bei?", customer)
    reply = ask(conn, shop, "itarudi lini?", customer)
    assert reply.intent != "product_question" or "Hikvision" not in reply.reply, reply.reply
