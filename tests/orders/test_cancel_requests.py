"""Asking to cancel with no open order: a paid order or booking goes to the owner (only they can give the money
back) and the customer is told so ("I want to cancel my order" is read as a complaint and handed over whole); with nothing paid the customer hears there is nothing open to cancel, never
"we don't have 'cancel'". Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from mtaabot.orders import store
from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Dettol Soap 175g,Antibacterial bathing soap,160,KES,true,{}
Omo 1kg,Washing powder,330,KES,true,{}
"""


def _alerts(conn, shop):
    return [r["body"] for r in conn.execute(
        "SELECT body FROM notifications WHERE business_id = %s ORDER BY created_at", (shop["id"],))]


@pytest.mark.parametrize(("cancel", "customer"), [
    ("naomba mkancel order yangu", "254715600001"),
    ("nataka kucancel oda yangu tafadhali", "254715600002"),
    ("Please cancel it, I changed my mind", "254715600003"),
])
def test_cancelling_a_paid_order_goes_to_the_owner(conn, cancel, customer):
    shop = make_shop(conn, catalogue=CATALOGUE)
    ask(conn, shop, "nataka omo 2", customer)
    confirmed = ask(conn, shop, "ndio", customer)
    store.set_status(conn, shop["id"], confirmed.order["id"], "paid", actor="mpesa")
    conn.commit()
    before = len(_alerts(conn, shop))
    reply = ask(conn, shop, cancel, customer)
    number = confirmed.order["number"]
    assert f"#{number}" in reply.reply and reply.intent == "order_cancel", reply.reply
    assert "hatuuzi" not in reply.reply.lower() and "don't have" not in reply.reply, reply.reply
    alerts = _alerts(conn, shop)[before:]
    assert len(alerts) == 1 and f"#{number}" in alerts[0] and "660" in alerts[0] and cancel in alerts[0], alerts
    status = conn.execute("SELECT status FROM orders WHERE id = %s", (confirmed.order["id"],)).fetchone()["status"]
    assert status == "paid"  # the owner decides; the bot never cancels money already received
    again = ask(conn, shop, cancel, customer)
    assert f"#{number}" in again.reply and len(_alerts(conn, shop)[before:]) == 1  # one alert for the same words


def test_cancelling_with_nothing_ordered_says_there_is_nothing_to_cancel(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, "I want to cancel my booking", "254715600010")
    assert reply.intent == "order_cancel" and "cancel" in reply.reply.lower(), reply.reply
    assert "don't have" not in reply.reply and "“" not in reply.reply, reply.reply


def test_a_complaint_about_a_cancelled_order_still_goes_to_the_owner(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, "Mlicancel order yangu bila kuniambia, hii ni mbaya sana!", "254715600020")
    assert reply.escalated and reply.intent != "order_cancel", reply
