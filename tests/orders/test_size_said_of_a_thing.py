""""size ya akala ni 43" after "na akala moja" drafted 43 pairs (KES 25,800) and the order was confirmed at KES
31,800 (owner test s31): a thing's size said as "size ya X ni N" is that thing's size, never a count. Catalogue and
sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask
from tests.orders.conftest import till_shop

CATALOGUE = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Canvas Sneakers,Canvas sneakers,2000,KES,true,"{""sizes"": ""38-44""}",false,
Rubber Sandals,Rubber sandals,500,KES,true,{},false,
"""


@pytest.mark.parametrize(("said", "customer"), [("size ya sandals ni 43", "254722001401"),
                                                ("the size of the sandals is 43", "254722001402")])
def test_a_size_said_of_a_thing_in_the_cart_is_its_size(conn, said, customer):
    shop = till_shop(conn, CATALOGUE)
    ask(conn, shop, "nataka canvas sneakers size 40", customer)
    ask(conn, shop, "na rubber sandals moja", customer)
    result = ask(conn, shop, said, customer)
    quantities = {i["name"]: i["quantity"] for i in result.order["items"]}
    assert quantities == {"Canvas Sneakers": 1, "Rubber Sandals": 1}, result.reply
    assert result.order["total"] == 2500, result.reply
