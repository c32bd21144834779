""""We don't have “…” here" about words that name no thing ("Hatuna “tunataka”", "Hatuna “nimechelewa kidogo”")
was said 226 times in a customer test. It is said only of words for things, of a capitalised name (a brand) or of
what retrieval turned down on a hard fact. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Mumias Sugar 1kg,White sugar,175,KES,true,{}
Puma Suede,Suede sneakers,4100,KES,true,"{""sizes"": ""38-45""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


@pytest.mark.parametrize(("text", "customer"), [("nipe sukari mbili, nimechelewa kidogo", "254724000001"),
                                                ("nipe sukari mbili, tunangojea wageni", "254724000002")])
def test_chat_beside_an_order_gets_no_we_dont_have(conn, shop, text, customer):
    result = ask(conn, shop, text, customer)
    assert "Hatuna" not in result.reply and result.order["items"][0]["quantity"] == 2, result.reply


def test_who_wears_them_gets_no_we_dont_have(conn, shop):
    customer = "254724000005"
    ask(conn, shop, "puma suede ni ngapi", customer)
    result = ask(conn, shop, "nipe mbili, wote wanavaa 42", customer)
    assert "Hatuna" not in result.reply and result.order["items"][0]["quantity"] == 2, result.reply


@pytest.mark.parametrize(("text", "said", "customer"), [("nipe sukari na Huawei", "huawei", "254724000003"),
                                                        ("nipe sukari na mkate", "mkate", "254724000004")])
def test_a_thing_the_shop_lacks_is_still_said(conn, shop, text, said, customer):
    result = ask(conn, shop, text, customer)
    assert "Hatuna" in result.reply and said in result.reply.lower(), result.reply
