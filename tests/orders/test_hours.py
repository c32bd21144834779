"""Opening hours as shops write them, and bookings checked against them (Africa/Nairobi time)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mtaabot.hours import parse_opening_hours
from tests.engine.conftest import ask, make_shop

NAIROBI = ZoneInfo("Africa/Nairobi")
SAT_10 = datetime(2026, 12, 5, 10, 0, tzinfo=NAIROBI)  # a Saturday
SUN_10 = datetime(2026, 12, 6, 10, 0, tzinfo=NAIROBI)
MON_7 = datetime(2026, 12, 7, 7, 0, tzinfo=NAIROBI)
MON_20 = datetime(2026, 12, 7, 20, 30, tzinfo=NAIROBI)


@pytest.mark.parametrize(("text", "open_at", "closed_at"), [
    ("Mon-Sat 8am-7pm", [SAT_10], [SUN_10, MON_7, MON_20]),
    ("Mon-Sun 6:30am-10pm", [SAT_10, SUN_10, MON_7, MON_20], []),
    ("Mon-Fri 8am-6pm, Sat 9am-1pm, Sun closed", [SAT_10], [SUN_10, MON_7, MON_20]),
    ("Jumatatu-Jumamosi saa moja asubuhi hadi saa tatu usiku", [SAT_10, MON_7, MON_20], [SUN_10]),
    ("kila siku 08:00-18:00", [SAT_10, SUN_10], [MON_7, MON_20]),
])
def test_opening_hours_in_english_and_swahili(text, open_at, closed_at):
    schedule = parse_opening_hours(text)
    assert all(schedule.is_open(t) for t in open_at) and not any(schedule.is_open(t) for t in closed_at)


def test_when_the_shop_next_opens_and_unreadable_hours():
    schedule = parse_opening_hours("Mon-Sat 8am-7pm")
    assert schedule.next_open(SUN_10) == datetime(2026, 12, 7, 8, 0, tzinfo=NAIROBI)
    assert schedule.next_open(SAT_10) == SAT_10
    assert parse_opening_hours("call us") is None and parse_opening_hours(None) is None


SALON = ("name,description,price,currency,is_available,metadata\n"
         "Box Braids,Long box braids (kusuka nywele),2500,KES,true,\n"
         "Manicure,Nail care (kucha) and polish,500,KES,true,\n")


def test_a_booking_outside_opening_hours_is_refused_with_the_hours(conn):
    shop = make_shop(conn, catalogue=SALON, opening_hours="Mon-Sat 8am-7pm", tone="rafiki")
    conn.execute("UPDATE products SET is_service = true, duration_minutes = 60 WHERE business_id = %s", (shop["id"],))
    conn.commit()
    c = "254712700001"
    sunday = ask(conn, shop, "Nataka kupakwa kucha manicure Jumapili saa nne", customer=c)
    assert "Mon-Sat 8am-7pm" in sunday.reply and sunday.order["booking_at"] is None
    saturday = ask(conn, shop, "Basi Jumamosi saa nne", customer=c)
    at = datetime.fromisoformat(saturday.order["booking_at"]).astimezone(NAIROBI)
    assert (at.weekday(), at.hour) == (5, 10) and "NDIO" in saturday.reply


@pytest.mark.parametrize(("first", "then", "price_q", "yes", "asks", "customer"), [
    ("Hi, I want to book box braids for Saturday", "around 10am", "how much is it?", "ok yes",
     "What time on Sat", "254712700011"),
    ("Niaje, nataka kusukwa box braids jumamosi", "saa nne asubuhi", "bei gani?", "poa", "saa ngapi", "254712700012"),
    ("Ningependa kusukwa box braids Jumamosi", "saa nne asubuhi", "ni ngapi?", "ndio", "saa ngapi", "254712700013"),
])
def test_a_day_said_first_holds_when_the_time_comes_and_the_booking_is_confirmed_as_a_booking(
        conn, monkeypatch, first, then, price_q, yes, asks, customer):
    """"Book me for Saturday" ... "around 10am" is Saturday at 10 (it was the next 10am, often Sunday, refused as
    closed); "how much is it?" then is the booking's price, and the confirmation names the booking and its time."""
    for name in ("MPESA_CONSUMER_KEY", "MPESA_CONSUMER_SECRET", "MPESA_PASSKEY", "MPESA_CALLBACK_URL"):
        monkeypatch.delenv(name, raising=False)
    from mtaabot.orders.checkout import set_payment_settings

    shop = make_shop(conn, catalogue=SALON, opening_hours="Mon-Sat 8am-7pm", tone="rafiki")
    conn.execute("UPDATE products SET is_service = true, duration_minutes = 60 WHERE business_id = %s", (shop["id"],))
    set_payment_settings(conn, shop["id"], till="5123456")
    conn.commit()
    asked = ask(conn, shop, first, customer=customer)
    assert asks in asked.reply and "Sat " in asked.reply and asked.order["booking_at"] is None
    timed = ask(conn, shop, then, customer=customer)
    at = datetime.fromisoformat(timed.order["booking_at"]).astimezone(NAIROBI)
    assert (at.weekday(), at.hour) == (5, 10) and "hatuko wazi" not in timed.reply and "not open" not in timed.reply
    price = ask(conn, shop, price_q, customer=customer)
    assert price.intent == "order_summary" and "KES 2,500" in price.reply
    done = ask(conn, shop, yes, customer=customer)
    assert done.intent == "order_confirm" and done.reply.startswith(("Booking #", "Miadi #"))
    assert at.strftime("%a %d %b 10:00") in done.reply and "Till 5123456" in done.reply


