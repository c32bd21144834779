"""With two orders open, a cancel is of the one the customer names (owner test s26): "cancel ile order ya kwanza ya
AF1" cancelled the Superstar order just paid for, the owner could not bring it back and both were told "no such
order". An order the customer says they paid is never cancelled by the bot: the owner holds the money."""

from __future__ import annotations

import pytest

from mtaabot.devtools import demo
from tests.engine.conftest import ask, make_shop


@pytest.fixture
def kicks(conn):
    return make_shop(conn, catalogue=demo.demo_catalogue()["Kicks Kona"], tone="rafiki")


def _two_orders(conn, shop, c):
    first = ask(conn, shop, "AF1 size 43 moja", c)
    ask(conn, shop, "ndio", c)
    ask(conn, shop, "superstar size 42 moja", c)
    second = ask(conn, shop, "ndio", c)
    return first.order["number"], second.order["number"]


def _status(conn, shop, number) -> str:
    return conn.execute("SELECT status FROM orders WHERE business_id = %s AND number = %s",
                        (shop["id"], number)).fetchone()["status"]


def test_the_order_named_by_what_it_holds_is_cancelled_and_one_said_paid_goes_to_the_owner(conn, kicks):
    c = "254712700001"
    af1, superstar = _two_orders(conn, kicks, c)
    ask(conn, kicks, "nimelipa 3200 code SLX1AB2CD3", c)
    paid = ask(conn, kicks, "cancel ile order ya pili, sitaki tena", c)
    assert _status(conn, kicks, superstar) == "awaiting_payment" and "mwenye duka" in paid.reply, paid.reply
    alert = conn.execute("SELECT body FROM owner_alerts WHERE business_id = %s ORDER BY created_at DESC LIMIT 1",
                         (kicks["id"],)).fetchone()
    assert alert is not None and f"#{superstar}" in alert["body"]
    done = ask(conn, kicks, "cancel ile order ya kwanza ya AF1, sitaki tena", c)
    assert _status(conn, kicks, af1) == "cancelled" and f"#{af1}" in done.reply, done.reply
    assert _status(conn, kicks, superstar) == "awaiting_payment"


def test_a_cancel_that_names_no_order_asks_which_and_the_answer_cancels_that_one(conn, kicks):
    c = "254712700002"
    af1, superstar = _two_orders(conn, kicks, c)
    which = ask(conn, kicks, "cancel order, sitaki", c)
    assert f"#{af1}" in which.reply and f"#{superstar}" in which.reply, which.reply
    assert _status(conn, kicks, af1) == _status(conn, kicks, superstar) == "awaiting_payment"
    ask(conn, kicks, f"#{superstar}", c)
    assert _status(conn, kicks, superstar) == "cancelled" and _status(conn, kicks, af1) == "awaiting_payment"


def test_a_payment_for_an_order_just_cancelled_is_that_order_s_for_the_owner_to_refund(conn):
    """"nimetuma 14800 code RFT56YHU89 sorry nilikuwa nimeshatuma before cancelling" was "no order found", and the owner
    was told "there is no order of theirs in MtaaBot" (customer test s27)."""
    shop = make_shop(conn)
    c = "254712610091"
    ask(conn, shop, "nataka gesi moja", c)
    ask(conn, shop, "ndio", c)
    number = ask(conn, shop, "cancel it please", c).order["number"]
    paid = ask(conn, shop, "nimetuma 1250 code RFT56YHU89 sorry nilikuwa nimeshatuma before cancelling", c)
    assert f"#{number}" in paid.reply and "KES 1,250" in paid.reply, paid.reply
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'payment' "
                         "ORDER BY created_at DESC LIMIT 1", (shop["id"],)).fetchone()["body"]
    assert f"#{number}" in alert and "RFT56YHU89" in alert and "no order of theirs" not in alert, alert
