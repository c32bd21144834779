"""Words a customer writes together that the catalogue writes apart ("airforce", "screenprotector") find the
product; they were answered "we don't sell that"."""

from __future__ import annotations

import psycopg
import pytest

from mtaabot.glued_words import split_glued
from tests.engine.conftest import ask, make_shop

CATALOGUE = ("name,description,price,currency,is_available,metadata\n"
             "Nike Air Force 1 White,Classic white sneakers (raba),3500,KES,true,\n"
             "Puma Suede Classic,Suede sneakers in black,3000,KES,true,\n"
             "Tempered Glass Screen Protector,Glass protector for the phone screen (kioo),300,KES,true,\n"
             "Kiwi Shoe Polish Black,Shoe polish (rangi ya viatu),150,KES,true,\n")


@pytest.fixture
def shop(conn: psycopg.Connection):
    return make_shop(conn, catalogue=CATALOGUE, tone="rafiki")


@pytest.mark.parametrize(("text", "name", "price"), [
    ("mna airforce?", "Nike Air Force 1 White", "KES 3,500"),
    ("Niaje bro, uko na airforce?", "Nike Air Force 1 White", "KES 3,500"),  # 'uko na': do you have (singular)
    ("Do you have airforce1 size 42?", "Nike Air Force 1 White", "KES 3,500"),
    ("screenprotector ni ngapi?", "Tempered Glass Screen Protector", "KES 300"),
    ("Shoepolish iko?", "Kiwi Shoe Polish Black", "KES 150"),
])
def test_a_name_written_together_finds_the_product(conn, shop, text, name, price):
    result = ask(conn, shop, text)
    assert result.products and result.products[0]["name"] == name and price in result.reply


def test_a_joined_word_no_product_has_is_still_not_sold(conn, shop):
    result = ask(conn, shop, "mna smartwatch?")
    assert result.intent == "not_sold" and not result.products


def test_only_neighbouring_words_of_one_name_are_split():
    names = ["Nike Air Force 1 White", "Kiwi Shoe Polish Black"]
    assert split_glued("airforce na shoepolish", names) == "air force na shoe polish"
    assert split_glued("whitekiwi forcewhite", names) == "whitekiwi forcewhite"  # not neighbours in one name
