"""A question that names nothing the shop sells, right after a product or service was shown, is about that one:
"zinakaa muda gani?" is how long it lasts (from its description, else the owner), "beads ni zenu ama nilete?"
what its description says; "masaa mangapi" is how long the appointment takes. It was "we don't sell that" (and
"masaa mangapi" the price). Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_salon

CATALOGUE = """name,description,price,currency,is_available,metadata
Fulani Braids,"Fulani braids, beads and extensions included, last about three weeks",1800,KES,true,{}
Acrylic Nails,Acrylic nail extensions with a colour of your choice,1500,KES,true,{}
Hair Relaxer,Relaxer treatment for natural hair,1000,KES,true,{}
"""


@pytest.fixture
def salon(conn):
    return make_salon(conn, CATALOGUE, minutes=150)


@pytest.mark.parametrize(("follow_up", "said", "customer"), [
    ("na zinakaa muda gani?", "three weeks", "254713700001"),
    ("ni ngapi na inakaa kwa muda gani", "three weeks", "254713700002"),
    ("beads ni zenu ama nilete?", "beads and extensions included", "254713700003"),
])
def test_a_question_about_the_service_just_shown_is_answered_from_its_description(conn, salon, follow_up, said,
                                                                                 customer):
    ask(conn, salon, "mnafanya fulani braids?", customer)
    result = ask(conn, salon, follow_up, customer)
    assert said in result.reply and "Fulani Braids" in result.reply, result.reply
    assert result.intent == "product" and not result.escalated, result.reply


def test_how_long_a_service_lasts_not_in_its_description_goes_to_the_owner(conn, salon):
    customer = "254713700004"
    ask(conn, salon, "hair relaxer ni pesa ngapi?", customer)
    result = ask(conn, salon, "inakaa muda gani?", customer)
    assert result.escalated and "Hair Relaxer" in result.reply, result.reply


def test_hours_asked_with_mangapi_is_the_appointment_length(conn, salon):
    result = ask(conn, salon, "acrylic nails inachukua masaa mangapi", "254713700005")
    assert "Acrylic Nails" in result.reply and "2" in result.reply and "KES" not in result.reply, result.reply

