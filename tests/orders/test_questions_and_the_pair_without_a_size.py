"""Questions with a place are no order, and the pair without a size is the one taken out (customer test s28): "Hey, 3
questions: do you have timberlands size 44? how much are school shoes? and do you deliver to Thika?" drafted school
shoes to Thika beside "We don't have 'questions'"; "remove the school shoes that has no size" emptied the order of all
three pairs. Catalogue and sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Bata Toughees,Black school shoes,1600,KES,true,"{""category"": ""school shoes"", ""sizes"": ""28-39""}"
Safari Boots,Leather boots,4200,KES,true,"{""category"": ""boots"", ""sizes"": ""39-45""}"
"""


def test_questions_with_a_place_are_answered_not_ordered(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, "Hi, two things: how much are the toughees? and do you deliver to Ruiru?", "254718990001")
    assert reply.order is None and "KES 1,600" in reply.reply, reply.reply
    assert "We don't have" not in reply.reply, reply.reply


def test_the_pair_without_a_size_is_the_one_taken_out(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    ask(conn, shop, "nipe toughees moja", "254718990002")
    ask(conn, shop, "ongeza toughees size 30 na size 33", "254718990002")
    reply = ask(conn, shop, "remove the toughees that has no size", "254718990002")
    assert sorted(i["variant"] for i in reply.order["items"]) == ["size 30", "size 33"], reply.reply


def test_what_was_bought_before_and_others_wanted_is_the_one_pair_named(conn):
    """"Mlinitumia viatu poa sana last time, asante! Nataka zingine, school shoes size 38" was two pairs, one without a
    size (KES 3,000 for 1,500; customer test s28b)."""
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, "Mliniuzia viatu poa sana mwezi jana, asante! Nataka zingine, toughees size 36", "254718990011")
    assert [(i["name"], i["variant"], i["quantity"]) for i in reply.order["items"]] == [("Bata Toughees", "size 36", 1)], \
        reply.reply


def test_a_shoe_praised_then_its_size_asked_for_is_one_pair(conn):
    """"Hizi superstar ni poa, nipe size 40" was a pair without a size beside the size 40 (KES 6,400 for 3,200), and
    each "ndio" asked the size again (customer test s29)."""
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, "Hizi safari boots ni poa sana, nipe size 42", "254718990003")
    assert [(i["quantity"], i["variant"]) for i in reply.order["items"]] == [(1, "size 42")], reply.reply
    yes = ask(conn, shop, "ndio", "254718990003")
    assert yes.order["status"] == "awaiting_payment", yes.reply
