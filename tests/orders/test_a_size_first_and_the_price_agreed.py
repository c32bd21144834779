"""A size said before the shoe, then the count ("size 42 puma suede, nipe 2 pairs"), was two pairs with no size and
one more in size 42 (three pairs); the price agreed before the size ("sawa 4100, nipe size 41" after the shoe was
shown) was one pair with no size and one in size 41; "puma suede mbili 40 na 42" was two pairs in size 42. Now they
are two pairs in size 42, one pair in size 41, and one pair each in 40 and 42.
Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop, order_lines

CATALOGUE = """name,description,price,currency,is_available,metadata
Puma Suede Classic,Suede sneakers,4100,KES,true,"{""category"": ""shoes"", ""sizes"": ""38-45""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)



def test_a_size_before_the_shoe_then_the_count(conn, shop):
    result = ask(conn, shop, "size 42 puma suede, nipe 2 pairs", "254719700001")
    assert order_lines(result) == {("Puma Suede Classic", "size 42"): 2}, result.reply
    assert "8,200" in result.reply, result.reply


def test_the_price_agreed_is_no_second_pair(conn, shop):
    customer = "254719700002"
    ask(conn, shop, "bei ya puma suede", customer)
    result = ask(conn, shop, "sawa 4100, nipe size 41", customer)
    assert order_lines(result) == {("Puma Suede Classic", "size 41"): 1}, result.reply


def test_a_count_then_its_sizes_said_bare(conn, shop):
    # "AF1 mbili 40 na 42" was two pairs in size 42 (the 40 was lost)
    result = ask(conn, shop, "puma suede mbili 40 na 42", "254719700003")
    assert order_lines(result) == {("Puma Suede Classic", "size 40"): 1, ("Puma Suede Classic", "size 42"): 1}, \
        result.reply


@pytest.mark.parametrize(("text", "customer"), [("puma suede 40 na 42 nipe zote", "254719700004"),
                                                ("puma suede size 40 na 42, zote", "254719700005")])
def test_all_of_them_after_sizes_is_a_pair_of_each_size(conn, shop, text, customer):
    # "heels nude 37 na 38 nipe zote" was 38 pairs (KES 83,600)
    result = ask(conn, shop, text, customer)
    assert order_lines(result) == {("Puma Suede Classic", "size 40"): 1, ("Puma Suede Classic", "size 42"): 1}, \
        result.reply


def test_a_size_for_all_of_them_is_no_count(conn, shop):
    # "AF1 na superstar basi, 42 zote" was 42 pairs of each (KES 281,400 confirmed)
    customer = "254719700006"
    ask(conn, shop, "bei ya puma suede", customer)
    result = ask(conn, shop, "sawa nipe, 42 zote", customer)
    assert order_lines(result) == {("Puma Suede Classic", "size 42"): 1}, result.reply
