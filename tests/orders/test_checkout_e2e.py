"""Orders end to end: signed webhook -> worker -> engine cart -> fake Graph reply -> "ndio" -> STK Push to the
shop's own till/paybill on the fake Daraja -> Daraja's callback into the real app -> order paid, stock
decremented, receipt to the customer, owner notified."""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from mtaabot.orders.checkout import set_payment_settings
from tests.fakes.fake_daraja import FakeDaraja
from tests.fakes.fake_graph import FakeGraph
from tests.orders.conftest import connected_shop
from tests.webhook.conftest import App, query, text_payload, wait_until

_ids = itertools.count(1)

DUKA = ("Maize flour 2kg,Unga wa ugali (Jogoo),210,KES,true,\n"
        "Sugar 1kg,Sukari (Kabras),190,KES,true,\n"
        "Cooking oil 1L,Mafuta ya kupika,380,KES,true,\n")
SALON = ("Box Braids,Long box braids (kusuka nywele) with extensions,2500,KES,true,\n"
         "Cornrows,Simple cornrows braiding,800,KES,true,\n"
         "Manicure,Nail care (kucha) and polish,600,KES,true,\n")
PHONES = ("Tecno Spark 20 128GB,Budget Android phone with big battery,15999,KES,true,\n"
          "Samsung Galaxy A15 128GB,Android smartphone 4GB RAM,18500,KES,true,\n"
          "Type-C Fast Charger 25W,Fast charger (chaja) with cable,1200,KES,true,\n")


class Chat:
    """One customer writing to one shop's number through the real webhook."""

    def __init__(self, app: App, graph: FakeGraph, phone_number_id: str, phone: str) -> None:
        self.app, self.graph, self.pnid, self.phone = app, graph, phone_number_id, phone

    def replies(self) -> list[str]:
        return [r.body["text"]["body"] for r in self.graph.sent
                if r.phone_number_id == self.pnid and r.body.get("to") == self.phone and r.body.get("type") == "text"]

    def say(self, text: str, *, expect: str | None = None, timeout: float = 60) -> str:
        before = len(self.replies())
        resp = self.app.post_webhook(text_payload(text, wamid=f"wamid.order.{next(_ids)}", phone=self.phone,
                                                  phone_number_id=self.pnid))
        assert resp.status_code == 200
        got = wait_until(lambda: len(self.replies()) > before and
                         (expect is None or any(re.search(expect, r) for r in self.replies()[before:])), timeout)
        assert got, f"no reply matching {expect!r} to {text!r}; replies: {self.replies()[before:]}"
        return self.replies()[-1]

    def wait_reply(self, pattern: str, timeout: float = 30) -> str:
        found = wait_until(lambda: next((r for r in self.replies() if re.search(pattern, r)), None), timeout)
        assert found, f"no reply matching {pattern!r}; replies: {self.replies()}"
        return found


def _order(db_url: str, business_id: Any) -> dict[str, Any]:
    rows = query(db_url, "SELECT * FROM orders WHERE business_id = %s AND status <> 'draft' ORDER BY created_at DESC",
                 (business_id,))
    assert rows, "no confirmed order"
    return rows[0]


def _push_answer_stored(db_url: str, checkout: str) -> None:
    """Safaricom answers the push before its callback; wait until MtaaBot has stored that answer, so the callback
    is applied at once (a callback that overtakes it is kept and applied later: tests/orders/test_payment_callbacks.py)."""
    assert wait_until(lambda: query(db_url, "SELECT 1 FROM order_payments WHERE mpesa_checkout_id = %s",
                                    (checkout,)), 30), "the push's answer was never stored"


def _pay(daraja: FakeDaraja, db_url: str, shop: dict[str, Any], *, amount: int, party_b: str, kind: str,
         account: str | None = None) -> dict[str, Any]:
    push = wait_until(lambda: next(iter(daraja.pushes.items()), None) if daraja.pushes else None, 30)
    assert push, "no STK push reached M-Pesa"
    checkout, body = push
    assert body["Amount"] == amount and str(body["PartyB"]) == party_b and body["TransactionType"] == kind
    if account:
        assert body["AccountReference"] == account
    _push_answer_stored(db_url, checkout)
    answer = daraja.send_callback(checkout, 0, receipt="SLK4H7TQ2Z")
    assert answer.status_code == 200 and answer.json()["ResultCode"] == 0
    assert wait_until(lambda: _order(db_url, shop["id"])["status"] == "paid", 30)
    return _order(db_url, shop["id"])


def _owner_notes(db_url: str, shop: dict[str, Any]) -> list[str]:
    return [r["kind"] for r in query(db_url, "SELECT kind FROM notifications WHERE business_id = %s ORDER BY created_at",
                                     (shop["id"],))]


