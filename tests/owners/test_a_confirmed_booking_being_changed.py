"""A confirmed booking the customer changes goes back to a draft until their yes; the owner still sees it in BOOKINGS
and ORDERS, marked as being changed (it vanished from both; customer test s28). Naming what stays after taking one
service out adds nothing ("ondoa pedicure ..., nitafanya manicure na braids tu" added Box Braids, KES 6,500 for 4,000,
and moved the time)."""

from __future__ import annotations

from datetime import datetime

from mtaabot.devtools import demo
from mtaabot.orders.when import NAIROBI
from tests.engine.conftest import ask
from tests.owners.conftest import shop_with_owner

OWNER = "254712955000"
CUSTOMER = "254712955001"


def test_a_booking_being_changed_stays_in_the_owner_s_lists_and_keeps_what_stays(conn, monkeypatch):
    shop = shop_with_owner(conn, monkeypatch, OWNER, catalogue=demo.demo_catalogue()["Wanjiku Beauty Salon"])
    ask(conn, shop, "nataka knotless braids, pedicure na manicure ijumaa saa sita", customer=CUSTOMER)
    assert ask(conn, shop, "ndio", customer=CUSTOMER).order["status"] == "awaiting_payment"
    changed = ask(conn, shop, "ondoa pedicure kwa booking yangu ya ijumaa, nitafanya manicure na braids tu",
                  customer=CUSTOMER)
    assert sorted(i["name"] for i in changed.order["items"]) == ["Knotless Braids", "Manicure"], changed.reply
    assert "12:00" in changed.reply, changed.reply
    day = datetime.fromisoformat(changed.order["booking_at"]).astimezone(NAIROBI).strftime("%d %b")
    listed = ask(conn, shop, f"BOOKINGS {day}", customer=OWNER).reply
    assert f"#{changed.order['number']}" in listed and "being changed" in listed, listed
    orders = ask(conn, shop, "ORDERS", customer=OWNER).reply
    assert f"#{changed.order['number']}" in orders and "being changed" in orders, orders
    assert ask(conn, shop, "ndio", customer=CUSTOMER).order["status"] == "awaiting_payment"
    assert "being changed" not in ask(conn, shop, f"BOOKINGS {day}", customer=OWNER).reply
