"""A salon's own words: a hyphenated service found however it is written, washing asked for is no complaint, and a
service whose name has "and" in it is booked once."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_salon

SALON = ("name,description,price,currency,is_available,metadata\n"
         "Wash and Blow-dry,Hair wash (kuosha nywele) and blow-dry,600,KES,true,\n"
         "Cornrows,Simple cornrows (mistari) with your own hair,800,KES,true,\n"
         "Manicure,Nail care (kucha) and polish,500,KES,true,\n")


def _salon(conn):
    return make_salon(conn, SALON, minutes=60)


@pytest.mark.parametrize("text", ["how much is a blow dry?", "blowdry ni ngapi?", "Blow dry ni bei gani?"])
def test_a_hyphenated_service_is_found_written_apart_or_run_together(conn, text):
    """It was "we don't have 'blow dry'": the name's word was "blow-dry" and only that matched."""
    result = ask(conn, _salon(conn), text)
    assert "KES 600" in result.reply and result.intent == "product"


@pytest.mark.parametrize("text", ["wash and blow-dry", "wash my hair please", "Nataka kuoshwa nywele",
                                  "Hair wash ni ngapi?"])
def test_asking_for_a_wash_is_not_a_complaint(conn, text):
    """It went to the owner as a complaint ("I'm sorry about this"): "wash" was mostly in complaints about clothes
    that shrank after one wash."""
    result = ask(conn, _salon(conn), text)
    assert not result.escalated and "KES 600" in result.reply


def test_a_service_named_with_and_is_booked_once(conn):
    """'the wash and blow dry' was split at "and" into two pieces, each the same service: 2 x KES 600."""
    result = ask(conn, _salon(conn), "book the wash and blow-dry for monday at 2pm", customer="254712720001")
    assert [(i["name"], i["quantity"]) for i in result.order["items"]] == [("Wash and Blow-dry", 1)]
    assert "KES 1,200" not in result.reply


LASTING = ("name,description,price,currency,is_available,metadata\n"
           "Box Braids,Long box braids (kusuka nywele) with extensions,2500,KES,true,\n"
           "Gel Nails,\"Gel polish on natural nails, lasts two weeks\",1200,KES,true,\n")


@pytest.mark.parametrize("question", ["box braids zinakaa muda gani kichwani?", "Box braids hudumu kwa muda gani?",
                                      "how long do box braids last?"])
def test_how_long_braids_last_goes_to_the_owner_not_the_appointment_length(conn, question):
    """It was "Box Braids takes about 4 hours": the appointment, not how long the braids stay in."""
    shop = make_salon(conn, LASTING, minutes=240)
    result = ask(conn, shop, question)
    assert result.intent == "product_question" and result.escalated and "Box Braids" in result.reply
    assert "4" not in result.reply.split(".")[0]


@pytest.mark.parametrize("question", ["gel nails zinadumu muda gani?", "how long does the gel last?"])
def test_how_long_it_lasts_is_answered_when_the_description_says(conn, question):
    shop = make_salon(conn, LASTING, minutes=90)
    result = ask(conn, shop, question)
    assert not result.escalated and "lasts two weeks" in result.reply
