"""A colour the catalogue does not list is never answered "we don't have it in black"; a repair asked for a phone
model the shop does not sell is still the repair; "battery yake?" / "rangi zake?" ask about the thing just shown.
Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, last_alert, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Infinix Hot 40i,"Android smartphone (simu) 128GB, 4GB RAM",15500,KES,true,"{""category"": ""phones""}"
Samsung Galaxy A25,"Android smartphone (simu) 128GB, 6GB RAM",24000,KES,true,"{""category"": ""phones""}"
Oppo A18,"Android smartphone (simu) 64GB, big battery 5000mAh",13200,KES,true,"{""category"": ""phones""}"
Cracked Screen Fixing,"We replace broken screens (kioo) for Infinix, Oppo and Samsung in two hours",2800,KES,true,"{""category"": ""repairs""}"
Leather Wallet,"Brown and black leather wallet",900,KES,true,"{""category"": ""accessories""}"
iPad Glass Change,"Glass replacement for iPad 7 and 8 only",6000,KES,true,"{""category"": ""repairs""}"
"""


@pytest.mark.parametrize(("asked", "customer"), [
    ("infinix hot 40i iko green?", "254718910001"),
    ("do you have the oppo a18 in purple?", "254718910002"),
])
def test_a_colour_not_listed_is_not_said_to_be_missing(conn, asked, customer):
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, asked, customer)
    text = reply.reply.lower()
    assert "hatuna" not in text and "none in" not in text and "we have none" not in text, reply.reply
    assert "15,500" in reply.reply or "13,200" in reply.reply, reply.reply  # the phone and its price are there
    assert not reply.escalated


def test_a_colour_the_catalogue_lists_otherwise_is_still_a_no(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, "leather wallet iko red?", "254718910003")
    assert "hatuna" in reply.reply.lower() or "none" in reply.reply.lower(), reply.reply


def test_how_about_a_colour_after_a_phone_without_colours_is_no_invented_no(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254718910004"
    ask(conn, shop, "bei ya oppo a18?", customer)
    reply = ask(conn, shop, "how about white?", customer)
    text = reply.reply.lower()
    assert "Oppo A18" in reply.reply and "not come" not in text and "doesn't come" not in text, reply.reply


@pytest.mark.parametrize(("asked", "customer"), [
    ("screen ya samsung a05 imepasuka, mnabadilisha?", "254718910005"),
    ("kioo ya samsung galaxy a34 imevunjika mnarekebisha?", "254718910006"),
    # no "?", and "niko na" first: a repair asked for, never a complaint handed over (customer test, session 24)
    ("Niko na samsung a34 screen imevunjika mnarekebisha", "254718910009"),
])
def test_a_screen_repair_for_a_model_not_sold_is_the_repair(conn, asked, customer):
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, asked, customer)
    assert "Cracked Screen Fixing" in reply.reply and "2,800" in reply.reply, reply.reply


def test_the_phone_itself_of_a_model_not_sold_is_still_not_sold(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, "simu ya samsung a05 iko?", "254718910007")
    assert "Cracked Screen Fixing" not in reply.reply and "Galaxy A25 iko" not in reply.reply, reply.reply


def test_a_repair_that_lists_its_models_is_not_offered_for_another(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, "do you change ipad 10 glass?", "254718910008")
    assert "6,000" not in reply.reply, reply.reply


def test_its_battery_answers_from_the_description_of_the_phone_just_shown(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254718910009"
    ask(conn, shop, "oppo a18 bei gani?", customer)
    reply = ask(conn, shop, "battery yake iko aje?", customer)
    assert "5000mAh" in reply.reply, reply.reply


def test_its_battery_not_in_the_catalogue_goes_to_the_owner(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254718910010"
    ask(conn, shop, "infinix hot 40i bei gani?", customer)
    reply = ask(conn, shop, "camera yake ni megapixels ngapi?", customer)
    assert reply.escalated and "Infinix Hot 40i" in reply.reply, reply.reply
    assert last_alert(conn, shop) is not None


def test_its_colours_are_read_from_the_description(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254718910011"
    ask(conn, shop, "leather wallet bei?", customer)
    reply = ask(conn, shop, "rangi zake?", customer)
    assert "brown" in reply.reply.lower() and "black" in reply.reply.lower(), reply.reply
