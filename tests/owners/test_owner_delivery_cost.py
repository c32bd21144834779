"""The owner puts a delivery cost on an order from WhatsApp (ODA 25 DELIVERY 200): the customer was told "the owner
will confirm the cost", but the owner could only say it by JIBU and the M-Pesa prompt asked for the goods alone."""

from __future__ import annotations

from typing import Any

import psycopg

from mtaabot.orders.checkout import set_payment_settings
from mtaabot.owners.registry import add_trusted_owner
from tests.engine.conftest import ask, make_salon, make_shop
from tests.fakes.fake_daraja import FakeDaraja
from tests.fakes.fake_graph import FakeGraph
from tests.orders.conftest import connected_shop, daraja  # noqa: F401  (fixture)
from tests.owners.test_owner_order_money import (
    CUSTOMER,
    OWNER,
    last_to_customer,
    order_of,
    owned_shop,
    phone_order_prompt_cancelled,
)
from tests.webhook.conftest import App, wait_until


def test_the_delivery_cost_goes_on_the_order_and_a_pickup_drops_it(conn, monkeypatch):
    shop = owned_shop(conn, monkeypatch)
    ask(conn, shop, "nataka sukari mbili mniletee Kawangware stage", customer=CUSTOMER)
    ask(conn, shop, "ndio", customer=CUSTOMER)
    order = order_of(conn, shop)
    n, goods = order["number"], order["total_kes"]
    alert = conn.execute("SELECT body FROM owner_alerts WHERE business_id = %s AND kind = 'order'",
                         (shop["id"],)).fetchone()["body"]
    assert f"ODA {n} DELIVERY" in alert  # the new-order alert says how to set the cost
    assert "gharama haijawekwa" in ask(conn, shop, f"ODA {n}", customer=OWNER).reply
    done = ask(conn, shop, f"oda {n} delivery 150", customer=OWNER)
    assert done.owner_command == "order_delivery" and f"jumla KES {goods + 150:,.0f}" in done.reply, done.reply
    told = last_to_customer(conn, shop)
    assert "gharama ya kukuletea ni KES 150" in told and f"Jumla: KES {goods + 150:,.0f}" in told, told
    assert order_of(conn, shop)["total_kes"] == goods + 150
    assert "(gharama ya kuleta KES 150)" in ask(conn, shop, f"ODA {n}", customer=OWNER).reply
    ask(conn, shop, "sitaki delivery, nitakuja kuchukua", customer=CUSTOMER)
    assert order_of(conn, shop)["total_kes"] == goods  # collected: no rider to pay
    # ... and the owner, told to deliver it, hears it is collected now (customer test s27)
    alert = conn.execute("SELECT body FROM owner_alerts WHERE business_id = %s AND kind = 'order' "
                         "ORDER BY created_at DESC LIMIT 1", (shop["id"],)).fetchone()["body"]
    assert "atachukua dukani" in alert, alert


def test_said_in_words_free_and_a_high_cost_checked_first(conn, monkeypatch):
    shop = owned_shop(conn, monkeypatch)
    ask(conn, shop, "nataka sukari moja, delivery to Riruta", customer=CUSTOMER)
    order = order_of(conn, shop)
    n, goods = order["number"], order["total_kes"]
    typo = ask(conn, shop, f"ODA {n} DELIVERY 2000", customer=OWNER)  # 200 meant: more than the sugar itself
    assert f"ODA {n} DELIVERY 2000 sawa" in typo.reply and order_of(conn, shop)["total_kes"] == goods
    free = ask(conn, shop, f"delivery ya oda {n} ni bure", customer=OWNER)
    assert free.owner_command == "order_delivery" and "bure" in free.reply
    told = last_to_customer(conn, shop)
    assert "ni bure" in told and "NDIO" in told  # a cart: the customer's yes is still asked for
    assert order_of(conn, shop)["total_kes"] == goods and order_of(conn, shop)["delivery_fee_kes"] == 0
    english = ask(conn, shop, f"delivery fee for order {n} is 2k sure", customer=OWNER)
    assert "KES 2,000" in english.reply and order_of(conn, shop)["total_kes"] == goods + 2000
    assert "fee: KES 2,000" in last_to_customer(conn, shop)


