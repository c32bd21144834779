"""How many, read right: a list written without commas ("unga 1 sukari 1 mafuta 1 maziwa 2 mayai tray 1" was sugar
only), the pack said beside the count ("maziwa nusu lita tano": five of the half-litre, was one), a child's age
("mtoto wa miaka 3": never 3 pairs, and a question stays a question), a product called "Open ..." (no opening
hours), someone coming to collect ("mtu atakuja kuchukua saa kumi": no thing not sold). Catalogue and sentences are
this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Pembe Maize Flour 2kg,Maize meal for ugali (unga),200,KES,true,{}
Mumias Sugar 1kg,White sugar (sukari),190,KES,true,{}
Golden Fry Oil 1L,Cooking oil (mafuta),380,KES,true,{}
Tuzo Milk 500ml,Fresh milk (maziwa),60,KES,true,{}
Kienyeji Eggs Tray,Tray of 30 eggs (mayai),480,KES,true,{}
Kids Sneakers,Canvas sneakers for kids,1300,KES,true,"{""sizes"": ""25-34""}"
Open Slides,Open rubber slides,700,KES,true,"{""sizes"": ""37-44""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def _lines(result) -> dict[str, int]:
    return {i["name"]: i["quantity"] for i in (result.order or {}).get("items", [])}


def test_a_list_without_commas_is_each_thing_with_its_count(conn, shop):
    result = ask(conn, shop, "nataka unga 1 sukari 1 mafuta 1 maziwa 2 mayai tray 1", "254714100001")
    assert _lines(result) == {"Pembe Maize Flour 2kg": 1, "Mumias Sugar 1kg": 1, "Golden Fry Oil 1L": 1,
                              "Tuzo Milk 500ml": 2, "Kienyeji Eggs Tray": 1}, result.reply
    assert "KES 1,370" in result.reply, result.reply


@pytest.mark.parametrize(("text", "lines", "customer"), [
    ("nipe maziwa nusu lita tano", {"Tuzo Milk 500ml": 5}, "254714100002"),
    ("naomba mayai trei mbili na mafuta ya lita moja mbili", {"Kienyeji Eggs Tray": 2, "Golden Fry Oil 1L": 2},
     "254714100003"),
])
def test_the_pack_said_beside_the_count_is_which_pack(conn, shop, text, lines, customer):
    result = ask(conn, shop, text, customer)
    assert _lines(result) == lines, result.reply


def test_a_childs_age_is_no_count(conn, shop):
    result = ask(conn, shop, "kids sneakers za mtoto wa miaka 3 mnazo", "254714100004")
    assert not result.order or not result.order["items"], result.reply
    assert "Kids Sneakers" in result.reply and "3 ×" not in result.reply, result.reply


def test_a_product_called_open_is_ordered_not_opening_hours(conn, shop):
    result = ask(conn, shop, "nataka open moja size 41", "254714100005")
    assert _lines(result) == {"Open Slides": 1}, result.reply


def test_someone_coming_to_collect_is_no_thing_not_sold(conn, shop):
    result = ask(conn, shop, "sawa nataka sukari moja, mtu atakuja kuchukua saa kumi jioni", "254714100006")
    assert _lines(result) == {"Mumias Sugar 1kg": 1} and "Hatuna" not in result.reply, result.reply
