"""Colours in an order: each colour said is its own line with its own count, for the colours shops list (nude,
navy, maroon, gold ...), and a count said before "one of each colour" is their total, never one more. Catalogue and
sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Pointed Court Heels,"Court shoes for ladies in nude, maroon and black",2600,KES,true,"{""sizes"": ""36-41""}"
Slim Fit Shirt,"Cotton office shirt, navy or white",1500,KES,true,{}
Tecno Camon 30,"Android phone 256GB",27000,KES,true,{}
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def _lines(result) -> dict[str | None, int]:
    return {i["variant"]: i["quantity"] for i in (result.order or {}).get("items", [])}


@pytest.mark.parametrize(("text", "lines", "customer"), [
    ("court heels nitachukua 2, moja nude moja maroon", {"nude": 1, "maroon": 1}, "254713500001"),
    ("slim fit shirt 3, two navy one white", {"navy": 2, "white": 1}, "254713500002"),
    ("nataka camon 30 mbili, moja gold moja silver", {"gold": 1, "silver": 1}, "254713500003"),
    ("court heels mbili nude moja black", {"nude": 2, "black": 1}, "254713500004"),
])
def test_each_colour_is_its_own_line_and_a_total_before_is_no_extra(conn, shop, text, lines, customer):
    result = ask(conn, shop, text, customer)
    assert _lines(result) == lines, result.reply
    assert "Hatuna" not in result.reply and "don't have" not in result.reply, result.reply


def test_the_colour_asked_of_a_phone_without_colours_is_on_the_line_ordered_next(conn, shop):
    customer = "254713500011"
    asked = ask(conn, shop, "tecno camon 30 iko gold?", customer)
    assert "27,000" in asked.reply and "hatuna" not in asked.reply.lower(), asked.reply
    result = ask(conn, shop, "sawa nipe moja", customer)
    assert _lines(result) == {"gold": 1}, result.reply


def test_a_colour_the_bot_said_is_not_there_is_not_put_on_the_line(conn, shop):
    customer = "254713500012"
    ask(conn, shop, "slim fit shirt iko red?", customer)
    result = ask(conn, shop, "sawa nipe moja", customer)
    assert _lines(result) == {None: 1}, result.reply
