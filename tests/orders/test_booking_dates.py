"""Bookings on a date said outright ("8th december", "tarehe 10"), at a time with minutes ("5:30pm"), and never
past closing time for a long service."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.engine.conftest import ask, make_salon

NAIROBI = ZoneInfo("Africa/Nairobi")
SALON = ("name,description,price,currency,is_available,metadata\n"
         "Box Braids,Long box braids (kusuka nywele) with extensions,2500,KES,true,\n"
         "Manicure,Nail care (kucha) and polish,500,KES,true,\n")
MONTHS = "january february march april may june july august september october november december".split()
SWAHILI_MONTHS = "januari februari machi aprili mei juni julai agosti septemba oktoba novemba desemba".split()


def _at(order) -> datetime:
    return datetime.fromisoformat(order["booking_at"]).astimezone(NAIROBI)


@pytest.mark.parametrize(("template", "hour", "customer"), [
    ("nibook manicure tarehe {day} saa tatu asubuhi", 9, "254712720001"),
    ("nataka manicure {day} {swahili_month} saa nne", 10, "254712720002"),
    ("Can I book a manicure on the {day}{th} of {month} at 11am?", 11, "254712720003"),
    ("manicure {month} {day} at 2pm please", 14, "254712720004"),
])
def test_a_date_said_outright_is_the_day_booked(conn, template, hour, customer):
    """"nibook gel nails 8th december at 11am" was read as today, and the bot said the salon was closed today."""
    shop = make_salon(conn, SALON, minutes=60)
    day = datetime.now(NAIROBI).date() + timedelta(days=3)
    th = {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10 if day.day not in (11, 12, 13) else 0, "th")
    text = template.format(day=day.day, th=th, month=MONTHS[day.month - 1],
                           swahili_month=SWAHILI_MONTHS[day.month - 1])
    booked = ask(conn, shop, text, customer=customer)
    assert booked.intent == "booking" and [i["name"] for i in booked.order["items"]] == ["Manicure"]
    assert _at(booked.order).date() == day and (_at(booked.order).hour, _at(booked.order).minute) == (hour, 0)


@pytest.mark.parametrize(("text", "customer"), [
    ("manicure kesho 4:30pm", "254712720011"),
    ("nibook manicure kesho saa kumi na nusu", "254712720012"),
    ("Book me a manicure tomorrow at 4:30 pm", "254712720013"),
])
def test_the_minutes_of_a_time_are_kept(conn, text, customer):
    """"wash and blow dry tomorrow at 5:30pm" was booked at 17:00."""
    shop = make_salon(conn, SALON, minutes=60)
    booked = ask(conn, shop, text, customer=customer)
    at = _at(booked.order)
    assert at.date() == datetime.now(NAIROBI).date() + timedelta(days=1) and (at.hour, at.minute) == (16, 30)


@pytest.mark.parametrize(("text", "customer"), [
    ("box braids kesho saa mbili usiku", "254712720021"),
    ("nataka kusukwa box braids kesho saa mbili usiku", "254712720022"),
    ("book box braids tomorrow at 8pm", "254712720023"),
])
def test_a_long_service_asked_for_near_closing_offers_the_latest_start_that_ends_in_time(conn, text, customer):
    """Box braids (4 hours) at 6pm in a salon closing at 7pm were booked as asked."""
    shop = make_salon(conn, SALON, minutes=240)  # open 7am-9pm every day
    booked = ask(conn, shop, text, customer=customer)
    at = _at(booked.order)
    assert at.date() == datetime.now(NAIROBI).date() + timedelta(days=1) and (at.hour, at.minute) == (17, 0)
    assert "17:00" in booked.reply and "20:00" in booked.reply and booked.order["status"] == "draft"


def _next(weekday: int) -> datetime:
    """The day a weekday said now means: the next one, or today when it is said before 5am (a customer writing
    "jumatatu saa nne" at 1am on a Monday means this morning)."""
    now = datetime.now(NAIROBI)
    return now.date() + timedelta(days=(weekday - now.weekday()) % 7 or (0 if now.hour < 5 else 7))


@pytest.mark.parametrize(("book", "change_time", "change_day", "yes", "ask_when", "move", "customer"), [
    ("nataka manicure Jumamosi saa nne", "badilisha iwe saa tano", "basi iwe Ijumaa", "ndio",
     "booking yangu ni saa ngapi?", "naeza badilisha iwe Jumanne saa tatu asubuhi?", "254712720031"),
    ("Book a manicure on Saturday at 10am", "can we do 11am instead?", "actually make it Friday, same time", "yes",
     "what time is my appointment?", "please move it to Tuesday at 9am", "254712720032"),
])
def test_a_booking_moves_when_the_customer_changes_the_time_or_day_before_and_after_confirming(
        conn, book, change_time, change_day, yes, ask_when, move, customer):
    """"badilisha iwe saa tano" about a Saturday booking was read as today (closed); "make it Friday same time" was
    ignored and the customer confirmed Saturday; after confirming, "booking yangu ni saa ngapi?" opened a new booking
    and "naeza badilisha iwe Jumanne saa tatu?" was "we don't have 'badilisha iwe'"."""
    shop = make_salon(conn, SALON, minutes=60)
    ask(conn, shop, book, customer=customer)
    moved = ask(conn, shop, change_time, customer=customer)
    assert (_at(moved.order).date(), _at(moved.order).hour) == (_next(5), 11)
    moved = ask(conn, shop, change_day, customer=customer)
    assert (_at(moved.order).date(), _at(moved.order).hour) == (_next(4), 11)
    confirmed = ask(conn, shop, yes, customer=customer)
    assert confirmed.intent == "order_confirm" and confirmed.order["status"] == "awaiting_payment"
    told = ask(conn, shop, ask_when, customer=customer)
    assert told.order["id"] == confirmed.order["id"] and "11:00" in told.reply
    again = ask(conn, shop, move, customer=customer)
    assert again.order["id"] == confirmed.order["id"]
    assert (_at(again.order).date(), _at(again.order).hour) == (_next(1), 9)
    n = conn.execute("SELECT count(*) AS n FROM orders WHERE business_id = %s", (shop["id"],)).fetchone()["n"]
    assert n == 1


def test_two_services_booked_together_take_both_their_times_before_closing(conn):
    """Knotless braids and a pedicure at 4pm: the latest start offered counted only the longest service, so the
    booking ran an hour past closing."""
    shop = make_salon(conn, SALON, minutes=180)  # open 7am-9pm; box braids and manicure 3 hours each
    booked = ask(conn, shop, "nataka box braids na manicure kesho saa kumi jioni", customer="254712720041")
    at = _at(booked.order)
    assert (at.hour, at.minute) == (15, 0) and "15:00" in booked.reply  # 6 hours end at 21:00 closing


def test_a_time_refused_before_opening_keeps_the_day_asked_for(conn):
    """"nataka manicure Jumamosi saa kumi na moja alfajiri" (5am, before opening), then "saa mbili basi": booked
    on the next day the salon opened, not on the Saturday asked for."""
    shop = make_salon(conn, SALON)
    c = "254712720042"
    first = ask(conn, shop, "nina harusi Jumamosi, nataka manicure saa kumi na moja alfajiri", customer=c)
    assert "Hatuna" not in first.reply  # the wedding is context, not a product asked for
    booked = ask(conn, shop, "saa mbili basi", customer=c)
    at = _at(booked.order)
    assert at.date() == _next(5) and (at.hour, at.minute) == (8, 0)


@pytest.mark.parametrize(("day_asked", "time_alone", "service", "customer"), [
    ("naweza kuja kesho saa moja jioni?", "saa kumi na mbili?", "manicure", "254712720051"),
    ("can I come tomorrow at 7pm?", "what about 6pm?", "a manicure please", "254712720052"),
])
def test_a_time_said_alone_after_a_day_was_asked_about_keeps_that_day(conn, day_asked, time_alone, service,
                                                                        customer):
    """"kesho saa moja jioni?" then "saa kumi na mbili?" was read as today, and booked the first service listed."""
    shop = make_salon(conn, SALON)
    assert ask(conn, shop, day_asked, customer=customer).intent == "booking_which"
    again = ask(conn, shop, time_alone, customer=customer)
    assert again.intent == "booking_which" and again.order is None  # no service was named yet
    booked = ask(conn, shop, service, customer=customer)
    at = _at(booked.order)
    assert [i["name"] for i in booked.order["items"]] == ["Manicure"]
    assert at.date() == datetime.now(NAIROBI).date() + timedelta(days=1) and (at.hour, at.minute) == (18, 0)


@pytest.mark.parametrize(("day_asked", "booked_at", "customer"), [
    ("mko open kesho saa moja jioni?", "nataka manicure saa kumi na mbili", "254712720053"),
    ("are you open tomorrow evening?", "book me a manicure at 6pm then", "254712720054"),
])
def test_a_booking_at_a_time_alone_is_on_the_day_asked_about_before(conn, day_asked, booked_at, customer):
    shop = make_salon(conn, SALON)
    ask(conn, shop, day_asked, customer=customer)
    at = _at(ask(conn, shop, booked_at, customer=customer).order)
    assert at.date() == datetime.now(NAIROBI).date() + timedelta(days=1) and (at.hour, at.minute) == (18, 0)
