"""A question about a detail of the product just talked about (or named in it) is answered from that product's
name, description and metadata: the number and unit in its name ("ni watts ngapi?" of a 20W charger), a word of its
description ("ni za trails ama road?"), a place it names ("ni ya wapi?"), what it holds ("ina nini ndani?"), a
metadata entry ("and the warranty period?"); a measure it does not come in is "only 14 inch", and what the
catalogue does not say goes to the owner. It was "we don't sell that" or the price again, and the next "nipe moja"
was lost. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
USB-C Wall Charger 20W,"Wall charger with a USB-C cable, 20W",900,KES,true,{}
Body Lotion 400ml,Moisturising lotion for dry skin,450,KES,true,{}
Synthetic Braid Wig,"Soft synthetic wig, 14 inch",5200,KES,true,{}
Basmati Rice 2kg,"Long grain Kisumu basmati rice, 2kg",400,KES,true,{}
Trail Running Shoes,"Running shoes for mud and rough trails, sizes 39 to 45",4200,KES,true,{}
Desk Fan,Quiet desk fan with three speeds,1500,KES,true,"{""warranty"": ""6 months""}"
Phone Tripod,"Tripod stand, remote and phone clip",1200,KES,true,{}
"""

NOT_SOLD = ("hatuuzi", "hatuna", "don't sell", "we don't have")


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


@pytest.mark.parametrize(("first", "follow_up", "said", "product", "customer"), [
    ("charger ni ngapi", "ni watts ngapi", "20W", "USB-C Wall Charger 20W", "254713800001"),
    ("body lotion bei gani", "ni ya ml ngapi", "400ml", "Body Lotion 400ml", "254713800002"),
    ("how much is the wig", "what length?", "14 inch", "Synthetic Braid Wig", "254713800003"),
    ("basmati rice ni ngapi", "na ni ya wapi", "Kisumu", "Basmati Rice 2kg", "254713800004"),
    ("phone tripod ni ngapi", "ina nini ndani", "remote and phone clip", "Phone Tripod", "254713800005"),
    ("desk fan ni ngapi", "And the warranty period?", "6 months", "Desk Fan", "254713800006"),
    ("wig ni ngapi", "ni synthetic kweli?", "Soft synthetic wig", "Synthetic Braid Wig", "254713800007"),
])
def test_a_detail_of_the_product_just_shown_is_answered_and_nipe_moja_orders_it(conn, shop, first, follow_up, said,
                                                                               product, customer):
    ask(conn, shop, first, customer)
    answer = ask(conn, shop, follow_up, customer)
    assert said in answer.reply and product in answer.reply, answer.reply
    assert not answer.escalated and not any(w in answer.reply.lower() for w in NOT_SOLD), answer.reply
    assert "KES" not in answer.reply, answer.reply  # not the price blurb again
    ordered = ask(conn, shop, "nipe moja", customer)
    assert ordered.order is not None, ordered.reply
    assert [i["name"] for i in ordered.order["items"]] == [product], ordered.reply


@pytest.mark.parametrize(("message", "said", "product"), [
    ("trail running shoes ni za mud ama tarmac?", "mud and rough trails", "Trail Running Shoes"),
    ("phone tripod inakuja na remote ama?", "remote and phone clip", "Phone Tripod"),
])
def test_a_detail_asked_with_the_product_named_is_answered_not_its_price(conn, shop, message, said, product):
    answer = ask(conn, shop, message)
    assert said in answer.reply and product in answer.reply and "KES" not in answer.reply, answer.reply


def test_a_measure_the_product_does_not_come_in_says_the_one_it_does(conn, shop):
    answer = ask(conn, shop, "wig iko ya inchi 20?", "254713800008")
    assert "Synthetic Braid Wig" in answer.reply and "14 inch" in answer.reply, answer.reply
    assert "KES" not in answer.reply, answer.reply  # not its price as if it were the one asked


def test_a_detail_the_catalogue_does_not_hold_goes_to_the_owner_and_the_product_stays(conn, shop):
    customer = "254713800009"
    ask(conn, shop, "charger ni ngapi", customer)
    answer = ask(conn, shop, "inachaji laptop?", customer)
    assert answer.escalated and "USB-C Wall Charger 20W" in answer.reply, answer.reply
    assert not any(w in answer.reply.lower() for w in NOT_SOLD), answer.reply
