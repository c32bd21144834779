"""A booking asked about in the customer's words (customer test s28): "booking yangu iko aje" drafted a second
booking, "balance yangu ni ngapi?" went to the owner as a question about the manicure, and "order yangu ni pesa
ngapi?" got its state without the amount. Sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Pedicure Deluxe,Foot soak and polish,900,KES,true,"{""category"": ""nails"", ""duration_minutes"": 60}"
Sugar 2kg,White sugar,330,KES,true,"{""category"": ""sugar""}"
"""


@pytest.mark.parametrize(("asked", "customer"), [
    ("miadi yangu iko aje?", "254718970001"),
    ("balance yangu ni ngapi", "254718970002"),
    ("how much do I still owe?", "254718970003"),
])
def test_my_booking_asked_is_its_state_and_amount(conn, asked, customer):
    shop = make_shop(conn, catalogue=CATALOGUE)
    ask(conn, shop, "nataka pedicure deluxe kesho saa tatu", customer)
    booked = ask(conn, shop, "ndio", customer).order
    reply = ask(conn, shop, asked, customer)
    assert reply.intent == "order_status" and not reply.escalated, reply.reply
    assert f"#{booked['number']}" in reply.reply and "KES 900" in reply.reply, reply.reply
    assert reply.order["number"] == booked["number"], reply.reply
    cancelled = ask(conn, shop, "cancel booking yangu", customer)
    assert "order #" not in cancelled.reply.lower() and "oda #" not in cancelled.reply.lower(), cancelled.reply


@pytest.mark.parametrize(("asked", "customer"), [
    ("Mzigo wangu umefika wapi?", "254718970011"),
    ("Tunadaiwa ngapi sasa?", "254718970012"),
])
def test_my_parcel_and_what_we_owe_asked_is_the_orders_state(conn, asked, customer):
    """"Mzigo wangu umefika wapi?" got the delivery answer and "Tunadaiwa ngapi sasa?" went to the owner as a question
    about the sugar (customer test s29b)."""
    shop = make_shop(conn, catalogue=CATALOGUE)
    ask(conn, shop, "nataka sugar 2kg mbili, niletee Githurai", customer)
    ordered = ask(conn, shop, "ndio", customer).order
    reply = ask(conn, shop, asked, customer)
    assert reply.intent == "order_status" and not reply.escalated, reply.reply
    assert f"#{ordered['number']}" in reply.reply and "KES 660" in reply.reply, reply.reply


def test_another_numbers_order_asked_is_not_shown_and_says_why(conn):
    """"order number 4 iko wapi? ni ya bibi yangu" from a number with no orders was "we don't sell that" (customer test
    s30): that order is not shown here, and the customer is told why and what to do."""
    shop = make_shop(conn, catalogue=CATALOGUE)
    ask(conn, shop, "nataka sugar 2kg moja", "254718970021")
    ask(conn, shop, "ndio", "254718970021")
    reply = ask(conn, shop, "order number 1 iko wapi? ni ya bibi yangu", "254718970022")
    assert reply.intent == "order_status" and "#1" in reply.reply and "KES" not in reply.reply, reply.reply
