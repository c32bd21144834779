"""The delivery place ends where its sentence does (owner test s26): "Kawangware 56? delivery ni ngapi" and
"Kawangware Gatina, and 2 packets of royco. I'll pay cash on delivery" were stored as the address, shown to the
customer, sent to the owner and repeated in the status answer."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop


@pytest.fixture
def shop(conn):
    return make_shop(conn)


@pytest.mark.parametrize(("messages", "place"), [
    (["nipe sukari mbili", "mnaleta hadi Kawangware 56? delivery ni ngapi"], "Kawangware 56"),
    (["Hi, I need a 6kg gas refill delivered to Kawangware Gatina, and 2 packets of royco. I'll pay cash on delivery"],
     "Kawangware Gatina"),
    # the landmark after the place is the rider's way there ("Rongai, near Tumaini supermarket" kept only "Rongai")
    (["nipe sukari mbili. niko Rongai, near Tumaini supermarket"], "Rongai, near Tumaini supermarket"),
    # "nitaletewa Kasarani" (I'll be brought it at Kasarani) was dropped and the order confirmed as a pickup (s27)
    (["nataka maziwa pakiti nne na sukari moja, nitaletewa Kasarani"], "Kasarani"),
    # when and which order said before the place, after the yes: a new order of one milk was made (s27)
    (["nataka sukari mbili", "ndio", "mtaniletea lini hiyo oda Kasarani?"], "Kasarani"),
    # the question after the place, and the place it replaces, were part of it (customer test s29)
    (["nataka sukari moja", "niko Githurai 45, mtaletea saa ngapi?"], "Githurai 45"),
    (["nataka sukari moja, niletee Thika town", "aah badilisha, niletee Juja badala ya Thika"], "Juja"),
    # "Delivery ni ..." was not kept, and "Nimekwambia ..." went to the owner as the address (customer test s29b)
    (["nataka sukari moja", "Delivery ni Kahawa West, karibu na Quickmart"], "Kahawa West, karibu na Quickmart"),
    (["nataka sukari moja", "Nimekwambia niko Kahawa West"], "Kahawa West"),
    # the delivery man is no place, and the house number is no count (customer test s29b: "deliver to asiniibie tu
    # haha", and "We don't have githurai opposite shell")
    (["Gas yangu imeisha, nataka refill ya 6kg. Mtu wa delivery asiniibie tu haha. Niko Githurai 45 opposite Shell"],
     "Githurai 45 opposite Shell"),
    # a place whose first word is a thing too: "Kahawa West" was coffee brought to "West" (customer test s30)
    (["nataka gesi moja, niletee Kahawa West"], "Kahawa West"),
    # the stage after the place is the rider's way there (the owner read "Rongai"; customer test s30)
    (["nataka sukari moja", "niletee Rongai, Tumaini stage"], "Rongai, Tumaini stage"),
    # each was "Hatuna ..." or "we don't sell that", three times, and the order went as a pickup (customer test s30b)
    (["nataka sukari moja", "nipeleke Kahawa West, karibu na Quickmart"], "Kahawa West, karibu na Quickmart"),
    (["nataka sukari moja", "ni hivyo tu. deliver Kahawa West karibu na Quickmart"], "Kahawa West karibu na Quickmart"),
    (["nataka sukari moja, naomba delivery", "Kahawa West karibu na Quickmart, nyumba ya blue gate"],
     "Kahawa West karibu na Quickmart, nyumba ya blue gate"),
])
def test_the_place_is_only_the_place(conn, shop, messages, place):
    for text in messages:
        result = ask(conn, shop, text, customer=f"25471290050{len(messages)}")
    assert result.order["delivery_location"] == place, result.reply
    if "royco" in messages[0]:
        assert {i["name"]: i["quantity"] for i in result.order["items"]} == {"Cooking Gas Refill 6kg": 1,
                                                                              "Royco Mchuzi Mix 200g": 2}


def test_an_order_with_a_place_to_bring_it_later_in_the_message_is_that_order_delivered(conn):
    """"nataka AF1 size 42 ... mnaweza niletea town leo jioni? nitalipa on delivery" got only the M-Pesa answer; "...,
    niletee town leo jioni" lost the place (owner test s26)."""
    from mtaabot.devtools import demo

    kicks = make_shop(conn, catalogue=demo.demo_catalogue()["Kicks Kona"], tone="rafiki")
    for k, text in enumerate(["nataka AF1 size 42 😍😍 mnaweza niletea town leo jioni? nitalipa on delivery",
                              "nataka AF1 size 42, niletee town leo jioni"]):
        result = ask(conn, kicks, text, customer=f"25471290052{k}")
        assert result.order is not None, result.reply
        assert result.order["items"][0]["variant"] == "size 42" and result.order["fulfilment"] == "delivery"
        assert result.order["delivery_location"].startswith("town"), result.order


def test_a_delivery_short_of_what_was_ordered_goes_to_the_owner_not_into_a_new_order(conn, shop):
    result = ask(conn, shop, "habari, mmeniletea maziwa mbili badala ya tatu. mnirudishie 65 ama mniletee moja",
                 customer="254712900530")
    assert result.escalated and result.order is None, result.reply


def test_the_delivery_cost_asked_with_the_place_is_said_to_be_the_owner_s(conn, shop):
    """"mnaleta hadi Kahawa West? delivery ni pesa ngapi" set the place and left the cost question unanswered
    (customer test s27)."""
    ask(conn, shop, "nipe sukari tatu", customer="254712900511")
    said = ask(conn, shop, "mnaleta hadi Kahawa West? delivery ni pesa ngapi", customer="254712900511")
    assert said.order["delivery_location"] == "Kahawa West", said.reply
    assert "mwenye duka" in said.reply.lower(), said.reply


def test_a_place_named_like_a_product_is_where_the_customer_is(conn, shop):
    """"Niletee unga 1, niko Kimbo" added a bottle of oil (Kimbo is a cooking fat, and an estate in Ruiru; customer test
    s29b)."""
    reply = ask(conn, shop, "Niletee unga 1, niko Kimbo", customer="254712900591")
    assert {i["name"] for i in reply.order["items"]} == {"Jogoo Maize Flour 2kg"}, reply.reply
    assert reply.order["delivery_location"] == "Kimbo", reply.reply
