"""Part of an order's money received (a deposit, a first part in cash or on M-Pesa): the owner records it from
WhatsApp (THIBITISHA 32 200), the customer hears what is left, and the order is paid when the rest comes. Before,
the owner could only mark the whole order paid ("THIBITISHA 32 yote") or leave it as if nothing had been paid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import psycopg

from mtaabot.owners.registry import add_trusted_owner
from tests.engine.conftest import ask, make_salon
from tests.fakes.fake_daraja import FakeDaraja
from tests.fakes.fake_graph import FakeGraph
from tests.orders.conftest import connected_shop, daraja  # noqa: F401  (fixture)
from tests.owners.test_owner_order_money import (
    CUSTOMER,
    OWNER,
    by_number,
    confirmed,
    last_notification,
    last_to_customer,
    order_of,
    owned_shop,
    phone_order_prompt_cancelled,
)
from tests.webhook.conftest import App, query, wait_until


def test_a_part_is_recorded_the_customer_hears_the_rest_and_the_rest_pays_the_order(conn, monkeypatch):
    shop = owned_shop(conn, monkeypatch)
    ask(conn, shop, "nataka gesi mbili", customer=CUSTOMER)
    ask(conn, shop, "ndio", customer=CUSTOMER)
    n = order_of(conn, shop)["number"]  # 2 x 1,250
    ask(conn, shop, "nimetuma 1000 kwanza, code QHT5X9Y2ZB", customer=CUSTOMER)
    whole = ask(conn, shop, f"THIBITISHA {n}", customer=OWNER)
    assert f"THIBITISHA {n} 1000" in whole.reply and order_of(conn, shop)["paid_amount_kes"] is None
    part = ask(conn, shop, f"THIBITISHA {n} 1000", customer=OWNER)
    assert "KES 1,000" in part.reply and "Baki KES 1,500" in part.reply, part.reply
    order = order_of(conn, shop)
    assert order["status"] == "awaiting_payment" and order["paid_amount_kes"] == Decimal(1000)
    told = last_to_customer(conn, shop)
    assert "amepokea KES 1,000" in told and "baki ni KES 1,500" in told, told
    assert "amelipa KES 1,000, baki KES 1,500" in ask(conn, shop, f"ODA {n}", customer=OWNER).reply
    assert "baki ni KES 1,500" in ask(conn, shop, "oda yangu iko aje?", customer=CUSTOMER).reply
    rest = ask(conn, shop, "nimetuma 1500 code QHT5X9Y3ZC", customer=CUSTOMER)
    assert "KES 1,500" in rest.reply, rest.reply
    alert = conn.execute("""SELECT body FROM owner_alerts WHERE business_id = %s AND kind = 'payment'
                            ORDER BY created_at DESC LIMIT 1""", (shop["id"],)).fetchone()["body"]
    assert "KES 1,500" in alert and "si kiasi" not in alert, alert  # the rest is what is due now
    done = ask(conn, shop, f"THIBITISHA {n}", customer=OWNER)  # no "yote" asked: the claim covers the rest
    order = order_of(conn, shop)
    assert order["status"] == "paid" and order["paid_amount_kes"] == Decimal(2500), done.reply
    assert "KES 2,500" in last_to_customer(conn, shop)


def test_said_in_words_an_amount_covering_the_rest_pays_and_a_cancel_refunds_the_part(conn, monkeypatch):
    shop = owned_shop(conn, monkeypatch)
    ask(conn, shop, "nataka gesi mbili", customer=CUSTOMER)
    ask(conn, shop, "ndio", customer=CUSTOMER)
    n = order_of(conn, shop)["number"]
    ask(conn, shop, f"oda {n} imelipwa 500 cash", customer=OWNER)
    assert order_of(conn, shop)["paid_amount_kes"] == Decimal(500)
    ask(conn, shop, f"CONFIRM {n} 1.5k", customer=OWNER)
    assert order_of(conn, shop)["paid_amount_kes"] == Decimal(2000)
    assert order_of(conn, shop)["status"] == "awaiting_payment"
    kept = ask(conn, shop, "cancel hiyo order, sitaki tena", customer=CUSTOMER)
    assert order_of(conn, shop)["status"] == "awaiting_payment", kept.reply  # money held: the owner decides
    alert = conn.execute("""SELECT body FROM owner_alerts WHERE business_id = %s AND kind = 'order'
                            ORDER BY created_at DESC LIMIT 1""", (shop["id"],)).fetchone()["body"]
    assert "KES 2,500," in alert and "paid) KES 2,000" in alert, alert  # not "paid 2,500, refund it"
    cancelled = ask(conn, shop, f"GHAIRI {n}", customer=OWNER)
    assert "KES 2,000" in cancelled.reply and "mrudishie" in cancelled.reply, cancelled.reply
    assert "KES 2,000" in last_to_customer(conn, shop)
    ask(conn, shop, "nataka gesi moja", customer=CUSTOMER)
    ask(conn, shop, "ndio", customer=CUSTOMER)
    m = order_of(conn, shop)["number"]
    ask(conn, shop, f"THIBITISHA {m} 1250", customer=OWNER)  # the whole amount named: simply paid
    assert order_of(conn, shop)["status"] == "paid"


def test_a_booking_deposit_stays_a_booking_waiting_for_the_rest(conn, monkeypatch):
    monkeypatch.setenv("MTAABOT_OWNER_QUIET_HOURS", "off")
    salon = make_salon(conn, "name,price,category\nBox Braids,2500,Hair\n")
    add_trusted_owner(conn, salon["id"], OWNER)
    conn.commit()
    ask(conn, salon, "book box braids kesho saa nne asubuhi", customer=CUSTOMER)
    ask(conn, salon, "ndio", customer=CUSTOMER)
    booking = order_of(conn, salon)
    assert booking["status"] == "awaiting_payment", booking
    ask(conn, salon, f"confirm {booking['number']} deposit 500", customer=OWNER)
    after = order_of(conn, salon)
    assert after["status"] == "awaiting_payment" and after["booking_at"] == booking["booking_at"]
    assert "KES 2,000" in last_to_customer(conn, salon)
    assert "amelipa KES 500, baki KES 2,000" in ask(conn, salon, "MIADI kesho", customer=OWNER).reply


def test_the_next_m_pesa_prompt_asks_only_for_what_is_left(
        conn: psycopg.Connection, db_url: str, app: App, graph: FakeGraph, daraja: FakeDaraja, worker: Any,  # noqa: F811
        monkeypatch) -> None:
    """Over WhatsApp end to end: the prompt for KES 18,500 is cancelled, the customer pays 5,000 at the counter and
    the owner records it; the customer asks for the prompt again and M-Pesa asks for 13,500; once it is paid the
    order is paid in full."""
    chat, owner, number = phone_order_prompt_cancelled(
        conn, db_url, app, graph, daraja, monkeypatch, phone_number_id="1005", number="0711000205",
        customer="254722000306", asked="I'd like a Samsung Galaxy A15 please")
    owner.say(f"CONFIRM {number} 5000", expect=r"KES 13,500 left")
    chat.wait_reply(r"KES 13,500 is left")
    chat.say("please send the mpesa prompt again", expect=r"KES 13,500")
    push = wait_until(lambda: list(daraja.pushes.items()), 30)
    checkout, body = push[0]
    assert body["Amount"] == 13500
    wait_until(lambda: query(db_url, "SELECT 1 FROM order_payments WHERE mpesa_checkout_id = %s", (checkout,)), 30)
    assert daraja.send_callback(checkout, 0).status_code == 200
    paid = wait_until(lambda: query(db_url, """SELECT status, paid_amount_kes FROM orders WHERE number = %s
                                               AND status = 'paid'""", (number,)), 30)
    assert paid and paid[0]["paid_amount_kes"] == Decimal(18500)


def test_a_customer_paying_in_two_parts_hears_the_rest_and_a_code_sent_twice_counts_once(conn, monkeypatch):
    """"nitamalizia iliyobaki jioni" was a complaint (the chat handed to the owner, the second part then unanswered),
    "nimeongeza 310 code …" was "we don't sell that", and the same code sent again alerted the owner a second time
    with no warning (customer test s27)."""
    shop = owned_shop(conn, monkeypatch)
    ask(conn, shop, "nataka gesi mbili", customer=CUSTOMER)
    ask(conn, shop, "ndio", customer=CUSTOMER)
    n = order_of(conn, shop)["number"]  # KES 2,500
    ask(conn, shop, "nimetuma 1000 code QHT5X9Y2ZB", customer=CUSTOMER)
    later = ask(conn, shop, "nitamalizia iliyobaki jioni", customer=CUSTOMER)
    assert not later.escalated and "KES 1,500" in later.reply, later.reply
    rest = ask(conn, shop, "nimeongeza 1500 code QHT5X9Y3ZC", customer=CUSTOMER)
    assert rest.intent == "payment_claim" and "KES 2,500" in rest.reply, rest.reply  # the two together: all of it
    alerts = lambda: conn.execute("""SELECT body FROM owner_alerts WHERE business_id = %s AND kind = 'payment'
                                     ORDER BY created_at""", (shop["id"],)).fetchall()  # noqa: E731
    assert len(alerts()) == 2 and "KES 2,500" in alerts()[-1]["body"], alerts()
    again = ask(conn, shop, "nimetuma 1000 code QHT5X9Y2ZB", customer=CUSTOMER)
    assert "QHT5X9Y2ZB" in again.reply and len(alerts()) == 2, again.reply
    listed = ask(conn, shop, "ODA", customer=OWNER).reply
    assert "KES 1,500 (M-Pesa QHT5X9Y3ZC)" in listed, listed
    done = ask(conn, shop, f"THIBITISHA {n}", customer=OWNER)  # the claims cover the order: no "yote" asked
    assert order_of(conn, shop)["status"] == "paid", done.reply


def test_more_added_after_a_part_goes_on_the_same_order_and_the_rest_grows(conn, monkeypatch):
    """"ongeza unga moja kwa hiyo order" after the owner received KES 200 of 360 was a new order "because #12 is paid"
    (it was not), the part paid counted for neither (owner test s30)."""
    shop = owned_shop(conn, monkeypatch)
    n = confirmed(conn, shop, "nataka sukari mbili")
    ask(conn, shop, f"THIBITISHA {n} 200", customer=OWNER)
    more = ask(conn, shop, "ongeza unga moja kwa hiyo order", customer=CUSTOMER)
    order = order_of(conn, shop)
    assert order["number"] == n and order["status"] == "awaiting_payment", more.reply
    assert order["total_kes"] == 570 and order["paid_amount_kes"] == 200
    assert "KES 370" in more.reply, more.reply
    alert = last_notification(conn, shop)
    assert f"#{n}" in alert and "570" in alert, alert


def test_a_deposit_for_the_booking_named_by_its_service_and_day(conn, monkeypatch):
    """"huyo wa box braids jumamosi ametuma deposit 500" with two box braids bookings asked "which?"; "nimepokea 1000
    ya booking ya box braids ya ijumaa" got the help (owner test s30): the day says which."""
    monkeypatch.setenv("MTAABOT_OWNER_QUIET_HOURS", "off")
    salon = make_salon(conn, "name,price,category\nBox Braids,2500,Hair\n")
    add_trusted_owner(conn, salon["id"], OWNER)
    conn.commit()
    ask(conn, salon, "book box braids jumamosi saa nne asubuhi", customer=CUSTOMER)
    saturday = ask(conn, salon, "ndio", customer=CUSTOMER).order["number"]
    other = "254712900499"
    ask(conn, salon, "book box braids ijumaa saa nne asubuhi", customer=other)
    friday = ask(conn, salon, "ndio", customer=other).order["number"]
    ask(conn, salon, "huyo wa box braids jumamosi ametuma deposit 500", customer=OWNER)
    ask(conn, salon, "nimepokea 1000 ya booking ya box braids ya ijumaa", customer=OWNER)
    assert by_number(conn, salon, "paid_amount_kes") == {saturday: 500, friday: 1000}


