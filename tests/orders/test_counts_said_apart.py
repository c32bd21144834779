"""How many, said apart from the thing: "nipe maziwa, mbili" was one packet (the count alone was dropped), and
"ok the 1 litre then, three of them" was four bottles (one litre and three more). The count said after the thing is
its count. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Golden Fry Oil 1L,Vegetable cooking oil 1 litre,420,KES,true,"{""category"": ""groceries""}"
Golden Fry Oil 5L,Vegetable cooking oil 5 litres,1950,KES,true,"{""category"": ""groceries""}"
Tuzo Milk 500ml,Fresh milk packet,60,KES,true,"{""category"": ""groceries""}"
Mumias Sugar 1kg,White sugar,175,KES,true,"{""category"": ""groceries""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def _lines(result) -> dict[str, int]:
    return {i["name"]: i["quantity"] for i in (result.order or {}).get("items", [])}


@pytest.mark.parametrize(("text", "lines", "customer"), [
    ("nipe maziwa, mbili", {"Tuzo Milk 500ml": 2}, "254719000001"),
    ("sukari tafadhali, tatu", {"Mumias Sugar 1kg": 3}, "254719000002"),
    ("nipe maziwa, mbili, na sukari moja", {"Tuzo Milk 500ml": 2, "Mumias Sugar 1kg": 1}, "254719000003"),
])
def test_a_count_said_after_the_thing_is_its_count(conn, shop, text, lines, customer):
    result = ask(conn, shop, text, customer)
    assert _lines(result) == lines, result.reply


def test_which_pack_then_how_many_of_it(conn, shop):
    customer = "254719000004"
    ask(conn, shop, "how much is cooking oil?", customer)
    result = ask(conn, shop, "ok the 1 litre then, three of them", customer)
    assert _lines(result) == {"Golden Fry Oil 1L": 3}, result.reply
    assert "1,260" in result.reply, result.reply