def test_a_full_slot_offers_the_next_free_time_and_a_shop_without_a_capacity_takes_every_booking(conn):
    """Three customers all got Sat 10:00 at a one-chair salon; with its capacity set, the second is offered
    the next free start (the first booking lasts an hour) and can move it by saying another time."""
    shop = make_shop(conn, catalogue=SALON, opening_hours="Mon-Sat 8am-7pm", tone="rafiki")
    conn.execute("UPDATE products SET is_service = true, duration_minutes = 60 WHERE business_id = %s", (shop["id"],))
    conn.execute("UPDATE businesses SET booking_capacity = 1 WHERE id = %s", (shop["id"],))
    conn.commit()
    shop = conn.execute("SELECT * FROM businesses WHERE id = %s", (shop["id"],)).fetchone()

    def at(result) -> tuple[int, int, int]:
        t = datetime.fromisoformat(result.order["booking_at"]).astimezone(NAIROBI)
        return t.weekday(), t.hour, t.minute

    first = ask(conn, shop, "Nataka box braids Jumamosi saa nne asubuhi", customer="254712700021")
    assert at(first) == (5, 10, 0)
    assert ask(conn, shop, "ndio", customer="254712700021").intent == "order_confirm"
    second = ask(conn, shop, "I'd like to book box braids on Saturday at 10am", customer="254712700022")
    assert "already booked" in second.reply and at(second) == (5, 11, 0) and "11:00" in second.reply
    moved = ask(conn, shop, "can I come at 2pm instead?", customer="254712700022")
    assert at(moved) == (5, 14, 0) and "YES" in moved.reply
    assert ask(conn, shop, "yes", customer="254712700022").intent == "order_confirm"

    other = make_shop(conn, catalogue=SALON, opening_hours="Mon-Sat 8am-7pm", tone="rafiki")
    conn.execute("UPDATE products SET is_service = true, duration_minutes = 60 WHERE business_id = %s", (other["id"],))
    conn.commit()
    for c in ("254712700031", "254712700032"):
        booked = ask(conn, other, "Nataka box braids Jumamosi saa nne asubuhi", customer=c)
        assert at(booked) == (5, 10, 0) and "imeshachukuliwa" not in booked.reply
        assert ask(conn, other, "ndio", customer=c).intent == "order_confirm"