def test_a_paid_order_is_shown_paid_in_full_where_orders_are_listed(conn, monkeypatch):
    """`orders list --json` (and the REST API) showed every paid order with 0 paid and its whole total due (owner test
    s31)."""
    from mtaabot.orders.store import get_order, order_view

    shop = owned_shop(conn, monkeypatch)
    n = confirmed(conn, shop, "nataka sukari mbili")
    ask(conn, shop, f"THIBITISHA {n} 200", customer=OWNER)
    part = order_view(conn, get_order(conn, shop["id"], n))
    assert part["paid_so_far"] == 200 and part["balance_due"] == part["total"] - 200, part
    ask(conn, shop, f"THIBITISHA {n}", customer=OWNER)
    paid = order_view(conn, get_order(conn, shop["id"], n))
    assert paid["status"] == "paid" and paid["paid_so_far"] == paid["total"] and paid["balance_due"] == 0, paid


def test_an_agreed_price_that_what_was_received_covers_pays_the_order(conn, monkeypatch):
    """The owner received 48,000 of a 52,000 phone, then agreed 48,000 (ODA n BEI): the customer was told "KES 0 left,
    pay to the Paybill" and the order stayed waiting for payment (owner test s31b)."""
    shop = owned_shop(conn, monkeypatch)
    ask(conn, shop, "nataka gesi mbili", customer=CUSTOMER)
    order = ask(conn, shop, "ndio", customer=CUSTOMER).order
    n, each = order["number"], order["items"][0]["unit_price"]
    ask(conn, shop, f"THIBITISHA {n} {each * 2 - 100:.0f}", customer=OWNER)
    ask(conn, shop, f"ODA {n} BEI {each - 50:.0f}", customer=OWNER)
    assert order_of(conn, shop)["status"] == "paid"
    assert "imelipwa yote" in last_to_customer(conn, shop)


