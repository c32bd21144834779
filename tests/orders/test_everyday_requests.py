"""Everyday requests a new customer sends that were answered wrong: a booking that names only the day after a
service's price, "price list please" / "mnafanya nini?", goods asked for on credit, a price asked in text-message
spelling with a quantity in it.

Every sentence here was written for this test: none is in the training files or the development and held-out sets.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from mtaabot.devtools import demo
from mtaabot.orders.checkout import set_payment_settings
from mtaabot.orders.when import NAIROBI
from tests.engine.conftest import ask, make_salon, make_shop

SALON = ("name,description,price,currency,is_available,metadata\n"
         "Box Braids,Long box braids (kusuka nywele) with extensions,2500,KES,true,\n"
         "Cornrows,Simple cornrows (mistari) with your own hair,800,KES,true,\n"
         "Pedicure,Foot soak and polish (kucha za miguu),700,KES,true,\n"
         "Manicure,Nail care and polish (kucha za mikono),500,KES,true,\n"
         "Gel Nails,Gel polish on natural nails,1200,KES,true,\n"
         "Wash and Blow-dry,Hair wash (kuosha nywele) and blow-dry,600,KES,true,\n"
         "Dreadlocks Retouch,Retouching locs (rasta),1500,KES,true,\n"
         "Eyebrow Shaping,Threading and shaping (nyusi),300,KES,true,\n"
         "Makeup,Full face makeup for events,2000,KES,true,\n"
         "Hair Treatment,Deep conditioning treatment,1000,KES,true,\n")


@pytest.mark.parametrize(("asked", "book", "service", "customer"), [
    ("pedicure ni ngapi", "sawa nibook jumamosi saa nne", "Pedicure", "254712730001"),
    ("Gel nails ni how much?", "poa nibookie jumamosi saa nne", "Gel Nails", "254712730002"),
    ("How much is eyebrow shaping?", "ok book me on saturday at 10am", "Eyebrow Shaping", "254712730003"),
])
def test_booking_after_a_services_price_books_that_service(conn, asked, book, service, customer):
    """"sawa nibook jumamosi saa nne" after the pedicure's price was "we don't do that here"."""
    salon = make_salon(conn, SALON)
    ask(conn, salon, asked, customer=customer)
    booked = ask(conn, salon, book, customer=customer)
    assert booked.intent == "booking" and [i["name"] for i in booked.order["items"]] == [service]
    at = datetime.fromisoformat(booked.order["booking_at"]).astimezone(NAIROBI)
    assert at.weekday() == 5 and (at.hour, at.minute) == (10, 0)


@pytest.mark.parametrize("text", ["price list please", "mnafanya nini?", "niaje, huduma zenu ni gani?",
                                  "What services do you offer?",
                                  # "which product?" and "we don't sell that" (customer test s29)
                                  "niambie kila kitu mko nacho", "show me everything you have",
                                  # "which product?" (customer test s30)
                                  "Nionyeshe kila kitu mko nacho na bei"])
def test_asking_what_a_salon_does_lists_every_service_with_its_price(conn, text):
    """"price list please" and "mnafanya nini?" were "we don't do that"; "what services do you offer?" was taken for
    haggling ("offer"); and a list stopped at eight of a shop's products."""
    salon = make_salon(conn, SALON)
    listed = ask(conn, salon, text)
    assert listed.intent == "price_list" and not listed.escalated
    assert all(name in listed.reply for name in ("Box Braids", "Makeup", "Pedicure", "Wash and Blow-dry"))
    assert "KES 2,500" in listed.reply and len(listed.products) == 10


@pytest.mark.parametrize("text", ["mama, nitakulipa wiki ijayo, nipe credit", "nipe sukari mbili nitakulipa next week",
                                  "Can I get the sugar now and I'll pay you next week?"])
def test_goods_now_and_money_another_day_go_to_the_owner(conn, text):
    """"nitakulipa wiki ijayo, nipe credit" was "we don't sell that"; the owner decides credit."""
    shop = make_shop(conn)
    result = ask(conn, shop, text)
    assert result.escalated and result.order is None


@pytest.mark.parametrize("text", ["mafta 1 ltr how mch", "sukari 1kg hw mch", "unga 2kg pric"])
def test_a_price_in_text_message_spelling_with_a_quantity_is_a_price_question(conn, text):
    """"mafta 1 ltr how mch" opened an order for the oil instead of giving its price."""
    shop = make_shop(conn)
    result = ask(conn, shop, text)
    assert result.order is None and result.products and "KES" in result.reply


@pytest.mark.parametrize(("text", "cash"), [("mnachukua cash ama ni mpesa tu?", "cash"),
                                            ("Mnapokea pesa taslimu au M-Pesa tu?", "pesa taslimu"),
                                            ("Do you take cash or only M-Pesa?", "cash")])
def test_asked_about_cash_the_answer_says_cash_on_receipt_as_well_as_the_till(conn, text, cash):
    """The answer was the till number alone, while the order confirmation says "or pay when you receive it"."""
    shop = make_shop(conn)
    set_payment_settings(conn, shop["id"], till="5123456")
    conn.commit()
    result = ask(conn, shop, text)
    assert result.intent == "payment_methods" and "5123456" in result.reply and cash in result.reply.lower()


def test_prices_praised_before_an_order_are_no_price_question(conn):
    """"I'm dead 💀 these prices are so good. Give me superstar size 42 and AF1 size 42" got the two prices and no
    order; "bei zenu ni poa sana, nipe ..." was the price list (customer test s29)."""
    shoes = make_shop(conn, catalogue=demo.demo_catalogue()["Kicks Kona"])
    reply = ask(conn, shoes, "I'm dead 💀 these prices are so good. Give me superstar size 42 and AF1 size 42",
                "254716500091")
    assert reply.order is not None and len(reply.order["items"]) == 2, reply.reply
    shop = make_shop(conn)
    reply = ask(conn, shop, "bei zenu ni poa sana, nipe mchele 2 na sukari 1", "254716500092")
    assert reply.order is not None and {i["name"]: i["quantity"] for i in reply.order["items"]} == {
        "Pishori Rice 1kg": 2, "Kabras Sugar 1kg": 1}, reply.reply
