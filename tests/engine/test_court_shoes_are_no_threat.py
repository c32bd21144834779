""""Court" is a legal threat only as a court of law: court shoes, court heels and the food court are shopping, never
a hand-over. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Ladies Court Shoes,"Classic court shoes (viatu vya kazi), black",2400,KES,true,"{""sizes"": ""36-41""}"
"""


@pytest.mark.parametrize(("text", "customer"), [
    ("mko na court shoes size 38?", "254718930001"),
    ("court shoes bei gani", "254718930002"),
    ("nataka court shoes mbili", "254718930003"),
])
def test_court_shoes_are_shopping(conn, text, customer):
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, text, customer)
    assert not reply.escalated and "Ladies Court Shoes" in reply.reply, reply.reply


@pytest.mark.parametrize(("text", "customer"), [
    ("mkiendelea hivi nitawapeleka court", "254718930011"),
    ("See you in court if my money is not back", "254718930012"),
])
def test_a_court_of_law_still_goes_to_the_owner(conn, text, customer):
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, text, customer)
    assert reply.escalated, reply.reply