def test_a_paid_order_a_booking_or_another_shop_s_order_changes_nothing(conn, monkeypatch):
    shop = owned_shop(conn, monkeypatch)
    other = make_shop(conn, name="Duka Lingine")
    ask(conn, other, "nataka gesi moja mniletee Kangemi", customer=CUSTOMER)
    foreign = order_of(conn, other)
    ask(conn, shop, "nataka gesi moja mniletee Kangemi", customer=CUSTOMER)
    ask(conn, shop, "ndio", customer=CUSTOMER)
    mine = order_of(conn, shop)
    ask(conn, shop, f"THIBITISHA {mine['number']}", customer=OWNER)
    paid = ask(conn, shop, f"ODA {mine['number']} DELIVERY 200", customer=OWNER)
    assert "Hakuna kilichobadilika" in paid.reply and order_of(conn, shop)["total_kes"] == mine["total_kes"]
    if foreign["number"] != mine["number"]:
        assert f"Hakuna oda #{foreign['number']}" in ask(conn, shop, f"ODA {foreign['number']} DELIVERY 200",
                                                           customer=OWNER).reply
    assert order_of(conn, other)["total_kes"] == foreign["total_kes"]
    salon = make_salon(conn, "name,price,category\nBox Braids,2500,Hair\n")
    add_trusted_owner(conn, salon["id"], OWNER)
    conn.commit()
    ask(conn, salon, "book box braids kesho saa nne asubuhi", customer=CUSTOMER)
    booking = order_of(conn, salon)
    refused = ask(conn, salon, f"ODA {booking['number']} DELIVERY 200", customer=OWNER)
    assert "booking" in refused.reply and order_of(conn, salon)["total_kes"] == booking["total_kes"]


def test_a_confirmed_order_gets_a_new_m_pesa_prompt_for_goods_and_delivery(
        conn: psycopg.Connection, db_url: str, app: App, graph: FakeGraph, daraja: FakeDaraja, worker: Any,  # noqa: F811
        monkeypatch) -> None:
    """Over WhatsApp end to end: the customer asks for delivery, says yes and gets a prompt for the phone alone;
    the owner prices the delivery from their own WhatsApp, and M-Pesa asks for phone and delivery together."""
    chat, owner, number = phone_order_prompt_cancelled(
        conn, db_url, app, graph, daraja, monkeypatch, phone_number_id="1004", number="0711000204",
        customer="254722000305", asked="I'd like a Samsung Galaxy A15 delivered to Westlands please")
    said = owner.say(f"ORDER {number} DELIVERY 300", expect=r"KES 18,800")
    assert "new M-Pesa prompt" in said
    chat.wait_reply(r"Delivery fee: KES 300")
    push = wait_until(lambda: list(daraja.pushes.items()), 30)
    assert push and push[0][1]["Amount"] == 18800


def test_another_place_after_the_yes_goes_to_the_owner_and_the_old_cost_no_longer_holds(conn, monkeypatch):
    """"aki badala yake mniletee Riruta satellite" after the yes was "we don't sell that" (owner test s26)."""
    shop, order = _confirmed_then_priced(conn, monkeypatch, "nataka sukari mbili mniletee Kawangware stage")
    moved = ask(conn, shop, "aki badala yake mniletee Riruta satellite", customer=CUSTOMER)
    assert "Riruta satellite" in moved.reply and "hatuuzi" not in moved.reply.lower(), moved.reply
    now = order_of(conn, shop)
    assert now["delivery_location"] == "Riruta satellite" and now["delivery_fee_kes"] is None
    assert now["total_kes"] == order["total_kes"]  # the cost was for Kawangware: the owner sets Riruta's
    alert = conn.execute("""SELECT body FROM owner_alerts WHERE business_id = %s ORDER BY created_at DESC LIMIT 1""",
                         (shop["id"],)).fetchone()["body"]
    assert "Riruta satellite" in alert and f"ODA {order['number']} DELIVERY" in alert


def test_the_place_asked_for_after_the_owner_priced_delivery_is_where_it_goes_at_that_cost(conn, monkeypatch):
    """The owner set a delivery cost on a confirmed order with no place; "Kasarani, Seasons stage, nyumba ya bluu"
    was then "we don't sell that" and ODA showed "peleka ?" (customer test s27)."""
    shop, order = _confirmed_then_priced(conn, monkeypatch, "nataka sukari mbili")
    said = ask(conn, shop, "Kasarani, Seasons stage, nyumba ya bluu", customer=CUSTOMER)
    now = order_of(conn, shop)
    assert now["delivery_location"] == "Kasarani, Seasons stage, nyumba ya bluu", said.reply
    assert now["delivery_fee_kes"] == 100 and now["total_kes"] == order["total_kes"] + 100  # the cost still holds
    assert "KES 100" in said.reply and not said.escalated


