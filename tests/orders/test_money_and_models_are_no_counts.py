"""Numbers that are money or a model, never how many, and words that ask to move or to be refunded, never to
cancel quietly: "at 2,999. I'll take 2 pairs" was 999 pairs; "sukari ya mbao" (twenty shillings' worth) was 20
bags; "my iPhone 11 screen ... how much" then "I'll bring it tomorrow" was 11 repairs (KES 33,000); "sitaweza kuja
leo ... tunaweza kusogeza kesho same time?" cancelled the booking; "cancel my order please" of a paid order got
its status and the owner was never told. Catalogue and sentences are this file's own (the first test: the demo
shoe shop and the tester's words)."""

from __future__ import annotations

import pytest

from mtaabot.devtools import demo
from tests.engine.conftest import ask, make_salon, make_shop, order_lines

CATALOGUE = """name,description,price,currency,is_available,metadata
Vans Old Skool,Canvas sneakers,3200,KES,true,"{""category"": ""shoes"", ""sizes"": ""37-45""}"
Menengai Sugar 1kg,White sugar,175,KES,true,"{""category"": ""sugar""}"
Samsung A05,Smartphone 64GB,12500,KES,true,"{""category"": ""phones""}"
Infinix Hot 40,Smartphone 128GB,16000,KES,true,"{""category"": ""phones""}"
Screen Replacement,Phone screen fixed while you wait,2500,KES,true,"{""category"": ""repairs""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def test_a_price_with_a_thousands_comma_is_no_count(conn):
    kicks = make_shop(conn, catalogue=demo.demo_catalogue()["Kicks Kona"])  # the shop the customer test wrote to
    result = ask(conn, kicks, "I saw your AF1 on Instagram at 2,999. I'll take 2 pairs size 40 at that price",
                 "254714400001")
    assert order_lines(result) == {("Nike Air Force 1 White", "size 40"): 2}, result.reply


def test_twenty_shillings_worth_in_sheng_is_no_count(conn, shop):
    result = ask(conn, shop, "nipe sukari ya mbao", "254714400002")
    assert not order_lines(result), result.reply
    assert "20" in result.reply and "175" in result.reply, result.reply


def test_the_model_of_the_phone_to_repair_is_no_count(conn, shop):
    customer = "254714400003"
    ask(conn, shop, "Hello, my Infinix Hot 30 screen is cracked. Do you fix? How much", customer)
    result = ask(conn, shop, "ok I'll bring it tomorrow 10am", customer)
    assert order_lines(result) == {("Screen Replacement", None): 1}, result.reply


def test_moving_a_confirmed_booking_is_no_cancel(conn):
    salon = make_salon(conn, "name,description,price,currency,is_available,metadata\n"
                             "Gel Pedicure,Feet and gel polish,1300,KES,true,{}\n")
    customer = "254714400004"
    ask(conn, salon, "nataka gel pedicure kesho saa nane", customer)
    ask(conn, salon, "ndio", customer)
    result = ask(conn, salon, "Samahani, sitaweza kuja kesho, nimepata dharura. Tunaweza kusogeza keshokutwa same time?",
                 customer)
    assert result.intent != "order_cancel" and result.order["status"] != "cancelled", result.reply
    assert result.order["booking_at"] is not None and "14:00" in result.reply, result.reply


def test_cancelling_a_paid_order_goes_to_the_owner_whatever_the_head_says(conn, shop):
    customer = "254714400005"
    ask(conn, shop, "nipe sukari 2", customer)
    paid = ask(conn, shop, "ndio", customer)
    conn.execute("UPDATE orders SET status = 'paid' WHERE id = %s", (paid.order["id"],))
    conn.commit()
    result = ask(conn, shop, "cancel my order please", customer)
    assert result.intent == "order_cancel" and result.order["status"] == "paid", result.reply
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'order' "
                         "ORDER BY created_at DESC LIMIT 1", (shop["id"],)).fetchone()
    assert alert is not None and "cancel my order please" in alert["body"], alert


def test_a_bulk_order_goes_to_the_owner_with_its_size(conn, shop):
    """"unga pakiti 150 za shule yetu" was "send a smaller number" and a list of other things; the owner never heard
    of a 31,500 sale (customer test, session 24)."""
    result = ask(conn, shop, "nataka sukari pakiti 150 za shule yetu, tutalipa kwa cheque", "254714400006")
    assert not order_lines(result) and "Menengai Sugar 1kg" in result.reply, result.reply
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'escalation' "
                         "ORDER BY created_at DESC LIMIT 1", (shop["id"],)).fetchone()
    assert alert is not None and "150" in alert["body"] and "26,250" in alert["body"], alert


@pytest.mark.parametrize(("said", "count", "customer"), [
    ("Habari, mnauza kwa bei ya jumla? nahitaji sukari bags 10 kwa duka langu", "10", "254714400011"),
    ("I run a school and need 30 Samsung A05 for staff. Can you do a bulk price and deliver to Thika?", "30",
     "254714400012"),
])
def test_a_wholesale_price_asked_with_a_count_is_the_owner_s_sale(conn, shop, said, count, customer):
    """"mnauza kwa bei ya jumla? nahitaji sukari bags 10 ..." drafted 10 bags at the list price, and "need 30 Nokia
    105 ... bulk price" a KES 69,000 order beside "We don't have “run school” here": the owner heard of neither
    (customer test s27)."""
    result = ask(conn, shop, said, customer)
    assert not order_lines(result) and "We don't have" not in result.reply and "Hatuna" not in result.reply, \
        result.reply
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'escalation' "
                         "ORDER BY created_at DESC LIMIT 1", (shop["id"],)).fetchone()
    assert alert is not None and count in alert["body"], alert


@pytest.mark.parametrize("said", ["mnauza kwa bei ya jumla?", "do you sell wholesale?"])
def test_a_wholesale_price_asked_alone_goes_to_the_owner(conn, shop, said):
    """"mnauza kwa bei ya jumla?" was "we don't sell that", with no word to the owner (customer test s27)."""
    result = ask(conn, shop, said, "254714400013")
    assert result.escalated and result.intent == "policy_question", result.reply


@pytest.mark.parametrize("said", ["mnapeana risiti?", "do you give receipts?"])
def test_a_receipt_asked_for_goes_to_the_owner(conn, shop, said):
    """"mnapeana risiti?" was "we don't sell that" (customer test s29)."""
    result = ask(conn, shop, said, "254714400015")
    assert result.escalated and result.intent == "policy_question", result.reply


@pytest.mark.parametrize("said", ["Habari madam, natafuta kazi ya ususi, mnaajiri?", "hi, are you hiring?"])
def test_work_asked_for_goes_to_the_owner(conn, shop, said):
    """"natafuta kazi ya ususi, mnaajiri?" was "we don't offer that service", with no word to the owner (customer test
    s29)."""
    result = ask(conn, shop, said, "254714400014")
    assert result.escalated and result.intent == "policy_question", result.reply
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'escalation' "
                         "ORDER BY created_at DESC LIMIT 1", (shop["id"],)).fetchone()
    assert alert is not None and said[-12:] in alert["body"], alert
