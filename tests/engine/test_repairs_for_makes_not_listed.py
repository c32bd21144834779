"""A product listed for some phone makes, asked of another, goes to the owner (customer test s24): "my iPhone 11
screen is cracked, how much?" was quoted the 3,000 of a screen repair listed for Samsung, Tecno and Infinix. The
sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = ("name,description,price,currency,is_available,metadata\n"
             "Screen Replacement,\"New screen fitted for Samsung, Tecno and Infinix phones\",3000,KES,true,{}\n"
             "Tecno Spark 20,Android phone,14000,KES,true,{}\n")


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE, tone="kazi")


@pytest.mark.parametrize(("text", "customer", "make"), [
    ("my iphone 12 screen broke, can you replace it? how much", "254719800001", "iPhone"),
    ("screen ya redmi note 12 imepasuka, mnabadilisha kwa pesa ngapi?", "254719800002", "Redmi"),
])
def test_a_make_the_repair_does_not_list_goes_to_the_owner(conn, shop, text, customer, make):
    reply = ask(conn, shop, text, customer)
    assert reply.escalated and make in reply.reply and "3,000" not in reply.reply, reply.reply
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s ORDER BY created_at DESC LIMIT 1",
                         (shop["id"],)).fetchone()
    assert alert is not None and text in alert["body"]


@pytest.mark.parametrize("text", ["screen ya samsung a15 imevunjika, bei gani?", "how much to replace a Tecno screen?"])
def test_a_make_it_lists_is_quoted(conn, shop, text):
    reply = ask(conn, shop, text, "254719800003")
    assert not reply.escalated and "3,000" in reply.reply, reply.reply


@pytest.mark.parametrize(("text", "customer"), [
    ("book screen replacement kesho saa tatu, ni samsung A15", "254719800004"),
    ("nataka screen replacement kesho saa nne, simu yangu ni tecno spark 20", "254719800005"),
])
def test_the_phone_being_repaired_is_not_sold_with_the_repair(conn, shop, text, customer):
    """"book screen repair kesho saa tatu, ni samsung A15" booked the repair and sold a new A15 with it (KES 21,500;
    customer test s25)."""
    booked = ask(conn, shop, text, customer)
    assert [i["name"] for i in booked.order["items"]] == ["Screen Replacement"], booked.reply
