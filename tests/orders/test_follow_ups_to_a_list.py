"""Follow-ups to the products the bot just listed: "both", "the second one size 40", "1 pair" are those products
(never "we don't sell that"), and each listed shoe says its own sizes. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Puma Suede Classic,Suede sneakers,3900,KES,true,"{""category"": ""sneakers"", ""sizes"": ""37-43""}"
Converse Chuck Taylor,Canvas sneakers,2800,KES,true,"{""category"": ""sneakers"", ""sizes"": ""35-46""}"
Leather Belt,Brown leather belt,900,KES,true,"{""category"": ""accessories""}"
"""


def _listed(conn, shop, customer):
    first = ask(conn, shop, "sneakers mnazo gani?", customer)
    names = [p["name"] for p in first.products]
    assert names[:2] and set(names[:2]) == {"Puma Suede Classic", "Converse Chuck Taylor"}, first.reply
    return names


def test_the_price_of_both_is_both_with_each_ones_sizes(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254714500001"
    _listed(conn, shop, customer)
    both = ask(conn, shop, "bei ya zote mbili?", customer)
    assert "KES 3,900" in both.reply and "KES 2,800" in both.reply, both.reply
    assert "37-43" in both.reply and "35-46" in both.reply, both.reply
    assert both.intent != "not_sold" and "hatuuzi" not in both.reply.lower(), both.reply


def test_the_second_one_in_a_size_is_ordered_in_that_size(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254714500002"
    names = _listed(conn, shop, customer)
    order = ask(conn, shop, "ya pili size 40 nipe", customer)
    assert f"1 × {names[1]} (size 40)" in order.reply, order.reply
    assert [(i["name"], i["quantity"]) for i in order.order["items"]] == [(names[1], 1)]


def test_a_count_of_pairs_after_one_shoe_is_an_order_of_it(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254714500003"
    ask(conn, shop, "converse mnazo?", customer)
    order = ask(conn, shop, "sawa 2 pairs", customer)
    assert "2 × Converse Chuck Taylor" in order.reply and "KES 5,600" in order.reply, order.reply


def test_take_them_all_orders_each_one_listed(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254714500004"
    _listed(conn, shop, customer)
    order = ask(conn, shop, "nipe zote", customer)
    assert sorted(i["name"] for i in order.order["items"]) == ["Converse Chuck Taylor", "Puma Suede Classic"]
    assert "KES 6,700" in order.reply, order.reply


def test_the_second_of_the_list_after_an_order_of_the_first_is_the_second_listed(conn):
    """"na ya pili size 42" after "ya kwanza nipe size 40": the second shoe of the list shown two turns back, not a
    second pair of the first (the summary in between shows one line)."""
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254714500021"
    names = _listed(conn, shop, customer)
    first = ask(conn, shop, "ya kwanza nipe size 40", customer)
    assert {(i["name"], i["variant"]) for i in first.order["items"]} == {(names[0], "size 40")}, first.reply
    second = ask(conn, shop, "na ya pili size 42", customer)
    assert {(i["name"], i["variant"]) for i in second.order["items"]} == {(names[0], "size 40"), (names[1], "size 42")}, \
        second.reply


@pytest.mark.parametrize(("said", "customer"), [("nipe hizo zote mbili", "254715500201"),
                                                ("nipe zote mbili", "254715500202")])
def test_both_of_the_two_shown_is_one_of_each(conn, said, customer):
    """"nipe hizo zote mbili" after two prices made two of each (tester s32b)."""
    shop = make_shop(conn)
    ask(conn, shop, "bei ya unga na sukari?", customer)
    result = ask(conn, shop, said, customer)
    assert sorted(i["quantity"] for i in result.order["items"]) == [1, 1], result.reply
