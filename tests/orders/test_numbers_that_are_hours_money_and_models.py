"""Numbers in an order chat that are no count: an hour said again ("can I collect at 10am?" then "ok 11 then. keep
them" made eleven power banks, KES 30,800), money sent ("nimetuma 360 ya sukari mbili" was 360 packets), another
model of a line the shop sells ("iPhone 12 screen" after the repair was twelve repairs, KES 36,000), and "both"
after two things named ("nataka Itel na Oppo zote mbili" was one Itel and two Oppos). Catalogue and sentences are
this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop, order_lines

CATALOGUE = """name,description,price,currency,is_available,metadata
Anker Power Bank 10000mAh,Power bank,2650,KES,true,"{""category"": ""accessories""}"
Oraimo Charger 18W,USB-C charger (chaja),950,KES,true,"{""category"": ""accessories""}"
Mumias Sugar 1kg,White sugar,175,KES,true,"{""category"": ""groceries""}"
Itel A70 Phone,Smartphone 64GB,9800,KES,true,"{""category"": ""phones""}"
Oppo A18 Phone,Smartphone 128GB,15500,KES,true,"{""category"": ""phones""}"
iPhone 13 Refurbished,Ex-UK iPhone 13,52000,KES,true,"{""category"": ""phones""}"
Screen Repair,Cracked screens replaced the same day,3000,KES,true,"{""category"": ""repairs""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)



@pytest.mark.parametrize(("when", "again", "customer"), [
    ("can I collect at 10am?", "ok 11 then. keep them", "254719400001"),
    ("nitakuja saa tatu", "ok 4 basi", "254719400002"),
])
def test_an_hour_said_again_is_no_count(conn, shop, when, again, customer):
    ask(conn, shop, "nipe power bank na charger", customer)
    ask(conn, shop, when, customer)
    result = ask(conn, shop, again, customer)
    assert order_lines(result) == {("Anker Power Bank 10000mAh", None): 1, ("Oraimo Charger 18W", None): 1}, result.reply
    assert again in (result.order.get("customer_note") or ""), result.order  # the new time, for the owner


def test_a_count_alone_is_still_a_count(conn, shop):
    customer = "254719400003"
    ask(conn, shop, "nipe sukari 2", customer)
    result = ask(conn, shop, "ok 4 basi", customer)
    assert order_lines(result) == {("Mumias Sugar 1kg", None): 4}, result.reply


def test_money_sent_is_no_count(conn, shop):
    result = ask(conn, shop, "nimetuma 350 ya sukari mbili, nitakuja kuchukua", "254719400004")
    assert order_lines(result) == {("Mumias Sugar 1kg", None): 2}, result.reply


def test_another_model_of_a_line_is_no_count(conn, shop):
    customer = "254719400005"
    ask(conn, shop, "do you repair screens?", customer)
    result = ask(conn, shop, "iPhone 12 screen", customer)
    assert sum(order_lines(result).values()) <= 1, result.reply


def test_both_after_two_things_is_one_of_each(conn, shop):
    result = ask(conn, shop, "Niaje, nataka Itel A70 na Oppo A18 zote mbili", "254719400006")
    assert order_lines(result) == {("Itel A70 Phone", None): 1, ("Oppo A18 Phone", None): 1}, result.reply


def test_both_said_beside_the_second_thing_is_one_of_each(conn, shop):
    result = ask(conn, shop, "Itel A70 na Oppo A18 nipe zote mbili, ni za watoto wangu", "254719400007")
    assert order_lines(result) == {("Itel A70 Phone", None): 1, ("Oppo A18 Phone", None): 1}, result.reply


@pytest.mark.parametrize(("said", "customer"), [("nina oppo a18, nipe charger moja", "254719400008"),
                                                ("nipe charger moja, niko na oppo a18", "254719400018")])
def test_the_phone_the_customer_has_is_not_ordered(conn, shop, said, customer):
    # "nina tecno spark 20, nataka cover na glass" sold the Tecno with its accessories; so did "nataka cover, niko
    # na tecno spark 20" (KES 14,500; customer test s27)
    result = ask(conn, shop, said, customer)
    assert order_lines(result) == {("Oraimo Charger 18W", None): 1}, result.reply


@pytest.mark.parametrize(("said", "customer"), [("nataka 128 ama 64", "254719400009"),
                                                ("sawa nipe, nitakuja pale stall 14", "254719400010")])
def test_a_storage_or_a_label_is_no_count(conn, shop, said, customer):
    # "128 ama 64" drafted 64 phones (KES 1,184,000); "stall 14" 14 pairs
    ask(conn, shop, "bei ya oppo a18", customer)
    result = ask(conn, shop, said, customer)
    assert all(quantity <= 1 for quantity in order_lines(result).values()), result.reply


def test_a_repair_said_twice_with_its_phone_is_one_repair_for_that_phone_and_book_me_books_it(conn, shop):
    """"my screen is cracked, can I bring it tomorrow at 10am for screen repair? its an infinix hot 30" booked two
    repairs, one "for screen repair its an infinix hot 30" (KES 6,000), and "ok book me" asked which line to change
    (customer test s27)."""
    said = ask(conn, shop, "my screen is cracked, can I bring it tomorrow at 10am for screen repair? its an infinix "
                           "hot 30", "254719400031")
    assert order_lines(said) == {("Screen Repair", "for infinix hot 30"): 1}, said.reply
    booked = ask(conn, shop, "ok book me", "254719400031")
    assert booked.order is not None and booked.order["status"] == "awaiting_payment", booked.reply
