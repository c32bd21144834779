"""Counts said once for several things or sizes: "nataka mbili za kila moja" is two of each thing named (it was one
of each and "Hatuna “kila”"), "nipe mbili, moja 44 moja 43" one pair in each size (it was 3 pairs), "size 30 na 33
nataka jozi mbili" one of each size (it was one pair of 30). A "sawa nipe" after the price of two is those two,
never a goodbye, and "ebu ondoa X" takes X out. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Puma Suede Classic,Suede sneakers,4500,KES,true,"{""sizes"": ""38-45""}"
Bata Toughees,School shoes for kids,1700,KES,true,"{""sizes"": ""28-39""}"
Vitron Smart TV 32,32 inch smart TV,16000,KES,true,{}
Hisense Fridge 120L,Single door fridge,25000,KES,true,{}
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def _lines(result) -> dict[tuple[str, str | None], int]:
    return {(i["name"], i["variant"]): i["quantity"] for i in (result.order or {}).get("items", [])}


def test_a_count_for_each_thing_named_is_each_ones(conn, shop):
    result = ask(conn, shop, "bei ya vitron tv na hisense fridge, nataka mbili za kila moja", "254713900001")
    assert _lines(result) == {("Vitron Smart TV 32", None): 2, ("Hisense Fridge 120L", None): 2}, result.reply
    assert "kila" not in result.reply.lower(), result.reply


def test_a_count_for_each_of_the_things_just_listed(conn, shop):
    customer = "254713900002"
    ask(conn, shop, "vitron tv na hisense fridge ni ngapi?", customer)
    result = ask(conn, shop, "nataka two of each", customer)
    assert _lines(result) == {("Vitron Smart TV 32", None): 2, ("Hisense Fridge 120L", None): 2}, result.reply


@pytest.mark.parametrize(("first", "text", "lines", "customer"), [
    ("puma suede ziko size 44?", "poa nipe mbili, moja 44 moja 43",
     {("Puma Suede Classic", "size 43"): 1, ("Puma Suede Classic", "size 44"): 1}, "254713900011"),
    (None, "bata toughees size 30 na 33 nataka jozi mbili",
     {("Bata Toughees", "size 30"): 1, ("Bata Toughees", "size 33"): 1}, "254713900012"),
])
def test_sizes_each_with_their_count_in_a_row(conn, shop, first, text, lines, customer):
    if first:
        ask(conn, shop, first, customer)
    result = ask(conn, shop, text, customer)
    assert _lines(result) == lines, result.reply


def test_sawa_nipe_after_the_price_of_two_orders_those_two(conn, shop):
    customer = "254713900021"
    ask(conn, shop, "puma suede bei?", customer)
    ask(conn, shop, "na mbili je ni ngapi?", customer)
    result = ask(conn, shop, "sawa nipe", customer)
    assert _lines(result) == {("Puma Suede Classic", None): 2}, result.reply


def test_ebu_ondoa_takes_the_thing_out(conn, shop):
    customer = "254713900022"
    ask(conn, shop, "nataka puma suede size 42 na bata toughees size 30", customer)
    result = ask(conn, shop, "ebu ondoa bata toughees", customer)
    assert _lines(result) == {("Puma Suede Classic", "size 42"): 1}, result.reply


@pytest.mark.parametrize(("text", "count"), [
    ("nataka puma na toughees, size 38 kila moja", 1),  # the Toughees was read as a second Puma, and it had no size
    ("nataka puma na toughees, size 38 mbili kila moja", 2),  # and two of each, not one Puma and two Toughees
])
def test_a_size_for_each_shoe_named_is_each_ones(conn, shop, text, count):
    """Probes s29: "adidas na nike, size 42 kila moja" ordered one Adidas in size 42 and no Nike."""
    result = ask(conn, shop, text, f"25471390011{count}")
    assert _lines(result) == {("Puma Suede Classic", "size 38"): count, ("Bata Toughees", "size 38"): count}, \
        result.reply


def test_a_pair_bought_for_each_of_two_people_is_two_pairs(conn, shop):
    """"Ninunulie boots za football size 38 kwa mtoto wangu na size 44 kwa bwana yangu" was the price of the boots
    (no order), and "ndio nataka zote mbili, 38 na 44" after it asked which shoe (customer test s29)."""
    bought = ask(conn, shop, "Ninunulie puma suede size 38 kwa dada yangu na size 44 kwa bwana yangu", "254713900121")
    assert _lines(bought) == {("Puma Suede Classic", "size 38"): 1, ("Puma Suede Classic", "size 44"): 1}, bought.reply
    ask(conn, shop, "puma suede ziko?", "254713900122")
    both = ask(conn, shop, "ndio nataka zote mbili, 38 na 44", "254713900122")
    assert _lines(both) == {("Puma Suede Classic", "size 38"): 1, ("Puma Suede Classic", "size 44"): 1}, both.reply
