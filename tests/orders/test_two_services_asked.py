"""Two services asked about together, then a time alone: both are booked (the second one was dropped and only it
was confirmed). Catalogue and sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, make_salon

SALON = """name,description,price,currency,is_available,metadata
Eyebrow Threading,Shaping with thread,300,KES,true,{}
Lash Extensions,Classic lash set,2500,KES,true,{}
Facial Treatment,Cleansing facial,1800,KES,true,{}
"""


def test_a_time_after_asking_about_two_services_books_both(conn):
    salon = make_salon(conn, SALON, minutes=60)
    customer = "254717800001"
    listed = ask(conn, salon, "threading na lash extensions pamoja ni pesa ngapi", customer)
    assert {p["name"] for p in listed.products} >= {"Eyebrow Threading", "Lash Extensions"}, listed.reply
    booked = ask(conn, salon, "sawa nataka jumamosi saa nne", customer)
    assert sorted(i["name"] for i in booked.order["items"]) == ["Eyebrow Threading", "Lash Extensions"], booked.reply
    assert "KES 2,800" in booked.reply, booked.reply


def test_a_time_after_asking_about_one_service_books_that_one(conn):
    salon = make_salon(conn, SALON, minutes=60)
    customer = "254717800002"
    ask(conn, salon, "facial ni ngapi?", customer)
    booked = ask(conn, salon, "sawa nataka jumamosi saa nne", customer)
    assert [i["name"] for i in booked.order["items"]] == ["Facial Treatment"], booked.reply


def test_two_services_on_two_days_are_two_visits_not_one(conn):
    """"nataka manicure jumamosi saa nne na pedicure jumapili saa nane" booked both for the Saturday without a word
    (probes s28): the first visit is booked, and the customer is told the other is a visit of its own."""
    salon = make_salon(conn, SALON, minutes=60)
    reply = ask(conn, salon, "nataka eyebrow threading jumamosi saa nne na facial treatment jumapili saa nane",
                "254713800091")
    assert [i["name"] for i in reply.order["items"]] == ["Eyebrow Threading"], reply.reply
    assert "Facial Treatment" in reply.reply and "14:00" in reply.reply, reply.reply
