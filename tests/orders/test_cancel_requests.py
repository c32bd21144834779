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


@pytest.mark.parametrize(("back", "customer"), [
    ("sorry nilikosea, nataka order hiyo", "254715600031"),
    ("oh wait I changed my mind, I want my order back", "254715600032"),
    # a complaint alert for the owner (customer test s30)
    ("aki sorry nilikuwa najoke, bado nataka", "254715600033"),
    ("sorry I was joking, I still want it", "254715600034"),
])
def test_an_order_cancelled_by_mistake_comes_back_whole(conn, back, customer):
    shop = make_shop(conn, catalogue=CATALOGUE)
    ask(conn, shop, "nataka omo 2 na dettol soap 3", customer)
    ask(conn, shop, "cancel", customer)
    again = ask(conn, shop, back, customer)
    assert again.order is not None and again.order["status"] == "draft" and not again.escalated, again.reply
    assert {i["name"]: i["quantity"] for i in again.order["items"]} == {"Omo 1kg": 2, "Dettol Soap 175g": 3}
    assert "KES 1,140" in again.reply, again.reply  # 2 x 330 + 3 x 160
    yes = ask(conn, shop, "ndio", customer)
    assert yes.order["status"] == "awaiting_payment" and yes.order["total"] == 1140, yes.reply


def test_asking_about_the_order_just_cancelled_does_not_bring_it_back(conn):
    """"order yangu iko aje?" just after cancelling made it a draft again (customer test s28b)."""
    shop = make_shop(conn, catalogue=CATALOGUE)
    ask(conn, shop, "nataka omo 2", "254715600034")
    ask(conn, shop, "cancel", "254715600034")
    asked = ask(conn, shop, "order yangu iko aje?", "254715600034")
    assert asked.order is None or asked.order["status"] == "cancelled", asked.reply


def test_a_new_item_after_a_cancel_is_a_new_order(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254715600033"
    ask(conn, shop, "nataka omo 2", customer)
    ask(conn, shop, "cancel", customer)
    again = ask(conn, shop, "nipe dettol soap moja", customer)
    assert {i["name"]: i["quantity"] for i in again.order["items"]} == {"Dettol Soap 175g": 1}, again.reply


def test_an_item_sold_out_since_the_cancel_is_said_and_the_rest_comes_back(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254715600034"
    ask(conn, shop, "nataka omo 2 na dettol soap 3", customer)
    ask(conn, shop, "cancel", customer)
    conn.execute("UPDATE products SET is_available = false WHERE business_id = %s AND name = 'Omo 1kg'", (shop["id"],))
    conn.commit()
    again = ask(conn, shop, "sorry nilikosea, nataka order hiyo", customer)
    assert {i["name"]: i["quantity"] for i in again.order["items"]} == {"Dettol Soap 175g": 3}, again.reply
    assert "Omo 1kg" in again.reply, again.reply  # said to be sold out