def test_a_part_the_owner_recorded_is_never_said_to_be_the_customer_s_word(conn, monkeypatch):
    """After the owner recorded a deposit and then set a delivery cost, the customer read "Ulisema umetuma KES 2,000"
    (owner test s31b): they had said nothing."""
    from mtaabot.orders.checkout import set_payment_settings

    shop = owned_shop(conn, monkeypatch)
    set_payment_settings(conn, shop["id"], till="5123456")
    conn.commit()
    ask(conn, shop, "nataka gesi moja, niletee Kangemi", customer=CUSTOMER)
    n = ask(conn, shop, "ndio", customer=CUSTOMER).order["number"]
    ask(conn, shop, f"THIBITISHA {n} 500", customer=OWNER)
    ask(conn, shop, f"ODA {n} DELIVERY 100", customer=OWNER)
    told = last_to_customer(conn, shop)
    assert "Umeshalipa KES 500" in told and "Ulisema" not in told, told


def test_an_amount_corrected_by_the_customer_replaces_the_claim_instead_of_adding_to_it(conn, monkeypatch):
    # "nimelipa 420" then "sorry nimelipa 400 si 420": "Kwa jumla umetuma KES 820" and the owner saw 820 of 420
    # (tester s32)
    shop = owned_shop(conn, monkeypatch)
    n = confirmed(conn, shop, "nataka gesi mbili")  # 2 x 1,250
    ask(conn, shop, "nimetuma 2300", customer=CUSTOMER)
    fixed = ask(conn, shop, "sorry nimetuma 2000 si 2300", customer=CUSTOMER)
    assert "KES 2,000" in fixed.reply and "KES 4,300" not in fixed.reply, fixed.reply
    assert "KES 500" in fixed.reply  # what is left of the 2,500
    told = last_notification(conn, shop)
    assert f"#{n}" in told and "KES 2,000" in told and "KES 2,300" in told and "4,300" not in told, told
    listed = ask(conn, shop, "ODA", customer=OWNER).reply
    assert "KES 2,000" in listed and "malipo 1 mengine" not in listed, listed


