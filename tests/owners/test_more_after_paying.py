"""More for an order paid, or said to be paid, is a new order that goes with it (customer test s28): "aki ongeza royco
moja kwa order yangu" while the payment was checked got the payment's status and nothing was added; "ongeza pia
sukari 2 kwa hiyo order" after the owner confirmed payment became a separate pickup order, nothing said, and the
owner's alert did not link it to the delivery."""

from __future__ import annotations

from tests.engine.conftest import ask
from tests.owners.conftest import shop_with_owner

OWNER = "254700000791"


def test_more_while_the_payment_is_checked_is_a_new_order_to_the_same_place(conn, monkeypatch):
    shop = shop_with_owner(conn, monkeypatch, OWNER)
    c = "254712930001"
    ask(conn, shop, "nataka mchele moja, mniletee Zimmerman", c)
    first = ask(conn, shop, "ndio", c).order
    ask(conn, shop, "nimetuma 250 code QWA12RTY01", c)
    more = ask(conn, shop, "aki ongeza maziwa mbili kwa order yangu", c)
    assert more.order is not None and more.order["number"] != first["number"], more.reply
    assert [i["name"] for i in more.order["items"]] == ["Brookside Fresh Milk 500ml"], more.reply
    assert more.order["delivery_location"] == "Zimmerman" and f"#{first['number']}" in more.reply, more.reply


def test_more_after_the_owner_confirmed_payment_goes_with_the_paid_order(conn, monkeypatch):
    shop = shop_with_owner(conn, monkeypatch, OWNER)
    c = "254712930002"
    ask(conn, shop, "nataka mchele moja, mniletee Zimmerman", c)
    first = ask(conn, shop, "ndio", c).order
    ask(conn, shop, f"THIBITISHA {first['number']}", OWNER)
    more = ask(conn, shop, "ongeza pia maziwa 2 kwa hiyo order", c)
    assert more.order["delivery_location"] == "Zimmerman" and f"#{first['number']}" in more.reply, more.reply
    ask(conn, shop, "ndio", c)
    alert = conn.execute("SELECT body FROM owner_alerts WHERE business_id = %s ORDER BY created_at DESC LIMIT 1",
                         (shop["id"],)).fetchone()["body"]
    assert f"#{first['number']}" in alert and "Zimmerman" in alert, alert


def test_more_that_rides_with_a_delivery_brings_no_second_delivery_cost(conn, monkeypatch):
    """"aii nimesahau, ongeza royco moja kwa hiyo order" of a part-paid delivery: the new order told the customer a
    delivery cost was still to come, and the owner was asked to set one, for one trip (customer test s30)."""
    shop = shop_with_owner(conn, monkeypatch, OWNER)
    c = "254712930003"
    ask(conn, shop, "nataka mchele moja, mniletee Zimmerman", c)
    ask(conn, shop, "ndio", c)
    ask(conn, shop, "nimetuma 100 code QWA12RTY02", c)
    ask(conn, shop, "aii nimesahau, ongeza maziwa moja kwa hiyo order", c)
    yes = ask(conn, shop, "ndio", c)
    assert "bado haijawekwa" not in yes.reply and "not set" not in yes.reply, yes.reply
    alert = conn.execute("SELECT body FROM owner_alerts WHERE business_id = %s ORDER BY created_at DESC LIMIT 1",
                         (shop["id"],)).fetchone()["body"]
    assert "DELIVERY" not in alert, alert
