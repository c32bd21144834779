"""A count said first and then which ones, one by one ("nipe 2, moja ya Samsung moja ya iphone", "nataka simu 2,
moja samsung moja iphone"): each one said is one line, never the count on top of them. A bare digit count is no
model number ("nataka simu 2" drafted two of the one phone whose text says "simu"), and a kind asked for lists
every product of it. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop, order_lines

CATALOGUE = """name,description,price,currency,is_available,metadata
Itel A70 Phone,Smartphone (simu) 64GB dual sim,9800,KES,true,"{""category"": ""phones""}"
Oppo A18 Phone,Smartphone 128GB,15500,KES,true,"{""category"": ""phones""}"
Infinix Hot 40 Phone,Smartphone 256GB,17900,KES,true,"{""category"": ""phones""}"
Nokia 110 Phone,Feature phone with radio,2600,KES,true,"{""category"": ""phones""}"
Redmi 13C Phone,Smartphone 128GB,13200,KES,true,"{""category"": ""phones""}"
Oraimo Charger 18W,USB-C charger (chaja) with cable,950,KES,true,"{""category"": ""accessories""}"
Silicone Back Cover,Back cover (case) for popular models,450,KES,true,"{""category"": ""accessories""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)



def test_a_count_then_one_of_each_phone_orders_one_of_each(conn, shop):
    result = ask(conn, shop, "nataka simu 2, moja oppo moja itel", "254716000001")
    assert order_lines(result) == {("Oppo A18 Phone", None): 1, ("Itel A70 Phone", None): 1}, result.reply
    assert "25,300" in result.reply, result.reply


def test_two_chargers_one_for_each_phone(conn, shop):
    customer = "254716000002"
    ask(conn, shop, "bei ya charger", customer)
    result = ask(conn, shop, "nipe 2, moja ya oppo moja ya itel", customer)
    assert order_lines(result) == {("Oraimo Charger 18W", "for Oppo A18 Phone"): 1,
                              ("Oraimo Charger 18W", "for Itel A70 Phone"): 1}, result.reply
    assert "1,900" in result.reply, result.reply


def test_the_count_after_a_phone_shown_is_the_total_of_the_ones_said(conn, shop):
    customer = "254716000003"
    ask(conn, shop, "oppo a18 iko?", customer)
    result = ask(conn, shop, "nipe 2, moja ya oppo moja ya itel", customer)
    assert order_lines(result) == {("Oppo A18 Phone", None): 1, ("Itel A70 Phone", None): 1}, result.reply


@pytest.mark.parametrize(("text", "customer"), [("nataka simu 2", "254716000004"), ("I want 2 phones", "254716000005")])
def test_a_digit_count_of_a_kind_asks_which_and_lists_them_all(conn, shop, text, customer):
    result = ask(conn, shop, text, customer)
    assert not order_lines(result), result.reply
    for name in ("Itel A70 Phone", "Oppo A18 Phone", "Infinix Hot 40 Phone", "Nokia 110 Phone", "Redmi 13C Phone"):
        assert name in result.reply, result.reply


@pytest.mark.parametrize(("text", "lines", "customer"), [
    ("nipe cover 2 na charger 1", {("Silicone Back Cover", None): 2, ("Oraimo Charger 18W", None): 1}, "254716000006"),
    ("nipe infinix hot 40 moja", {("Infinix Hot 40 Phone", None): 1}, "254716000007"),
])
def test_counts_and_model_numbers_still_read_as_before(conn, shop, text, lines, customer):
    result = ask(conn, shop, text, customer)
    assert order_lines(result) == lines, result.reply
