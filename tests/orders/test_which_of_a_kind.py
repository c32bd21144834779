"""An order that names only a kind of thing the shop sells several of ("nataka kununua viatu", "nipe simu mbili")
asks which one, listing them with prices, instead of drafting the first one found (School Shoes were drafted and
later confirmed by a customer who wanted heels). The answer that picks one gets the count and size said first.
The phone just talked about is the one "nipe simu moja" means. One product of its kind is still ordered at once.
Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Bata Toughees School Shoes,Black leather school shoes (viatu vya shule),1800,KES,true,"{""category"": ""shoes"", ""sizes"": ""28-40""}"
Clarks Office Shoes,Brown leather shoes for work,4200,KES,true,"{""category"": ""shoes"", ""sizes"": ""39-46""}"
Itel A70 Phone,Smartphone 64GB dual sim,9800,KES,true,"{""category"": ""phones""}"
Oppo A18 Phone,Smartphone 128GB,15500,KES,true,"{""category"": ""phones""}"
Oraimo Charger,USB-C charger 18W,950,KES,true,"{""category"": ""accessories""}"
Mumias Sugar 2kg,White sugar,390,KES,true,"{""category"": ""groceries""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def _lines(result) -> dict[tuple[str, str | None], int]:
    return {(i["name"], i["variant"]): i["quantity"] for i in (result.order or {}).get("items", [])}


def test_a_kind_of_thing_asks_which_one(conn, shop):
    result = ask(conn, shop, "Habari, nataka kununua viatu", "254715000001")
    assert result.order is None or not result.order.get("items"), result.reply
    assert "Bata Toughees School Shoes" in result.reply and "Clarks Office Shoes" in result.reply, result.reply
    assert "1,800" in result.reply and "4,200" in result.reply, result.reply


def test_the_one_chosen_gets_the_count_and_size_said_first(conn, shop):
    customer = "254715000002"
    ask(conn, shop, "nataka viatu mbili size 42", customer)
    result = ask(conn, shop, "clarks", customer)
    assert _lines(result) == {("Clarks Office Shoes", "size 42"): 2}, result.reply
    assert "8,400" in result.reply, result.reply


def test_a_count_word_does_not_hide_the_other_phones(conn, shop):
    customer = "254715000003"
    which = ask(conn, shop, "nataka simu mbili", customer)
    assert "Itel A70 Phone" in which.reply and "Oppo A18 Phone" in which.reply, which.reply
    second = min(("Itel A70 Phone", "Oppo A18 Phone"), key=which.reply.index) == "Itel A70 Phone"
    result = ask(conn, shop, "ya pili", customer)
    assert _lines(result) == {("Oppo A18 Phone" if second else "Itel A70 Phone", None): 2}, result.reply


def test_the_phone_just_talked_about_is_the_one_meant(conn, shop):
    customer = "254715000004"
    ask(conn, shop, "oppo a18 ni ngapi", customer)
    result = ask(conn, shop, "nipe simu moja na charger moja", customer)
    assert _lines(result) == {("Oppo A18 Phone", None): 1, ("Oraimo Charger", None): 1}, result.reply


@pytest.mark.parametrize(("text", "lines", "customer"), [
    ("nipe sukari mbili", {("Mumias Sugar 2kg", None): 2}, "254715000005"),
    ("nipe itel a70 moja", {("Itel A70 Phone", None): 1}, "254715000006"),
    ("nipe school shoes size 30", {("Bata Toughees School Shoes", "size 30"): 1}, "254715000007"),
])
def test_a_thing_named_is_ordered_at_once(conn, shop, text, lines, customer):
    result = ask(conn, shop, text, customer)
    assert _lines(result) == lines, result.reply


@pytest.mark.parametrize("yes", ["ndio", "sawa", "yes"])
def test_a_yes_to_which_one_asks_again_and_drafts_nothing(conn, shop, yes):
    # "nataka viatu moja" -> which? -> "ndio": the first shoe shown was drafted (tester round s32)
    customer = "254712955001"
    which = ask(conn, shop, "nataka viatu moja", customer=customer)
    assert which.order is None and "Clarks" in which.reply
    again = ask(conn, shop, yes, customer=customer)
    assert not _lines(again), again.reply
    assert "Bata Toughees" in again.reply and "Clarks" in again.reply
    picked = ask(conn, shop, "clarks size 42", customer=customer)
    assert _lines(picked) == {("Clarks Office Shoes", "size 42"): 1}, picked.reply
