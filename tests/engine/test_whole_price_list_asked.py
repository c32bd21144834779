"""The whole price list asked in everyday words (customer test s25: "mko na nini zote? bei" and "nataka kuona bei
zenu zote" at a shoe shop were "we don't sell that"). The sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

SHOES = ("name,description,price,currency,is_available,metadata\n"
         "Bata School Shoes,Black school shoes,1600,KES,true,{}\n"
         "Canvas Sneakers,White canvas,1200,KES,true,{}\n")


@pytest.mark.parametrize(("text", "customer"), [("mko na vitu gani zote? bei", "254719910001"),
                                                ("nataka kuona bei zenu zote", "254719910002"),
                                                ("show me all your prices", "254719910003"),
                                                # owner test s26: "not sold"
                                                ("what else do you sell? everything pls", "254719910004")])
def test_all_the_prices_asked_get_the_list(conn, text, customer):
    shop = make_shop(conn, catalogue=SHOES)
    reply = ask(conn, shop, text, customer)
    assert reply.intent == "price_list" and "1,600" in reply.reply and "1,200" in reply.reply, reply.reply
