"""A message that is only the name of something the shop sells ("scalp treatment" at a salon with a Scalp Treatment)
was handed to the owner as a complaint ("Pole sana kwa hiyo shida") and the chat went quiet: to the learned head
"scalp" reads like "scam". A name of the shop's own is answered; a complaint that names a product still goes to the
owner. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_salon

CATALOGUE = """name,description,price,currency,is_available,metadata
Scalp Treatment,Steam and oil treatment for a dry scalp,900,KES,true,{}
Cornrows Plain,Straight-back cornrows,700,KES,true,{}
"""


@pytest.fixture
def salon(conn):
    return make_salon(conn, CATALOGUE, minutes=60)


@pytest.mark.parametrize(("text", "customer"), [("scalp treatment", "254713700001"), ("scalp", "254713700002")])
def test_the_name_of_a_service_is_answered_not_handed_over(conn, salon, text, customer):
    result = ask(conn, salon, text, customer)
    assert not result.escalated, result.reply
    assert "900" in result.reply, result.reply


def test_a_complaint_naming_the_service_still_goes_to_the_owner(conn, salon):
    result = ask(conn, salon, "scalp treatment yenu ilinichoma, nataka refund", "254713700003")
    assert result.escalated, result.reply

