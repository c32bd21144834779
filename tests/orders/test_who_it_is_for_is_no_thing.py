"""Who a thing is for and words of taking out are no thing asked for: "moja ya mathe moja ya dad" was answered
"Hatuna “dad” hapa" beside the right order, "for my daughter, she is 7" "We don't have “she is”", "aki toa moja,
nipe mbili tu" "Hatuna “toa”". The order is the same; the broken sentence goes. Catalogue and sentences are this
file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_salon, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Itel A70,Android phone 64GB,8900,KES,true,{}
Rubber Slippers,Open rubber slippers,450,KES,true,{}
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


@pytest.mark.parametrize(("first", "text", "lines", "customer"), [
    ("itel a70 ni ngapi", "nipe mbili, moja ya mathe moja ya dad", {"Itel A70": 2}, "254714700001"),
    ("nipe rubber slippers tatu", "aki toa moja, nipe mbili tu", {"Rubber Slippers": 2}, "254714700002"),
    # "We don't have 'boys' here" beside the order (owner test s26)
    ("rubber slippers ziko?", "i need 2 pairs for my boys", {"Rubber Slippers": 2}, "254714700003"),
])
def test_who_it_is_for_is_never_a_thing_not_sold(conn, shop, first, text, lines, customer):
    ask(conn, shop, first, customer)
    result = ask(conn, shop, text, customer)
    assert {i["name"]: i["quantity"] for i in result.order["items"]} == lines, result.reply
    assert "Hatuna" not in result.reply and "don't have" not in result.reply, result.reply


def test_a_booking_for_a_child_of_some_age_is_no_thing_not_sold(conn):
    salon = make_salon(conn, """name,description,price,currency,is_available,metadata
Kids Cornrows,Cornrows for children,600,KES,true,{}
""", minutes=60)
    result = ask(conn, salon, "can I book kids cornrows for my daughter, she is 7, monday 10am", "254714700003")
    assert [i["name"] for i in result.order["items"]] == ["Kids Cornrows"], result.reply
    assert "don't have" not in result.reply, result.reply


def test_what_is_not_sold_is_said_back_without_the_question_or_the_budget(conn):
    """"Mna iPhone 15 pro max? Nataka kesho, budget 150k" was "Hatuna “mna iphone pro max” hapa. Hatuna “budget
    150k” hapa." (owner test s26)."""
    shop = make_shop(conn, catalogue=CATALOGUE)
    result = ask(conn, shop, "Mna Nokia 3310? Nataka kesho, budget 5k", "254714700004")
    assert "“nokia" in result.reply.lower() and "mna nokia" not in result.reply.lower(), result.reply
    assert "budget" not in result.reply.lower() and "5k" not in result.reply, result.reply