def test_a_part_paid_order_changed_by_the_customer_keeps_the_part_and_asks_for_the_rest(conn, monkeypatch):
    # "toa unga" after the owner recorded a deposit opened a second order (tester s32)
    shop = owned_shop(conn, monkeypatch)
    n = confirmed(conn, shop, "nataka sukari mbili na unga moja")  # 360 + 210
    ask(conn, shop, f"THIBITISHA {n} 300", customer=OWNER)
    changed = ask(conn, shop, "toa unga zote, sukari iwe 3", customer=CUSTOMER)
    assert changed.order["number"] == n and changed.order["total"] == 540, changed.reply
    yes = ask(conn, shop, "ndio", customer=CUSTOMER)
    assert yes.order["number"] == n and yes.order["balance_due"] == 240, yes.reply
    assert by_number(conn, shop, "status") == {n: "awaiting_payment"}


def test_a_part_claimed_tells_the_owner_the_command_for_that_part(conn, monkeypatch):
    # the alert offered "THIBITISHA n yote" or JIBU, not the command that records the part (tester s32)
    shop = owned_shop(conn, monkeypatch)
    n = confirmed(conn, shop, "nataka gesi mbili")  # 2 x 1,250
    ask(conn, shop, "nimetuma 1000 kwanza", customer=CUSTOMER)
    alert = last_notification(conn, shop)
    assert f"THIBITISHA {n} 1000" in alert, alert
    part = ask(conn, shop, f"THIBITISHA {n} 1000", customer=OWNER)
    assert "Baki KES 1,500" in part.reply, part.reply


