"""Asking for what a phone shop sells is no request for a person: "I need a phone", "nataka simu" were handed to the
owner (the learned head read "phone" as "call me"), "nimepoteza laini yangu" was a complaint and the bot went quiet,
"a phone for my mum, a simple one with big buttons" was handed over (and then a cover was ordered). A request for a
person still goes to the owner. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Itel Button Phone,Basic button phone (kabambe) with big keys and FM radio,1900,KES,true,"{""category"": ""phones""}"
Oppo A18,Android smartphone 128GB,15500,KES,true,"{""category"": ""phones""}"
Airtel SIM Swap,SIM card replacement (laini) with your ID,50,KES,true,"{""category"": ""services""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


@pytest.mark.parametrize(("text", "shown", "customer"), [
    ("I need a phone", "Oppo A18", "254714200001"),
    ("nataka simu", "Oppo A18", "254714200002"),
    ("i need a new phone", "Itel Button Phone", "254714200003"),
    ("I need a phone for my mum, simple one with big buttons", "Itel Button Phone", "254714200004"),
    ("nimepoteza laini yangu", "Airtel SIM Swap", "254714200005"),
    ("laini imepotea, nataka replacement", "Airtel SIM Swap", "254714200006"),
])
def test_asking_for_what_the_shop_sells_is_answered_not_handed_over(conn, shop, text, shown, customer):
    result = ask(conn, shop, text, customer)
    assert not result.escalated and shown in result.reply, result.reply
    assert not result.order or not result.order["items"], result.reply


@pytest.mark.parametrize(("text", "customer"), [
    ("Naomba namba ya simu ya mwenye duka", "254714200011"),
    ("Have the owner phone me back today", "254714200012"),
    ("sitaki kuongea na roboti", "254714200013"),
])
def test_asking_for_a_person_still_goes_to_the_owner(conn, shop, text, customer):
    assert ask(conn, shop, text, customer).escalated
