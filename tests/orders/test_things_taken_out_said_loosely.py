"""A thing taken out of the cart, said the way people say it ("aah hapana, remove the puma", "Actually I've changed
my mind about the sandals", "wacha sandals", "sandals hapana"): the line stayed, the customer said yes and was billed
for it ("wacha" and "hapana" were thanks, the others a product question). Now that line comes out and the rest is
shown to say yes to. A size said with "hapana" is no line taken out. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop, order_lines

CATALOGUE = """name,description,price,currency,is_available,metadata
Puma Suede Classic,Suede sneakers,4100,KES,true,"{""category"": ""shoes"", ""sizes"": ""38-45""}"
Leather Sandals,Handmade leather sandals,900,KES,true,"{""category"": ""shoes""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)



@pytest.mark.parametrize(("said", "left", "customer"), [
    ("aah hapana, remove the puma", {("Leather Sandals", None): 1}, "254719000001"),
    ("Actually I've changed my mind about the sandals", {("Puma Suede Classic", "size 42"): 1}, "254719000002"),
    ("wacha sandals", {("Puma Suede Classic", "size 42"): 1}, "254719000003"),
    ("sandals hapana", {("Puma Suede Classic", "size 42"): 1}, "254719000004"),
])
def test_the_line_said_comes_out(conn, shop, said, left, customer):
    ask(conn, shop, "nataka puma suede size 42 na leather sandals", customer)
    result = ask(conn, shop, said, customer)
    assert order_lines(result) == left, result.reply


def test_a_size_with_hapana_takes_nothing_out(conn, shop):
    customer = "254719000005"
    ask(conn, shop, "nataka puma suede size 42 na leather sandals", customer)
    ask(conn, shop, "size 42 hapana", customer)
    result = ask(conn, shop, "total ni ngapi?", customer)
    assert {name for name, _ in order_lines(result)} == {"Puma Suede Classic", "Leather Sandals"}, result.reply
