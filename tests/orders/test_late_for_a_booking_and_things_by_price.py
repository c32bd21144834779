"""Running late for a confirmed booking ("tutachelewa kidogo kesho, nitafika saa kumi na moja na nusu", "we'll be
30 minutes late on Saturday") opened a second booking (once with an extra pedicure); now that booking moves to the
time said, or by the minutes said, and is said yes to again; late with no time keeps it and says so. A thing named
by its price ("ile simu ya 15.5k nipe moja", "ile ya 950 nipe mbili") was another phone or "not sold"; now it is the
one at that price. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_salon, make_shop, order_lines

SERVICES = """name,description,price,currency,is_available,metadata
Gel Polish Hands,Gel polish on the hands,650,KES,true,{}
Spa Pedicure,Pedicure with a foot soak,900,KES,true,{}
"""

GOODS = """name,description,price,currency,is_available,metadata
Itel A70 Phone,Smartphone (simu) 64GB,9800,KES,true,"{""category"": ""phones""}"
Oppo A18 Phone,Smartphone (simu) 128GB,15500,KES,true,"{""category"": ""phones""}"
Oraimo Charger 18W,USB-C charger (chaja),950,KES,true,"{""category"": ""accessories""}"
"""


def _bookings(conn, shop) -> list[dict]:
    return conn.execute("SELECT status, booking_at FROM orders WHERE business_id = %s ORDER BY created_at",
                        (shop["id"],)).fetchall()


@pytest.mark.parametrize(("book", "late", "hhmm", "customer"), [
    ("nataka gel polish hands kesho saa kumi", "tutachelewa kidogo kesho, nitafika saa kumi na moja na nusu", "17:30",
     "254719800001"),
    ("spa pedicure on saturday at 11am", "Hi, we'll be 30 minutes late on Saturday, is that ok?", "11:30",
     "254719800002"),
    # its state and price were the answer (customer test s30)
    ("spa pedicure on saturday at 11am", "Hi can I push my appointment by one hour?", "12:00", "254719800004"),
])
def test_late_moves_the_confirmed_booking(conn, book, late, hhmm, customer):
    salon = make_salon(conn, SERVICES, minutes=60)
    ask(conn, salon, book, customer)
    ask(conn, salon, "ndio", customer)
    result = ask(conn, salon, late, customer)
    rows = _bookings(conn, salon)
    assert len(rows) == 1, rows  # no second booking
    assert hhmm in result.reply, result.reply


def test_late_with_no_time_keeps_the_booking(conn):
    salon = make_salon(conn, SERVICES, minutes=60)
    customer = "254719800003"
    ask(conn, salon, "gel polish hands jumamosi saa tano", customer)
    ask(conn, salon, "ndio", customer)
    before = _bookings(conn, salon)
    result = ask(conn, salon, "nitachelewa kidogo", customer)
    assert _bookings(conn, salon) == before, result.reply
    assert "11:00" in result.reply, result.reply



@pytest.mark.parametrize(("text", "lines", "customer"), [
    ("ile simu ya 15.5k nipe moja", {("Oppo A18 Phone", None): 1}, "254719800004"),
    ("ile ya 950 nipe mbili", {("Oraimo Charger 18W", None): 2}, "254719800005"),
])
def test_a_thing_named_by_its_price(conn, text, lines, customer):
    shop = make_shop(conn, catalogue=GOODS)
    result = ask(conn, shop, text, customer)
    assert order_lines(result) == lines, result.reply


def test_pushing_a_booking_not_yet_confirmed_moves_it(conn):
    """"aki push by an hour, tutachelewa" before the yes was "we don't do that", and the yes then confirmed the old
    time (customer test s30b)."""
    salon = make_salon(conn, SERVICES, minutes=60)
    customer = "254719800005"
    ask(conn, salon, "spa pedicure on saturday at 11am", customer)
    result = ask(conn, salon, "aki push by an hour, tutachelewa", customer)
    assert "12:00" in result.reply, result.reply
