""""nataka af1 size 40" asks for one pair in that size (it was the price again, and the customer had to ask a second
time); a question about whether that size is there stays a question. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Puma Suede Classic,"Suede sneakers, sizes 39 to 45",3900,KES,true,"{""sizes"": ""39-45""}"
Pointed Court Heels,"Court shoes for ladies in nude and black",2600,KES,true,"{""sizes"": ""36-41""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


@pytest.mark.parametrize(("text", "variant", "customer"), [
    ("nataka puma suede size 41", "size 41", "254713600001"),
    ("I want the puma suede in size 44", "size 44", "254713600002"),
    ("nataka court heels nyeusi", "black", "254713600003"),
])
def test_a_product_wanted_in_a_size_or_colour_is_one_of_it(conn, shop, text, variant, customer):
    result = ask(conn, shop, text, customer)
    assert result.order is not None, result.reply
    assert [(i["variant"], i["quantity"]) for i in result.order["items"]] == [(variant, 1)], result.reply


@pytest.mark.parametrize(("text", "customer"), [
    ("nataka kujua kama puma suede size 41 iko", "254713600011"),
    ("I want to check if you have the puma suede in size 44", "254713600012"),
    ("nataka puma suede size 41?", "254713600013"),
])
def test_asking_whether_that_size_is_there_is_no_order(conn, shop, text, customer):
    result = ask(conn, shop, text, customer)
    assert result.order is None or not result.order["items"], result.reply
    assert "Puma Suede Classic" in result.reply, result.reply