def test_sheng_duka_order_paid_to_the_shops_till(conn: psycopg.Connection, db_url: str, app: App, graph: FakeGraph,
                                                 daraja: FakeDaraja, worker: Any) -> None:
    shop = connected_shop(conn, name="Mama Njeri Duka", tone="mtaa", phone_number_id="1001", number="0711000201",
                          catalogue=DUKA)
    conn.execute("UPDATE products SET stock = 10 WHERE business_id = %s AND name = 'Sugar 1kg'", (shop["id"],))
    set_payment_settings(conn, shop["id"], till="5123456")
    conn.commit()
    chat = Chat(app, graph, "1001", "254722000301")
    summary = chat.say("Niaje boss, nitumie unga mbili na sukari kilo", expect="KES 610")
    assert "2 × Maize flour 2kg @ KES 210 = KES 420" in summary and "1 × Sugar 1kg @ KES 190 = KES 190" in summary
    chat.say("ndio", expect="M-Pesa")
    order = _order(db_url, shop["id"])
    assert order["status"] == "awaiting_payment" and order["total_kes"] == 610
    paid = _pay(daraja, db_url, shop, amount=610, party_b="5123456", kind="CustomerBuyGoodsOnline")
    assert paid["mpesa_receipt_number"] == "SLK4H7TQ2Z" and paid["paid_amount_kes"] == 610
    assert chat.wait_reply(r"SLK4H7TQ2Z") and "KES 610" in chat.wait_reply(r"SLK4H7TQ2Z")
    stock = query(db_url, "SELECT stock FROM products WHERE business_id = %s AND name = 'Sugar 1kg'", (shop["id"],))
    assert stock[0]["stock"] == 9
    assert "order" in _owner_notes(db_url, shop) and "order_paid" in _owner_notes(db_url, shop)


def test_swahili_salon_booking_on_saturday_paid_by_mpesa(conn: psycopg.Connection, db_url: str, app: App,
                                                         graph: FakeGraph, daraja: FakeDaraja, worker: Any) -> None:
    shop = connected_shop(conn, name="Wanjiku Salon", tone="rafiki", phone_number_id="1002", number="0711000202",
                          catalogue=SALON, opening_hours="Mon-Sat 8am-7pm")
    conn.execute("UPDATE products SET is_service = true, duration_minutes = 240 WHERE business_id = %s", (shop["id"],))
    set_payment_settings(conn, shop["id"], till="7654321")
    conn.commit()
    chat = Chat(app, graph, "1002", "254722000302")
    summary = chat.say("Habari, nataka kusukwa box braids Jumamosi saa nne", expect="KES 2,500")
    assert "Box Braids" in summary and "Sat" in summary and "10:00" in summary
    booking = query(db_url, "SELECT * FROM orders WHERE business_id = %s", (shop["id"],))[0]
    at = booking["booking_at"].astimezone(ZoneInfo("Africa/Nairobi"))
    assert booking["kind"] == "booking" and at.weekday() == 5 and (at.hour, at.minute) == (10, 0)
    assert at > datetime.now(ZoneInfo("Africa/Nairobi")) and booking["booking_minutes"] == 240
    chat.say("Ndiyo", expect="M-Pesa")
    _pay(daraja, db_url, shop, amount=2500, party_b="7654321", kind="CustomerBuyGoodsOnline")
    assert chat.wait_reply("SLK4H7TQ2Z")
    assert {"order", "order_paid"} <= set(_owner_notes(db_url, shop))


def test_english_phone_shop_order_to_a_paybill_and_a_failed_prompt_retried(
        conn: psycopg.Connection, db_url: str, app: App, graph: FakeGraph, daraja: FakeDaraja, worker: Any) -> None:
    shop = connected_shop(conn, name="Simu Poa Electronics", tone="kazi", phone_number_id="1003",
                          number="0711000203", catalogue=PHONES)
    set_payment_settings(conn, shop["id"], paybill="400200", account="SIMUPOA")
    conn.commit()
    chat = Chat(app, graph, "1003", "254722000303")
    summary = chat.say("Hi, I'd like to order two Tecno Spark 20 please", expect="KES 31,998")
    assert "2 × Tecno Spark 20 128GB @ KES 15,999" in summary
    chat.say("yes", expect="M-Pesa prompt")
    first = wait_until(lambda: list(daraja.pushes.items()), 30)
    checkout, body = first[0]
    assert body["Amount"] == 31998 and body["TransactionType"] == "CustomerPayBillOnline"
    assert str(body["PartyB"]) == "400200" and body["AccountReference"] == "SIMUPOA"
    _push_answer_stored(db_url, checkout)
    assert daraja.send_callback(checkout, 1032).status_code == 200  # the customer cancelled the prompt
    chat.wait_reply(r"did not go through.*cancelled")
    assert _order(db_url, shop["id"])["status"] == "payment_failed"
    daraja.pushes.clear()
    chat.say("pay again", expect="M-Pesa prompt")
    paid = _pay(daraja, db_url, shop, amount=31998, party_b="400200", kind="CustomerPayBillOnline",
                account="SIMUPOA")
    assert paid["paid_amount_kes"] == 31998
    chat.wait_reply("SLK4H7TQ2Z")
    receipts = [r for r in chat.replies() if "SLK4H7TQ2Z" in r]
    assert len(receipts) == 1
