"""Retrieval (issue 20): a measure, size or pack word ("2kg", "500ml", "1l") never proves that a product is the
thing asked for; the thing named must. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from mtaabot.retrieval import retrieve
from tests.engine.conftest import ask, make_shop

KIOSK = """name,description,price,currency,is_available,metadata
Jembe Maize Flour 2kg,Sifted maize flour,210,KES,true,{}
Golden Cooking Oil 1l,Vegetable cooking oil,380,KES,true,{}
Fresh Milk 500ml,Pasteurised milk,65,KES,true,{}
"""


@pytest.mark.parametrize("text", [
    "do you have a 2kg bag of shoes?",
    "mna 2kg ya viatu?",
    "500ml of perfume how much?",
    "unauza rangi ya 1l?",
])
def test_a_measure_beside_a_thing_the_shop_does_not_sell_is_not_sold(conn, text):
    shop = make_shop(conn, catalogue=KIOSK)
    for learned in (False, True):
        found = retrieve(conn, shop["id"], text, learned=learned)
        assert found.not_sold and not found.hits, (learned, found.verdict, found.hits)


@pytest.mark.parametrize(("text", "expected"), [
    ("do you have 2kg maize flour?", "Jembe Maize Flour 2kg"),
    ("cooking oil 1l ngapi?", "Golden Cooking Oil 1l"),
    ("maziwa 500ml iko?", "Fresh Milk 500ml"),
])
def test_the_thing_named_with_its_measure_is_still_found(conn, text, expected):
    shop = make_shop(conn, catalogue=KIOSK)
    found = retrieve(conn, shop["id"], text)
    assert found.hits and found.hits[0].name == expected, (found.verdict, found.hits)


def test_the_customer_is_not_quoted_flour_for_shoes(conn):
    shop = make_shop(conn, catalogue=KIOSK)
    reply = ask(conn, shop, "do you have a 2kg bag of shoes?").reply
    assert "210" not in reply and "don't sell" in reply, reply
