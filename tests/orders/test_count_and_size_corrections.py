"""Corrections said in the next message: "hapana, 3 tu" changes how many (never a goodbye, never "we don't have
hapana"), and a bare number after a shoe asked in a size ("na 46?") is another size, never 46 pairs. Catalogue and
sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Vans Old Skool Black,Canvas skate shoes,4200,KES,true,"{""sizes"": ""36-44""}"
Rice Pishori 2kg,Pishori rice packet,420,KES,true,{}
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


@pytest.mark.parametrize(("correction", "count", "customer"), [
    ("hapana 3 tu", 3, "254713400001"),
    ("hapana, nataka 2 sio 4", 2, "254713400002"),
    ("apana nipe 6", 6, "254713400003"),
    ("no, just 1", 1, "254713400004"),
])
def test_a_no_before_a_count_changes_the_count(conn, shop, correction, count, customer):
    first = ask(conn, shop, "nataka pishori 4", customer)
    assert "4 × Rice Pishori 2kg" in first.reply, first.reply
    fixed = ask(conn, shop, correction, customer)
    assert f"{count} × Rice Pishori 2kg" in fixed.reply, fixed.reply
    assert f"KES {420 * count:,}" in fixed.reply, fixed.reply
    assert "Hatuna" not in fixed.reply and "don't have" not in fixed.reply, fixed.reply
    assert [i["quantity"] for i in fixed.order["items"]] == [count]


def test_a_bare_no_is_still_no_order_change(conn, shop):
    customer = "254713400010"
    ask(conn, shop, "nataka pishori 4", customer)
    reply = ask(conn, shop, "hapana asante", customer)
    assert reply.order is None or [i["quantity"] for i in reply.order["items"]] == [4]


@pytest.mark.parametrize(("asked", "other", "customer"), [
    ("vans size 46 mko nayo?", "na 43?", "254713400021"),
    ("Do you have the vans in size 45?", "and 42?", "254713400022"),
    ("vans saizi 35 iko", "38 je", "254713400023"),
])
def test_a_bare_number_after_a_size_is_another_size(conn, shop, asked, other, customer):
    ask(conn, shop, asked, customer)
    reply = ask(conn, shop, other, customer)
    assert "KES 4,200" in reply.reply, reply.reply
    assert "×" not in reply.reply and "180,600" not in reply.reply and "176,400" not in reply.reply, reply.reply
    order = ask(conn, shop, "nipe mbili", customer)
    size = other.split()[-1].strip("?") if other[0].isalpha() else other.split()[0]
    assert f"2 × Vans Old Skool Black (size {size})" in order.reply, order.reply


def test_a_size_outside_the_range_asked_as_a_bare_number_is_refused(conn, shop):
    customer = "254713400030"
    ask(conn, shop, "vans size 40 iko?", customer)
    reply = ask(conn, shop, "na 47?", customer)
    assert "36-44" in reply.reply and "×" not in reply.reply, reply.reply


def test_a_bare_number_after_goods_without_sizes_is_still_a_count(conn, shop):
    customer = "254713400031"
    ask(conn, shop, "pishori bei gani?", customer)
    reply = ask(conn, shop, "na 20?", customer)
    assert "20 × Rice Pishori 2kg" in reply.reply and "8,400" in reply.reply, reply.reply


@pytest.mark.parametrize(("asked", "answer", "lines", "customer"), [
    ("nataka vans tatu size 42 na 43", "mbili za 42, moja ya 43", {"size 42": 2, "size 43": 1}, "254713400031"),
    ("I want 3 pairs of vans in sizes 40 and 41", "1 in size 40, 2 in size 41", {"size 40": 1, "size 41": 2},
     "254713400032"),
    ("nipe vans mbili size 38, 39 na 40", "moja ya size 38 na moja ya size 40", {"size 38": 1, "size 40": 1}, "254713400033"),
    # the sizes said without the word "size", in one breath
    ("nataka vans tatu size 42 na 43", "mbili za 42 moja ya 43", {"size 42": 2, "size 43": 1}, "254713400034"),
    ("vans size 39 na 41, nipe 3", "1 ya 39 2 za 41", {"size 39": 1, "size 41": 2}, "254713400035"),
])
def test_a_count_over_several_sizes_asks_how_many_of_each(conn, shop, asked, answer, lines, customer):
    first = ask(conn, shop, asked, customer)
    assert first.order is None or not first.order["items"], first.reply  # never 3 of one size and 1 more
    assert "?" in first.reply and "Vans Old Skool Black" in first.reply, first.reply
    answered = ask(conn, shop, answer, customer)
    assert {i["variant"]: i["quantity"] for i in answered.order["items"]} == lines, answered.reply
    assert f"KES {4200 * sum(lines.values()):,}" in answered.reply, answered.reply


def test_a_count_in_its_own_clause_after_two_sizes_is_one_of_each_when_it_matches(conn, shop):
    reply = ask(conn, shop, "vans size 40 na 41, nipe 2", "254713400036")
    assert {i["variant"]: i["quantity"] for i in reply.order["items"]} == {"size 40": 1, "size 41": 1}, reply.reply


@pytest.mark.parametrize(("correction", "customer"), [
    ("sorry nilimaanisha size 41", "254716300081"),
    ("sorry nilimaanisha size 41, bado sijalipa", "254716300082"),  # "not paid yet": the change is in time
])
def test_i_meant_said_in_swahili_changes_the_size(conn, shop, correction, customer):
    """"sorry nilimaanisha size 41, bado sijalipa" was "hiyo hatuuzi hapa" (customer test s29)."""
    first = ask(conn, shop, "nataka vans old skool size 40", customer)
    assert first.order["items"][0]["variant"] == "size 40", first.reply
    reply = ask(conn, shop, correction, customer)
    assert [(i["quantity"], i["variant"]) for i in reply.order["items"]] == [(1, "size 41")], reply.reply