@pytest.mark.parametrize(("asked", "visit", "customer"), [
    ("Mna manicure?", "sawa nitakuja jumatatu saa nne", "254712700041"),
    ("Do you do manicure?", "ok I'll come on Monday at 10am", "254712700042"),
])
def test_saying_when_you_will_come_after_a_service_was_named_books_it(conn, asked, visit, customer):
    """It was "Sawa, karibu tena" (an acknowledgement) and nothing was booked."""
    shop = make_shop(conn, catalogue=SALON, opening_hours="Mon-Sat 8am-7pm", tone="rafiki")
    conn.execute("UPDATE products SET is_service = true, duration_minutes = 60 WHERE business_id = %s", (shop["id"],))
    conn.commit()
    ask(conn, shop, asked, customer=customer)
    booked = ask(conn, shop, visit, customer=customer)
    at = datetime.fromisoformat(booked.order["booking_at"]).astimezone(NAIROBI)
    assert booked.intent == "booking" and [i["name"] for i in booked.order["items"]] == ["Manicure"]
    assert (at.weekday(), at.hour) == (0, 10) and booked.order["items"][0]["quantity"] == 1


def test_saying_when_you_will_come_for_a_named_service_books_it_without_a_question_first(conn):
    shop = make_shop(conn, catalogue=SALON, opening_hours="Mon-Sat 8am-7pm", tone="rafiki")
    conn.execute("UPDATE products SET is_service = true, duration_minutes = 60 WHERE business_id = %s", (shop["id"],))
    conn.commit()
    booked = ask(conn, shop, "Nitakuja Jumamosi saa nne nifanyiwe manicure", customer="254712700051")
    at = datetime.fromisoformat(booked.order["booking_at"]).astimezone(NAIROBI)
    assert booked.intent == "booking" and [i["name"] for i in booked.order["items"]] == ["Manicure"]
    assert (at.weekday(), at.hour) == (5, 10)


GROCER = ("name,description,price,currency,is_available,metadata\n"
          "Maize Flour 2kg,Sifted maize meal (unga),190,KES,true,\n"
          "Sugar 1kg,White sugar (sukari),180,KES,true,\n")


@pytest.mark.parametrize(("text", "asks"), [
    ("niko free kesho, naeza kuja saa nne?", "ni huduma gani"),
    ("Naweza kuja kesho saa nne asubuhi?", "huduma gani"),
    ("can I come tomorrow at 10?", "which service"),
])
def test_a_booking_that_names_no_service_asks_which_listing_the_services(conn, text, asks):
    """It was "Hatuna 'naeza' hapa" or "we don't sell that": "kuja", "naeza" and the hour were searched for."""
    shop = make_shop(conn, catalogue=SALON, opening_hours="Mon-Sat 8am-7pm", tone="rafiki")
    conn.execute("UPDATE products SET is_service = true, duration_minutes = 60 WHERE business_id = %s", (shop["id"],))
    conn.commit()
    result = ask(conn, shop, text)
    assert asks in result.reply.lower() and "Box Braids" in result.reply and "Manicure" in result.reply
    assert "hatuna" not in result.reply.lower() and "don't" not in result.reply and not result.escalated


@pytest.mark.parametrize("text", ["niko free kesho, naeza kuja saa nne?", "Naweza kuja kesho saa nne asubuhi?",
                                  "can I come tomorrow at 10?"])
def test_a_visit_to_a_shop_of_goods_is_told_where_and_when_it_is_open(conn, text):
    shop = make_shop(conn, catalogue=GROCER, opening_hours="Mon-Sun 7am-9pm", location="Kangemi, next to the stage")
    result = ask(conn, shop, text)
    assert "Mon-Sun 7am-9pm" in result.reply and "Kangemi" in result.reply and "hatuna" not in result.reply.lower()
