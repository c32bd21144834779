"""A side question in the middle of a chat keeps its subject: "how long does it take?" about a service is its
length (never the delivery answer, never a booking), and after a question that named no product ("where are
you?") "na bei?" and "can I come tomorrow at 2pm?" still mean the service talked about before it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from mtaabot.devtools import demo
from mtaabot.orders.when import NAIROBI
from tests.engine.conftest import ask, make_shop

CATALOGUE = ("name,description,price,currency,is_available,metadata,is_service,duration_minutes\n"
             "Cornrows,Simple cornrows (mistari) with your own hair,800,KES,true,,true,90\n"
             "Pedicure,Foot soak and polish (kucha za miguu),700,KES,true,,true,60\n"
             "Manicure,Nail care and polish (kucha za mikono),500,KES,true,,true,45\n"
             "Hair Treatment,Deep conditioning treatment,1500,KES,true,,true,\n"
             "Hair Food 250ml,Hair food jar,350,KES,true,,false,\n")


@pytest.fixture
def salon(conn):
    return make_shop(conn, catalogue=CATALOGUE, opening_hours="Mon-Sun 7am-9pm")


@pytest.mark.parametrize(("asked", "how_long", "length", "aside", "price_q", "visit", "service", "hour", "customer"), [
    ("Niaje, cornrows ni ngapi?", "inachukua mda gani?", "saa 1 na dakika 30", "mko wapi?", "na bei?",
     "poa nitakam kesho saa nne", "Cornrows", 10, "254712300001"),
    ("Habari, mnafanya pedicure?", "itachukua muda gani?", "saa 1", "mnafunga saa ngapi?", "bei yake ni ngapi?",
     "naweza kuja kesho saa tatu asubuhi?", "Pedicure", 9, "254712300002"),
    ("How much is a manicure?", "how long does it take?", "45 minutes", "where are you located?", "how much?",
     "can I come tomorrow at 2pm?", "Manicure", 14, "254712300003"),
])
def test_how_long_a_service_takes_and_a_side_question_keep_the_service_for_the_booking(
        conn, salon, asked, how_long, length, aside, price_q, visit, service, hour, customer):
    """Before: "how long?" got the delivery answer (or opened a booking); after "where are you?", "na bei?" asked
    "which product?" and "can I come tomorrow at 2pm?" was "We don't have “can”"."""
    ask(conn, salon, asked, customer=customer)
    told = ask(conn, salon, how_long, customer=customer)
    assert service in told.reply and length in told.reply and told.order is None
    assert "deliver" not in told.reply.lower() and "kulet" not in told.reply.lower()
    ask(conn, salon, aside, customer=customer)
    price = ask(conn, salon, price_q, customer=customer)
    assert service in price.reply and price.products and price.products[0]["name"] == service
    booked = ask(conn, salon, visit, customer=customer)
    assert booked.intent == "booking" and [i["name"] for i in booked.order["items"]] == [service]
    at = datetime.fromisoformat(booked.order["booking_at"]).astimezone(NAIROBI)
    assert at.date() == datetime.now(NAIROBI).date() + timedelta(days=1) and (at.hour, at.minute) == (hour, 0)


@pytest.mark.parametrize(("asked", "how_long", "customer"), [
    ("Hair treatment ni how much?", "inachukua mda gani?", "254712300011"),
    ("Mnafanya hair treatment?", "itachukua muda gani?", "254712300012"),
    ("Do you do hair treatment?", "how long does it take?", "254712300013"),
])
def test_how_long_a_service_takes_goes_to_the_owner_when_the_catalogue_does_not_say(
        conn, salon, asked, how_long, customer):
    ask(conn, salon, asked, customer=customer)
    told = ask(conn, salon, how_long, customer=customer)
    assert told.escalated and "Hair Treatment" in told.reply and told.order is None
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s ORDER BY created_at DESC LIMIT 1",
                         (salon["id"],)).fetchone()
    assert alert is not None and "Hair Treatment" in alert["body"]


@pytest.mark.parametrize(("book", "move", "service", "customer"), [
    ("nibookie cornrows kesho", "poa keshokutwa saa tano", "Cornrows", "254712300021"),
    ("Nataka kupakwa pedicure kesho", "sawa keshokutwa saa tano", "Pedicure", "254712300022"),
    ("I'd like to book a manicure for tomorrow", "ok what about the day after tomorrow at 11am?", "Manicure",
     "254712300023"),
])
def test_ok_with_another_day_and_time_moves_the_booking_instead_of_confirming(conn, salon, book, move, service,
                                                                             customer):
    """"ok what about monday 11am?" was read as "ok" (a yes) and the bot asked again for a time on the first day."""
    first = ask(conn, salon, book, customer=customer)
    assert first.intent == "booking" and first.order["booking_at"] is None
    moved = ask(conn, salon, move, customer=customer)
    at = datetime.fromisoformat(moved.order["booking_at"]).astimezone(NAIROBI)
    assert [i["name"] for i in moved.order["items"]] == [service] and moved.order["status"] == "draft"
    assert at.date() == datetime.now(NAIROBI).date() + timedelta(days=2) and (at.hour, at.minute) == (11, 0)


@pytest.mark.parametrize(("asked", "tone", "book", "keep", "customer"), [
    ("Niaje, mnafanya manicure?", "rafiki", "kubook", "nikuwekee", "254712300021"),
    ("Habari, mnafanya pedicure?", "kazi", "miadi", "idadi", "254712300022"),
    ("Do you do manicure?", "kazi", "day and time", "quantity", "254712300023"),
])
def test_a_service_is_offered_as_a_booking_not_set_aside_or_counted(conn, asked, tone, book, keep, customer):
    """A salon's manicure ended with "Reply with the quantity to order" / "Ukitaka nikuwekee": a service is
    booked for a day and time."""
    shop = make_shop(conn, catalogue=CATALOGUE, opening_hours="Mon-Sun 7am-9pm", tone=tone)
    told = ask(conn, shop, asked, customer=customer)
    assert told.products and told.products[0]["name"] in ("Manicure", "Pedicure")
    assert book in told.reply.lower() and keep not in told.reply.lower()
    goods = ask(conn, shop, "hair food iko?" if customer[-1] != "3" else "do you have hair food?",
                customer=customer)
    assert goods.products[0]["name"] == "Hair Food 250ml" and book not in goods.reply.lower()


@pytest.mark.parametrize(("asked", "closed", "other_day", "customer"), [
    ("Niaje, nibook cornrows sunday", "hatuko wazi", "sawa jumatatu saa nne", "254712300031"),
    ("Nataka kupakwa manicure Jumapili", "hatufungui", "basi jumatatu saa nne asubuhi", "254712300032"),
    ("Can I book a pedicure on Sunday?", "closed on", "ok Monday at 10am then", "254712300033"),
])
def test_a_day_the_shop_is_shut_is_said_so_before_a_time_is_asked_for_it(conn, asked, closed, other_day, customer):
    """At a Mon-Sat salon "gel nails on sunday?" kept Sunday as the booking day and asked "What time on Sun?";
    whatever time came next was then refused."""
    shop = make_shop(conn, catalogue=CATALOGUE, opening_hours="Mon-Sat 8am-7pm")
    told = ask(conn, shop, asked, customer=customer)
    assert told.order is not None and told.order["status"] == "draft" and closed in told.reply.lower()
    assert "Mon-Sat 8am-7pm" in told.reply
    moved = ask(conn, shop, other_day, customer=customer)
    at = datetime.fromisoformat(moved.order["booking_at"]).astimezone(NAIROBI)
    assert (at.weekday(), at.hour, at.minute) == (0, 10, 0) and at > datetime.now(NAIROBI)


@pytest.mark.parametrize(("asked", "closed", "customer"), [
    ("Niaje, nibook manicure jumapili saa nne", "hatuko wazi", "254712300041"),
    ("Naomba pedicure Jumapili saa tatu asubuhi", "hatufungui", "254712300042"),
    ("Can I book a manicure on Sunday at 10am?", "closed on", "254712300043"),
])
def test_a_time_on_a_shut_day_asks_once_for_another_day(conn, asked, closed, customer):
    """A time on a Sunday at a Mon-Sat salon answered "not open Sun 10:00 ... Please pick another time" and then
    asked "Which day and time?": two requests, the first of them for another time on a day it is shut."""
    shop = make_shop(conn, catalogue=CATALOGUE, opening_hours="Mon-Sat 8am-7pm")
    told = ask(conn, shop, asked, customer=customer)
    low = told.reply.lower()
    assert told.order["booking_at"] is None and closed in low and "Mon-Sat 8am-7pm" in told.reply
    assert told.reply.count("?") == 1 and "saa nyingine" not in low and "another time" not in low


DESCRIBED = ("name,description,price,currency,is_available,metadata,is_service,duration_minutes\n"
             "Box Braids,Long box braids (kusuka nywele) with extensions included; takes about 4 hours,2500,KES,true,,"
             "true,\n"
             "Cornrows,Simple cornrows (mistari) with your own hair,800,KES,true,,true,\n"
             "Hair Food 250ml,Hair food jar,350,KES,true,,false,\n")


@pytest.mark.parametrize(("text", "length"), [
    ("box braids inachukua mda gani?", "saa 4"),
    ("Box braids huchukua muda gani?", "saa 4"),
    ("hey, how long do box braids take?", "4 hours"),
])
def test_how_long_asked_with_the_service_named_is_its_length_as_the_description_says(conn, text, length):
    """It was the price ("Box Braids is available at KES 2,500"): "how long?" counted only after the service was
    shown, and only a duration_minutes column, not "about 4 hours" in the description (the owner was asked)."""
    shop = make_shop(conn, catalogue=DESCRIBED, opening_hours="Mon-Sun 7am-9pm", tone="rafiki")
    told = ask(conn, shop, text)
    assert "Box Braids" in told.reply and length in told.reply and told.order is None and not told.escalated


def test_a_price_asked_beside_an_order_of_another_thing_is_answered_and_not_ordered(conn):
    """"Mafuta ya Elianto ni ngapi? Nipe tu unga 2 kwa sasa" was two bottles of oil and no flour (customer test
    s29b)."""
    shop = make_shop(conn)
    reply = ask(conn, shop, "Mafuta ya Elianto ni ngapi? Nipe tu unga jogoo 2 kwa sasa", "254717100091")
    assert {i["name"]: i["quantity"] for i in reply.order["items"]} == {"Jogoo Maize Flour 2kg": 2}, reply.reply
    assert "KES 390" in reply.reply, reply.reply


def test_a_price_asked_after_a_booking_is_said_and_not_booked(conn):
    """"Naweza book pedicure na manicure Tuesday 2pm, then nataka kujua bei ya wig" booked a KES 8,500 wig beside the
    nails (customer test s29b)."""
    salon = make_shop(conn, catalogue=demo.demo_catalogue()["Wanjiku Beauty Salon"], opening_hours="Mon-Sun 7am-9pm")
    reply = ask(conn, salon, "Hi! Naweza book pedicure na manicure Tuesday 2pm, then nataka kujua bei ya wig",
                "254717100092")
    assert {i["name"] for i in reply.order["items"]} == {"Manicure", "Pedicure"}, reply.reply
    assert "KES 8,500" in reply.reply, reply.reply