def test_a_part_recorded_wrongly_is_corrected_or_taken_off_and_a_negative_amount_refused(conn, monkeypatch):
    # "THIBITISHA 20 -50" added 50; "nimekosea oda 13, alilipa 200 sio 300" got the help; "oda 20 haijalipwa"
    # changed nothing (tester s32b)
    shop = owned_shop(conn, monkeypatch)
    n = confirmed(conn, shop, "nataka gesi mbili")  # 2 x 1,250
    ask(conn, shop, f"THIBITISHA {n} 1000", customer=OWNER)
    refused = ask(conn, shop, f"THIBITISHA {n} -500", customer=OWNER)
    assert "Hakuna kilichobadilika" in refused.reply and order_of(conn, shop)["paid_amount_kes"] == 1000
    fixed = ask(conn, shop, f"nimekosea oda {n}, alilipa 800 sio 1000", customer=OWNER)
    assert order_of(conn, shop)["paid_amount_kes"] == 800 and "KES 1,700" in fixed.reply, fixed.reply
    assert "KES 800" in last_to_customer(conn, shop) and "KES 1,700" in last_to_customer(conn, shop)
    kept = ask(conn, shop, f"oda {n} haijalipwa", customer=OWNER)  # may mean the rest: the part stays, the way is said
    assert order_of(conn, shop)["paid_amount_kes"] == 800 and f"oda {n} haijalipwa 800" in kept.reply, kept.reply
    ask(conn, shop, f"oda {n} haijalipwa 800", customer=OWNER)
    assert order_of(conn, shop)["paid_amount_kes"] is None
    assert "bado hayajapokelewa" in last_to_customer(conn, shop) and "KES 2,500" in last_to_customer(conn, shop)


def test_a_customer_cancelling_a_part_paid_order_reaches_the_owner_about_the_money(conn, monkeypatch):
    # "nimeamua kughairi oda yangu, nirudishie pesa yangu" got the order's status; the owner heard nothing (s32b)
    shop = owned_shop(conn, monkeypatch)
    n = confirmed(conn, shop, "nataka gesi moja")
    ask(conn, shop, f"THIBITISHA {n} 500", customer=OWNER)
    asked = ask(conn, shop, "nimeamua kughairi oda yangu, nirudishie pesa yangu", customer=CUSTOMER)
    assert asked.intent == "order_cancel", asked.reply
    alert = last_notification(conn, shop)
    assert f"#{n}" in alert and "KES 500" in alert, alert


def test_money_received_from_an_order_said_with_kutoka_kwa(conn, monkeypatch):
    # "nimepokea 300 kutoka kwa oda 19" was read as stock of a product (tester s32b)
    shop = owned_shop(conn, monkeypatch)
    n = confirmed(conn, shop, "nataka gesi moja")
    got = ask(conn, shop, f"nimepokea 300 kutoka kwa oda {n}", customer=OWNER)
    assert order_of(conn, shop)["paid_amount_kes"] == 300, got.reply


def test_a_changed_part_paid_order_says_what_is_left_once(conn, monkeypatch):
    # "Umeshalipa KES 800 kati ya KES 1,060; baki ni KES 260." and then "Umeshalipa KES 800: baki ni KES 260, lipa
    # kwa Till" in one message (tester s32, s32b)
    from mtaabot.orders.checkout import set_payment_settings

    shop = owned_shop(conn, monkeypatch)
    set_payment_settings(conn, shop["id"], till="5123456")
    conn.commit()
    n = confirmed(conn, shop, "nataka sukari mbili na unga moja")
    ask(conn, shop, f"THIBITISHA {n} 300", customer=OWNER)
    ask(conn, shop, f"oda {n} sukari iwe 3", customer=OWNER)
    told = last_to_customer(conn, shop)
    assert told.count("KES 450") == 1 and told.count("KES 300") == 1, told
