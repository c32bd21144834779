"""Paying in parts is no half of a thing (customer test s24): "I can pay half now and half on delivery" beside two
phones was "Nokia 105 is sold whole only: how many would you like?" and the Nokia was left out, twice. A half kilo
is still half a kilo. The sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

PHONES = ("name,description,price,currency,is_available,metadata\n"
          "Tecno Spark 20,Android phone,14000,KES,true,{}\n"
          "Nokia 105,Feature phone,2300,KES,true,{}\n")


@pytest.mark.parametrize(("text", "customer"), [
    ("nataka Tecno Spark 20 na Nokia 105, nitatuma nusu sasa na nusu nikipokea", "254719700001"),
    ("I'd like the Tecno Spark 20 and the Nokia 105. I can pay half now and half on delivery.", "254719700002"),
])
def test_half_of_the_money_is_no_half_phone(conn, text, customer):
    shop = make_shop(conn, catalogue=PHONES)
    reply = ask(conn, shop, text, customer)
    assert "whole" not in reply.reply and "nzima" not in reply.reply, reply.reply
    assert sorted((i["name"], i["quantity"]) for i in reply.order["items"]) == [("Nokia 105", 1), ("Tecno Spark 20", 1)]


def test_half_a_kilo_is_still_half_a_kilo(conn):
    shop = make_shop(conn)
    reply = ask(conn, shop, "nipe nusu kilo ya sukari", "254719700003")
    assert reply.order is None and "pakiti za 1kg" in reply.reply, reply.reply  # half a packet: the packet is said


def test_a_kilo_and_a_half_is_no_five_bags(conn):
    """"sukari kilo 1.5" drafted five 1kg bags (customer test s25): the decimal point was lost."""
    shop = make_shop(conn)
    reply = ask(conn, shop, "nataka sukari kilo 1.5", "254719700004")
    assert reply.order is None and "pakiti za 1kg" in reply.reply, reply.reply


@pytest.mark.parametrize(("said", "amount"), [
    ("nimetuma 2000 kwanza, balance nitatuma kesho", "2,000"),
    ("nimetuma 1500, zingine nitatuma jioni", "1,500"),
    ("Tumetuma deposit 1000, balance tutalipa tukifika", "1,000"),  # "Hatuna 'tumetuma deposit'" (s29b)
    # the full amount asked again, no word to the owner (customer test s30b)
    ("nimetuma deposit 1200, zingine nitalipa nikipokea", "1,200"),
    ("nimetuma 700 ya deposit, balance nitalipa nikifika", "700"),
])
def test_part_of_the_money_sent_is_a_payment_of_the_order(conn, said, amount):
    """"nimetuma 2000 kwanza, balance nitatuma kesho" after the yes drafted a second order of the same phone, and
    the owner never heard of the money (customer test s29)."""
    shop = make_shop(conn, catalogue=PHONES)
    customer = f"25471970001{len(said) % 10}"
    ask(conn, shop, "nataka Nokia 105", customer)
    confirmed = ask(conn, shop, "ndio", customer)
    reply = ask(conn, shop, said, customer)
    assert reply.order["number"] == confirmed.order["number"] and f"KES {amount}" in reply.reply, reply.reply
    alert = conn.execute("SELECT body FROM owner_alerts WHERE business_id = %s ORDER BY created_at DESC LIMIT 1",
                         (shop["id"],)).fetchone()
    assert alert is not None and amount in alert["body"], alert
