"""What a customer says about a booking already made: a service added to it, when it ends, and moving it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.engine.conftest import ask, make_salon

NAIROBI = ZoneInfo("Africa/Nairobi")
SALON = ("name,description,price,currency,is_available,metadata\n"
         "Manicure,Nail care (kucha za mikono) and polish,500,KES,true,\n"
         "Pedicure,Foot soak and polish (kucha za miguu),700,KES,true,\n")


def _salon(conn):
    """Open 7am-9pm every day; a manicure takes an hour, a pedicure 45 minutes."""
    shop = make_salon(conn, SALON, minutes=60)
    conn.execute("UPDATE products SET duration_minutes = 45 WHERE business_id = %s AND name = 'Pedicure'",
                 (shop["id"],))
    conn.commit()
    return shop


def _at(order) -> datetime:
    return datetime.fromisoformat(order["booking_at"]).astimezone(NAIROBI)


def _tomorrow() -> datetime:
    return datetime.now(NAIROBI).date() + timedelta(days=1)


def _confirmed_then(conn, book: str, then: str, customer: str, yes: str = "ndio"):
    """A new salon; the customer books `book`, says `yes`, then `then`: (shop, the confirmation, the answer)."""
    shop = _salon(conn)
    ask(conn, shop, book, customer=customer)
    confirmed = ask(conn, shop, yes, customer=customer)
    return shop, confirmed, ask(conn, shop, then, customer=customer)


def _orders(conn, shop) -> int:
    return conn.execute("SELECT count(*) AS n FROM orders WHERE business_id = %s", (shop["id"],)).fetchone()["n"]


@pytest.mark.parametrize(("book", "yes", "add", "customer"), [
    ("nataka manicure kesho saa mbili usiku", "ndio", "ongeza pedicure pia", "254712730001"),
    ("Book a manicure tomorrow at 8pm", "yes", "add a pedicure too", "254712730002"),
])
def test_a_service_added_to_a_confirmed_booking_joins_it_and_its_time_is_checked_again(conn, book, yes, add,
                                                                                        customer):
    """"ongeza pedicure pia" after the manicure was confirmed opened a second booking (asking for a day again) and the
    owner never heard the first one changed."""
    shop = _salon(conn)
    ask(conn, shop, book, customer=customer)
    confirmed = ask(conn, shop, yes, customer=customer)
    assert confirmed.order["status"] == "awaiting_payment"
    added = ask(conn, shop, add, customer=customer)
    assert added.order["id"] == confirmed.order["id"] and _orders(conn, shop) == 1
    assert [i["name"] for i in added.order["items"]] == ["Manicure", "Pedicure"] and added.order["total"] == 1200
    # 8pm + 1h45 ends after 9pm closing: the latest start that still ends in time is offered
    at = _at(added.order)
    assert at.date() == _tomorrow() and (at.hour, at.minute) == (19, 0) and "19:00" in added.reply
    again = ask(conn, shop, yes, customer=customer)
    assert again.order["status"] == "awaiting_payment" and again.order["id"] == confirmed.order["id"]
    told = [r["body"] for r in conn.execute(
        "SELECT body FROM notifications WHERE business_id = %s AND kind = 'order' ORDER BY created_at",
        (shop["id"],)).fetchall()]
    assert len(told) == 2 and "Pedicure" not in told[0]
    assert "Pedicure" in told[1] and "Manicure" in told[1] and "19:00" in told[1]


@pytest.mark.parametrize(("ends", "customer"), [
    ("itaisha saa ngapi?", "254712730011"),
    ("what time will it end?", "254712730012"),
    ("itachukua muda gani?", "254712730013"),
])
def test_when_a_booking_of_two_services_ends_counts_both(conn, ends, customer):
    """"itaisha saa ngapi?" after a manicure and a pedicure were booked answered the manicure's 45 minutes (or the
    start time): services booked together take the sum of their times."""
    shop = _salon(conn)
    ask(conn, shop, "nataka manicure na pedicure kesho saa nne", customer=customer)
    before = ask(conn, shop, ends, customer=customer)
    assert "11:45" in before.reply and before.order["status"] == "draft"
    ask(conn, shop, "ndio", customer=customer)
    after = ask(conn, shop, ends, customer=customer)
    assert "10:00" in after.reply and "11:45" in after.reply and after.order["status"] == "awaiting_payment"


@pytest.mark.parametrize(("book", "move", "hour", "minute", "customer"), [
    ("nataka manicure kesho saa nne", "naweza kuisogeza mpaka saa sita?", 12, 0, "254712730021"),
    ("Book a manicure tomorrow at 10am", "can we move it to 12?", 12, 0, "254712730022"),
    ("Book a manicure tomorrow at 6pm", "6:30 then?", 18, 30, "254712730023"),
])
def test_a_confirmed_booking_moves_to_the_time_said(conn, book, move, hour, minute, customer):
    """"can we move it to 12?" went to the owner as haggling, "naweza kuisogeza mpaka saa sita?" got the delivery
    answer, and "6:30 then?" was not read at all."""
    shop, confirmed, moved = _confirmed_then(conn, book, move, customer)
    assert not moved.escalated and moved.order["id"] == confirmed.order["id"] and _orders(conn, shop) == 1
    at = _at(moved.order)
    assert at.date() == _tomorrow() and (at.hour, at.minute) == (hour, minute)
    assert moved.order["status"] == "awaiting_payment"  # still confirmed: no second yes to lose it (s25)


@pytest.mark.parametrize(("move", "customer"), [("6:30 then?", "254712730031"), ("what about 6:30?", "254712730032")])
def test_a_time_with_minutes_alone_moves_a_booking_not_yet_confirmed(conn, move, customer):
    shop = _salon(conn)
    ask(conn, shop, "Book a manicure tomorrow at 6pm", customer=customer)
    at = _at(ask(conn, shop, move, customer=customer).order)
    assert at.date() == _tomorrow() and (at.hour, at.minute) == (18, 30)


@pytest.mark.parametrize(("move", "customer"), [("basi kesho same time", "254712730041"),
                                                ("same time tomorrow?", "254712730042")])
def test_same_time_another_day_moves_a_confirmed_booking_to_that_day(conn, move, customer):
    _, confirmed, moved = _confirmed_then(conn, "nataka manicure keshokutwa saa nne", move, customer)
    at = _at(moved.order)
    assert moved.order["id"] == confirmed.order["id"] and at.date() == _tomorrow() and (at.hour, at.minute) == (10, 0)


def _next(weekday: int):
    """The day a weekday said now means: the next one, or today when it is said before 5am (a customer writing
    "jumatatu saa nne" at 1am on a Monday means this morning)."""
    now = datetime.now(NAIROBI)
    return now.date() + timedelta(days=(weekday - now.weekday()) % 7 or (0 if now.hour < 5 else 7))


@pytest.mark.parametrize(("asked", "book", "customer"), [
    ("how much are manicure and pedicure?", "book both for wednesday 4pm", "254712730051"),
    ("manicure na pedicure ni bei gani?", "sawa nibookie zote mbili jumatano saa kumi", "254712730052"),
])
def test_both_services_just_priced_are_booked_together(conn, asked, book, customer):
    """"book both for wednesday 6pm" after the bot priced a manicure and a pedicure was "We don't have 'both'"."""
    shop = _salon(conn)
    assert ask(conn, shop, asked, customer=customer).intent == "product"
    booked = ask(conn, shop, book, customer=customer)
    assert sorted(i["name"] for i in booked.order["items"]) == ["Manicure", "Pedicure"] and booked.order["total"] == 1200
    at = _at(booked.order)
    assert at.date() == _next(2) and (at.hour, at.minute) == (16, 0)


@pytest.mark.parametrize(("book", "other_day", "customer"), [
    ("nataka manicure jumapili saa nne", "basi jumatatu same time", "254712730061"),
    ("can I book a manicure on sunday at 10am?", "ok monday, same time", "254712730062"),
])
def test_same_time_on_another_day_after_a_closed_day_is_the_time_asked_before(conn, book, other_day, customer):
    """Sunday was refused (closed), and "basi jumatatu same time" asked again what time on Monday."""
    shop = _salon(conn)
    conn.execute("UPDATE businesses SET opening_hours = 'Mon-Sat 7am-9pm' WHERE id = %s", (shop["id"],))
    conn.commit()
    assert ask(conn, shop, book, customer=customer).order["booking_at"] is None
    at = _at(ask(conn, shop, other_day, customer=customer).order)
    assert at.date() == _next(0) and (at.hour, at.minute) == (10, 0)


@pytest.mark.parametrize(("move", "customer"), [("can we move it to 6am?", "254712730071"),
                                                ("naweza kuisogeza mpaka saa kumi na mbili alfajiri?", "254712730072")])
def test_a_confirmed_booking_asked_to_move_to_a_closed_time_stays_confirmed(conn, move, customer):
    """Moving it to a time the salon is shut took the confirmed booking back to an unconfirmed one, at its old time."""
    _, confirmed, refused = _confirmed_then(conn, "Book a manicure tomorrow at 10am", move, customer, yes="yes")
    assert refused.order["status"] == "awaiting_payment" and refused.order["booking_at"] == confirmed.order["booking_at"]
    assert "10:00" in refused.reply


def test_moved_and_a_service_added_in_another_sentence(conn):
    """"Aki kesho siwezi, tufanye Friday saa nane mchana. Pia niongeze pedicure" moved the booking and dropped the
    pedicure (customer test s29b): both now, at the new time."""
    shop = _salon(conn)
    customer = "254711500901"
    ask(conn, shop, "Nataka manicure kesho saa nne", customer=customer)
    moved = ask(conn, shop, "Aki kesho siwezi, tufanye kesho kutwa saa nane mchana. Pia niongeze pedicure",
                customer=customer)
    assert {i["name"] for i in moved.order["items"]} == {"Manicure", "Pedicure"}, moved.reply
    assert _at(moved.order).date() == _tomorrow() + timedelta(days=1) and _at(moved.order).hour == 14, moved.reply


def test_a_deposit_promised_after_the_yes_is_how_to_pay(conn):
    """"nitatuma deposit ya 500 sasa" after the booking's yes was a greeting and "we don't do that here" (customer test
    s30): where to pay, and what is owed."""
    from mtaabot.orders.checkout import set_payment_settings

    shop = _salon(conn)
    set_payment_settings(conn, shop["id"], till="5123456")
    conn.commit()
    customer = "254711500902"
    ask(conn, shop, "Nataka manicure kesho saa nne", customer=customer)
    ask(conn, shop, "ndio", customer=customer)
    reply = ask(conn, shop, "nitatuma deposit ya 500 sasa", customer=customer)
    assert "5123456" in reply.reply and "KES 500" in reply.reply and "hatufanyi" not in reply.reply, reply.reply


def test_coming_now_to_which_day_and_time_is_now(conn):
    """"sawa nakuja sasa" to "which day and time?" was asked the same again (customer test s30): the next quarter
    hour, or, out of hours, when the shop opens."""
    from tests.engine.conftest import make_shop

    shop = make_shop(conn, catalogue="name,description,price,currency,is_available,metadata\n"
                                     "SIM Card Replacement,New SIM with your ID,100,KES,true,{}\n",
                     opening_hours="Daily 0:00-23:59")
    conn.execute("UPDATE products SET is_service = true, duration_minutes = 15 WHERE business_id = %s", (shop["id"],))
    conn.commit()
    customer = "254711500903"
    first = ask(conn, shop, "Nataka kureplace sim card yangu, niko na ID", customer=customer)
    assert first.order is not None and first.order["booking_at"] is None, first.reply
    now = ask(conn, shop, "sawa nakuja sasa", customer=customer)
    assert now.order["booking_at"] is not None or "saa nyingine" in now.reply, now.reply


def test_how_long_asked_with_the_booking_is_answered_beside_it(conn):
    """"Nataka kureplace sim card yangu ..., niko na ID. Inachukua muda gani?" booked it and left the question
    unanswered (customer test s30)."""
    shop = _salon(conn)
    reply = ask(conn, shop, "Nataka pedicure kesho saa nne, niko na ratiba ya kazi. Inachukua muda gani?",
                customer="254711500904")
    assert reply.order is not None and "dakika 45" in reply.reply, reply.reply


@pytest.mark.parametrize(("then", "customer"), [("tusonge booking yangu saa tano badala ya saa nne", "254712730091"),
                                                ("tusonge booking yangu saa tano", "254712730092")])
def test_moved_to_the_time_said_not_the_one_it_replaces(conn, then, customer):
    """"tusonge booking yangu saa tano badala ya saa nne" made the confirmed booking a draft at 10am, the time it
    replaced; "tusonge ..." alone was its state (owner test s30). Now it moves to 11am and stays confirmed."""
    shop, confirmed, moved = _confirmed_then(conn, "nataka manicure kesho saa nne asubuhi", then, customer)
    assert moved.order["status"] == "awaiting_payment", moved.reply
    assert _at(moved.order).hour == 11 and _at(moved.order).date() == _tomorrow(), moved.reply


@pytest.mark.parametrize(("then", "customer"), [("pia ongeza phone cover kwa hiyo booking", "254712730093"),
                                                ("sawa, pia ongeza phone cover", "254712730094")])
def test_a_thing_added_to_the_booking_leaves_what_was_booked_as_it_was(conn, then, customer):
    """"pia ongeza phone cover kwa hiyo booking" and "sawa, pia ongeza phone cover" after a screen repair booking made
    it two repairs (KES 6,000 and 6,500, the cover missing in one; owner test s31): "hiyo booking" names the booking and
    "sawa" is no yes to the repair again."""
    from mtaabot.devtools.demo import demo_catalogue
    from tests.orders.conftest import till_shop

    # the phone shop's own catalogue, where "hiyo" found the repair again
    shop = till_shop(conn, demo_catalogue()["Simu Poa Electronics"])
    ask(conn, shop, "nataka kubook screen repair jumamosi saa tatu", customer=customer)
    ask(conn, shop, "ndio", customer=customer)
    added = ask(conn, shop, then, customer=customer)
    lines = {i["name"]: i["quantity"] for i in added.order["items"]}
    assert lines == {"Phone Screen Repair": 1, "Phone Cover": 1}, added.reply


def test_closing_time_asked_after_the_yes_and_a_service_swapped(conn):
    """"great, what time do you close?" after the yes was the booking's own time, and "can I change my booking from
    gel nails to manicure?" its state (owner test s31)."""
    shop, confirmed, hours = _confirmed_then(conn, "book a manicure tomorrow at 11am", "great, what time do you close?",
                                             "254712730095", yes="yes")
    assert "7am-9pm" in hours.reply or "21:00" in hours.reply or "9pm" in hours.reply, hours.reply
    swapped = ask(conn, shop, "can I change my booking from manicure to pedicure?", customer="254712730095")
    assert {i["name"] for i in swapped.order["items"]} == {"Pedicure"}, swapped.reply
    assert swapped.order["number"] == confirmed.order["number"]