def _confirmed_then_priced(conn, monkeypatch, asked: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A shop whose customer ordered `asked` and said yes, and whose owner then set delivery at KES 100."""
    shop = owned_shop(conn, monkeypatch)
    ask(conn, shop, asked, customer=CUSTOMER)
    ask(conn, shop, "ndio", customer=CUSTOMER)
    order = order_of(conn, shop)
    ask(conn, shop, f"ODA {order['number']} DELIVERY 100", customer=OWNER)
    return shop, order


def test_confirming_payment_of_a_delivery_with_no_cost_set_says_so(conn, monkeypatch):
    """"THIBITISHA 9" on a delivery with no cost set said only "imelipwa", and the cost could then no longer be added
    (customer test s27)."""
    shop = owned_shop(conn, monkeypatch)
    ask(conn, shop, "nataka sukari mbili mniletee Kasarani", customer=CUSTOMER)
    ask(conn, shop, "ndio", customer=CUSTOMER)
    n = order_of(conn, shop)["number"]
    paid = ask(conn, shop, f"THIBITISHA {n}", customer=OWNER)
    assert order_of(conn, shop)["status"] == "paid" and "gharama ya kuleta haikuwekwa" in paid.reply, paid.reply


def test_a_delivery_cost_after_money_sent_asks_only_for_what_is_left(conn, monkeypatch):
    """"Nimetuma pesa 1490 kwa till", then ODA 1 DELIVERY 150: the customer was told to pay the whole 1,640 again
    (customer test s29b)."""
    shop = owned_shop(conn, monkeypatch)
    set_payment_settings(conn, shop["id"], till="5123456")
    conn.commit()
    ask(conn, shop, "nataka sukari mbili mniletee Kawangware stage", customer=CUSTOMER)
    ask(conn, shop, "ndio", customer=CUSTOMER)
    order = order_of(conn, shop)
    n, goods = order["number"], order["total_kes"]
    ask(conn, shop, f"nimetuma pesa {goods:.0f} kwa till", customer=CUSTOMER)
    ask(conn, shop, f"oda {n} delivery 150", customer=OWNER)
    told = last_to_customer(conn, shop)
    assert "KES 150" in told and f"KES {goods + 150:,.0f} kwa Till" not in told and "5123456" in told, told


def test_the_cost_to_a_place_goes_on_the_orders_going_there(conn, monkeypatch):
    """"delivery ya Rongai ni 250" got the whole help and no order got the cost (customer test s29b). Now each
    order waiting to go there gets it, and a place no order goes to changes nothing and says how."""
    shop = owned_shop(conn, monkeypatch)
    ask(conn, shop, "nataka sukari mbili mniletee Rongai stage", customer=CUSTOMER)
    ask(conn, shop, "ndio", customer=CUSTOMER)
    order = order_of(conn, shop)
    goods = order["total_kes"]
    nowhere = ask(conn, shop, "delivery ya Juja ni 300", customer=OWNER)
    assert "Hakuna kilichobadilika" in nowhere.reply and order_of(conn, shop)["total_kes"] == goods, nowhere.reply
    done = ask(conn, shop, "delivery ya Rongai ni 250", customer=OWNER)
    assert done.owner_command == "order_delivery" and order_of(conn, shop)["total_kes"] == goods + 250, done.reply
    assert "gharama ya kukuletea ni KES 250" in last_to_customer(conn, shop)


def test_the_place_said_first(conn, monkeypatch):
    """"Githurai delivery 250" got the whole help (owner test s30)."""
    shop = owned_shop(conn, monkeypatch)
    ask(conn, shop, "nataka sukari mbili mniletee Githurai 45", customer=CUSTOMER)
    ask(conn, shop, "ndio", customer=CUSTOMER)
    goods = order_of(conn, shop)["total_kes"]
    done = ask(conn, shop, "Githurai delivery 250", customer=OWNER)
    assert done.owner_command == "order_delivery" and order_of(conn, shop)["total_kes"] == goods + 250, done.reply
    assert "KES 250" in last_to_customer(conn, shop)


def test_no_delivery_cost_on_an_order_collected_at_the_shop(conn, monkeypatch):
    """"order 2 delivery ni 0" of a pickup told the customer the shop would bring it free and asked where (owner test
    s31): a collected order has no cost to take off."""
    shop = owned_shop(conn, monkeypatch)
    ask(conn, shop, "nataka sukari mbili, nitakuja kuchukua mwenyewe", customer=CUSTOMER)
    n = ask(conn, shop, "ndio", customer=CUSTOMER).order["number"]
    told = ask(conn, shop, f"order {n} delivery ni 0", customer=OWNER)
    assert "Hakuna kilichobadilika" in told.reply and order_of(conn, shop)["fulfilment"] == "pickup", told.reply


def test_the_delivery_cost_asked_after_the_owner_set_it_is_that_cost(conn, monkeypatch):
    # "delivery ni ngapi" after ODA n DELIVERY 150 was "we arrange delivery with the owner" (tester s32b)
    shop, order = _confirmed_then_priced(conn, monkeypatch, "nataka sukari mbili mniletee Kawangware stage")
    asked = ask(conn, shop, "delivery ni ngapi?", customer=CUSTOMER)
    assert f"#{order['number']}" in asked.reply and "KES 100" in asked.reply, asked.reply
