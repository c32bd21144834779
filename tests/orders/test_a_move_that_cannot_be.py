"""A confirmed booking asked to move to a time that cannot be stays confirmed where it was (owner test s26): it
went back to a draft at the latest start instead, dropped off the owner's list, and "acha ibaki saa nne kama mwanzo"
was "we don't do that". The time offered is taken by a yes."""

from __future__ import annotations

from tests.engine.conftest import ask, make_salon


def _booked(conn, salon, c):
    ask(conn, salon, "knotless braids kesho saa nne asubuhi", customer=c)
    return ask(conn, salon, "ndio", customer=c).order


def _row(conn, salon, number):
    return conn.execute("SELECT status, booking_at FROM orders WHERE business_id = %s AND number = %s",
                        (salon["id"], number)).fetchone()


def test_it_stays_and_no_keeps_it_and_yes_takes_the_time_offered(conn):
    salon = make_salon(conn, "name,price,category\nKnotless Braids,3500,Hair\n", minutes=360)
    booked = _booked(conn, salon, "254712900601")
    at = _row(conn, salon, booked["number"])["booking_at"]
    offered = ask(conn, salon, "naweza hamisha iwe saa kumi jioni?", customer="254712900601")
    row = _row(conn, salon, booked["number"])
    assert row["status"] == "awaiting_payment" and row["booking_at"] == at, offered.reply
    assert "NDIO" in offered.reply
    kept = ask(conn, salon, "hapana basi acha ibaki saa nne kama mwanzo", customer="254712900601")
    assert "hatu" not in kept.reply.lower() and _row(conn, salon, booked["number"])["booking_at"] == at, kept.reply

    other = _booked(conn, salon, "254712900602")
    ask(conn, salon, "naweza hamisha iwe saa kumi jioni?", customer="254712900602")
    moved = ask(conn, salon, "ndio", customer="254712900602")
    row = _row(conn, salon, other["number"])
    assert row["status"] == "awaiting_payment" and row["booking_at"] != at, moved.reply
