"""Changes to the cart said as customers say them (owner test s30): a removal with a remark after it ("toa ile ya 42,
nitabaki na moja tu" was "… is not in your order"), and a removal and a count change in one message ("ondoa cleaning
kit na superstar ziwe moja" showed the cart unchanged). Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask
from tests.orders.conftest import till_shop

CATALOGUE = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Canvas Sneakers,Canvas sneakers,2000,KES,true,"{""sizes"": ""38-44""}",false,
Shoe Brush,Brush for cleaning shoes,300,KES,true,{},false,
"""


@pytest.fixture
def shop(conn):
    return till_shop(conn, CATALOGUE)


def _items(result) -> dict[tuple[str, str | None], float]:
    return {(i["name"], i.get("variant")): i["quantity"] for i in result.order["items"]}


def test_a_removal_with_a_remark_after_it(conn, shop):
    customer = "254722001101"
    ask(conn, shop, "nataka canvas sneakers size 42 na size 43", customer)
    result = ask(conn, shop, "toa ile ya 42, nitabaki na moja tu", customer)
    assert list(_items(result).values()) == [1] and result.order["total"] == 2000, result.reply
    assert "43" in result.reply and "haipo" not in result.reply, result.reply


@pytest.mark.parametrize(("said", "customer"), [("ondoa shoe brush na sneakers ziwe moja", "254722001102"),
                                                ("remove the shoe brush and make the sneakers 1", "254722001103")])
def test_a_removal_and_a_count_change_in_one_message(conn, shop, said, customer):
    ask(conn, shop, "nataka canvas sneakers size 40 mbili na shoe brush", customer)
    result = ask(conn, shop, said, customer)
    names = {name for name, _ in _items(result)}
    assert names == {"Canvas Sneakers"} and result.order["total"] == 2000, result.reply


@pytest.mark.parametrize(("said", "customer"), [("nimebadilisha mind, toa shoe brush", "254722001104"),
                                                ("I have changed my mind, remove the shoe brush", "254722001105")])
def test_a_removal_after_changing_one_s_mind(conn, shop, said, customer):
    """"nimebadilisha mind, toa superstar" was the Superstar's price, and it stayed in the cart (owner test s31)."""
    ask(conn, shop, "nataka canvas sneakers size 40 na shoe brush", customer)
    result = ask(conn, shop, said, customer)
    assert {name for name, _ in _items(result)} == {"Canvas Sneakers"}, result.reply


@pytest.mark.parametrize(("said", "customer"), [("and remove the shoe brush", "254722001106"),
                                                ("nataka canvas sneakers ziwe mbili, na toa shoe brush", "254722001107")])
def test_a_removal_after_and_or_after_another_change(conn, shop, said, customer):
    """"and remove the cover" added a second cover (KES 15,600 for 14,600), and "ongeza sukari iwe tatu, na toa unga"
    kept the flour (KES 750 for 540; owner test s31b)."""
    ask(conn, shop, "nataka canvas sneakers size 40 na shoe brush", customer)
    result = ask(conn, shop, said, customer)
    assert {name for name, _ in _items(result)} == {"Canvas Sneakers"}, result.reply


def test_no_thing_said_with_no_cart_orders_nothing(conn, shop):
    """"no charger please" drafted a charger (owner test s31b)."""
    result = ask(conn, shop, "no shoe brush please", "254722001108")
    assert result.order is None, result.reply


def test_an_order_after_a_no_is_still_an_order(conn, shop):
    """"hapana, nipe ..." is an order: only "no X please" with nothing asked for orders nothing (mend, s31b)."""
    result = ask(conn, shop, "hapana, nipe shoe brush mbili", "254722001109")
    assert result.order is not None and _items(result) == {("Shoe Brush", None): 2}, result.reply
