"""A size changed for another, said as two numbers: "badilisha 43 iwe 42" was one pair "(size 43, size 42)", and
"aje nikitaka kubadilisha 43 iwe 42?" after the yes was "Hatuna “aje nikitaka kubadilisha”" / "not sold", the
order staying in 43. Now the pair is in the new size (with two pairs, the one in the size said first), a confirmed
order goes back for a yes in it, and nothing is added. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Puma Suede Classic,Suede sneakers,4100,KES,true,"{""category"": ""shoes"", ""sizes"": ""38-45""}"
Bata Sandals,Leather sandals,900,KES,true,"{""category"": ""shoes"", ""sizes"": ""36-44""}"
Kiwi Shoe Polish,Black polish,250,KES,true,"{""category"": ""care""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def _lines(result) -> dict[tuple[str, str | None], int]:
    return {(i["name"], i["variant"]): i["quantity"] for i in (result.order or {}).get("items", [])}


@pytest.mark.parametrize(("change", "customer"), [
    ("badilisha 43 iwe 42", "254716000001"),
    ("aje nikitaka kubadilisha 43 iwe 42?", "254716000002"),
    ("change from 43 to 42 please", "254716000003"),
    ("nipe 42 badala ya 43", "254716000004"),
])
def test_a_size_changed_in_the_cart_is_the_new_size_only(conn, shop, change, customer):
    ask(conn, shop, "nipe puma suede size 43", customer)
    result = ask(conn, shop, change, customer)
    assert _lines(result) == {("Puma Suede Classic", "size 42"): 1}, result.reply
    assert "Hatuna" not in result.reply and "4,100" in result.reply, result.reply


def test_a_size_changed_after_the_yes_goes_back_for_a_yes_in_the_new_size(conn, shop):
    customer = "254716000005"
    ask(conn, shop, "nipe puma suede size 43", customer)
    confirmed = ask(conn, shop, "ndio", customer)
    assert confirmed.order["status"] == "awaiting_payment", confirmed.reply
    changed = ask(conn, shop, "aje nikitaka kubadilisha 43 iwe 42?", customer)
    assert changed.order["status"] == "draft" and _lines(changed) == {("Puma Suede Classic", "size 42"): 1}, \
        changed.reply
    again = ask(conn, shop, "ndio", customer)
    assert again.order["status"] == "awaiting_payment" and _lines(again) == {("Puma Suede Classic", "size 42"): 1}


def test_a_size_said_alone_after_the_yes_changes_that_order(conn, shop):
    customer = "254716000006"
    ask(conn, shop, "nataka bata sandals size 40", customer)
    ask(conn, shop, "ndio", customer)
    changed = ask(conn, shop, "nataka kubadilisha size iwe 41", customer)
    assert _lines(changed) == {("Bata Sandals", "size 41"): 1}, changed.reply


@pytest.mark.parametrize(("change", "customer"), [
    ("size 44 ibadilishe iwe 45", "254716000011"),
    ("change the 44 to 45", "254716000012"),
    ("nipe 45 badala ya 44", "254716000013"),
])
def test_the_size_changed_from_says_which_of_two_pairs(conn, shop, change, customer):
    ask(conn, shop, "nataka puma suede size 44 na size 42", customer)
    result = ask(conn, shop, change, customer)
    assert _lines(result) == {("Puma Suede Classic", "size 42"): 1, ("Puma Suede Classic", "size 45"): 1}, \
        result.reply


@pytest.mark.parametrize("change", [
    "sorry, size ya pili ni 40",  # was 40 tins of polish (KES 10,000)
    "pair ya pili iwe size 40",  # the size went on the polish
    "moja iwe size 40 tafadhali",  # one pair of the two was left
    "one of them should be size 40",
    "aii ngoja, bata moja iwe size 40, ingine ibaki 38",  # the other was dropped (customer test s30)
])
def test_one_pair_of_several_in_another_size(conn, shop, change):
    """Customer test s29: with two pairs in size 38 and a polish in the order, one pair in another size."""
    customer = f"2547189702{len(change):02d}"
    ask(conn, shop, "nataka bata sandals mbili size 38 na kiwi polish moja", customer)
    reply = ask(conn, shop, change, customer)
    assert _lines(reply) == {("Bata Sandals", "size 38"): 1, ("Bata Sandals", "size 40"): 1,
                             ("Kiwi Shoe Polish", None): 1}, reply.reply


@pytest.mark.parametrize("swap", ["instead of the puma size 43 give me bata sandals size 43",
                                  "badala ya puma size 43 nipe bata sandals size 43"])
def test_one_pair_of_two_swapped_for_another_shoe_leaves_the_other(conn, shop, swap):
    """With AF1 in 42 and 43, "instead of the AF1 size 43 give me Superstar size 43" was two Superstars in 43 and no
    AF1 42 (customer test s29b)."""
    customer = f"2547189703{len(swap):02d}"
    ask(conn, shop, "nataka puma suede size 42 na puma suede size 43", customer)
    reply = ask(conn, shop, swap, customer)
    assert _lines(reply) == {("Puma Suede Classic", "size 42"): 1, ("Bata Sandals", "size 43"): 1}, reply.reply


def test_the_sizes_after_a_colon_are_each_pairs(conn):
    """"Nataka school shoes pea tatu za watoto: size 30, 32 na 34" was three pairs without a size, and the customer's
    "nimesema 30, 32 na 34" was answered about another shoe (customer test s30)."""
    from mtaabot.devtools import demo
    from tests.engine.conftest import make_shop

    shop = make_shop(conn, catalogue=demo.demo_catalogue()["Kicks Kona"])
    reply = ask(conn, shop, "Nataka school shoes pea tatu za watoto: size 30, 32 na 34", "254718970391")
    assert _lines(reply) == {("School Shoes Black", "size 30"): 1, ("School Shoes Black", "size 32"): 1,
                             ("School Shoes Black", "size 34"): 1}, reply.reply


@pytest.mark.parametrize("change", ["aki badilisha puma iwe bata sandals, size ni ile ile",
                                    "change the puma to bata sandals"])
def test_one_line_changed_into_another_shoe_keeps_its_size(conn, shop, change):
    """"aki badilisha AF1 iwe superstar, size ni ile ile" listed both shoes and changed nothing (customer test s30)."""
    customer = f"2547189704{len(change):02d}"
    ask(conn, shop, "nipe puma suede size 41 na kiwi polish moja", customer)
    reply = ask(conn, shop, change, customer)
    assert _lines(reply) == {("Bata Sandals", "size 41"): 1, ("Kiwi Shoe Polish", None): 1}, reply.reply


def test_a_size_changed_after_the_yes_changes_that_order(conn, shop):
    """"badilisha size ya superstar iwe 43" after the yes drafted a second order in 43 and kept the first in 44: the
    owner was told of 44 (owner test s31)."""
    customer = "254718970299"
    ask(conn, shop, "nataka bata sandals size 40", customer)
    number = ask(conn, shop, "ndio", customer).order["number"]
    changed = ask(conn, shop, "badilisha size ya bata sandals iwe 41", customer)
    assert changed.order["number"] == number and _lines(changed) == {("Bata Sandals", "size 41"): 1}, changed.reply
    orders = conn.execute("SELECT count(*) AS n FROM orders WHERE business_id = %s", (shop["id"],)).fetchone()["n"]
    assert orders == 1


@pytest.mark.parametrize("yes", [False, True])
def test_the_new_size_said_with_a_word_before_instead_of_changes_that_pair(conn, shop, yes):
    """"sawa nipe 44 basi badala ya 43" of sizes 42 and 43 added a third pair in the cart, and after the yes opened a
    second order beside the first (tester s32)."""
    customer = f"25471600002{int(yes)}"
    first = ask(conn, shop, "nataka puma suede size 42 na size 43", customer)
    if yes:
        ask(conn, shop, "ndio", customer)
    result = ask(conn, shop, "sawa nipe 44 basi badala ya 43", customer)
    assert result.order["number"] == first.order["number"], result.reply
    assert _lines(result) == {("Puma Suede Classic", "size 42"): 1, ("Puma Suede Classic", "size 44"): 1}, \
        result.reply


def test_the_second_pair_said_with_its_size_is_a_pair_more(conn, shop):
    """"nataka AF1 size 42, na ile ya pili size 43" dropped the second pair (tester s32)."""
    result = ask(conn, shop, "nataka puma suede size 42, na ile ya pili size 43", "254716000031")
    assert _lines(result) == {("Puma Suede Classic", "size 42"): 1, ("Puma Suede Classic", "size 43"): 1}, \
        result.reply
