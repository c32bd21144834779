""""how much both?", "zote mbili ni ngapi jumla" after two things were shown was handed to the owner as a detail
the catalogue lacks ("I don't have that detail for ..."), and "how much all together" about a booking of two
services too: the chat went quiet on a sale. Now each is listed with what they come to together, and the cart's
total is the cart's. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_salon, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Oraimo Charger 18W,USB-C charger (chaja),950,KES,true,"{""category"": ""accessories""}"
Anker Power Bank 10000mAh,Power bank,2650,KES,true,"{""category"": ""accessories""}"
"""

SERVICES = """name,description,price,currency,is_available,metadata
Gel Polish Hands,Gel polish on the hands,650,KES,true,{}
Spa Pedicure,Pedicure with a foot soak,900,KES,true,{}
"""


@pytest.mark.parametrize(("question", "customer"), [("how much both", "254718000001"),
                                                      ("zote mbili ni ngapi jumla", "254718000002"),
                                                      ("how much for both?", "254718000003")])
def test_two_things_shown_are_priced_together(conn, question, customer):
    shop = make_shop(conn, catalogue=CATALOGUE)
    ask(conn, shop, "bei ya charger na power bank", customer)
    result = ask(conn, shop, question, customer)
    assert not result.escalated, result.reply
    assert "950" in result.reply and "2,650" in result.reply and "3,600" in result.reply, result.reply


def test_a_booking_of_two_services_says_its_total(conn):
    salon = make_salon(conn, SERVICES, minutes=60)
    customer = "254718000004"
    ask(conn, salon, "nataka gel polish hands na spa pedicure jumamosi saa nane", customer)
    result = ask(conn, salon, "how much all together", customer)
    assert not result.escalated, result.reply
    assert "1,550" in result.reply, result.reply
