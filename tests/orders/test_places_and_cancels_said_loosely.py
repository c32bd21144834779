"""Where an order goes and what is cancelled, as the customer test of session 24 said them: "delivery ni ngapi?"
set the delivery place to "ni" and the order was confirmed so; "karibu na Naivas" was cut from the place; a long
order ending "Mnaweza kuleta Kawangware Gatina kesho?" and "..., I'm at Kawangware stage" lost every item; "aah wacha,
sitaki tena" was read as a thing to remove; "actually cancel the manicure, just the gel nails. I already paid ..."
took the gel nails out and said nothing about the money. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_salon, make_shop, order_lines

CATALOGUE = """name,description,price,currency,is_available,metadata
Pembe Maize Flour 2kg,Maize meal,205,KES,true,"{""category"": ""flour""}"
Kapa Cooking Oil 1L,Vegetable oil,360,KES,true,"{""category"": ""oil""}"
Sukari Nzoia 1kg,White sugar,170,KES,true,"{""category"": ""sugar""}"
Kericho Gold Tea 100g,Tea leaves,140,KES,true,"{""category"": ""tea""}"
Tuzo Milk 500ml,Fresh milk,62,KES,true,"{""category"": ""milk""}"
"""

SALON = """name,description,price,currency,is_available,metadata
Acrylic Nails,Full set,1500,KES,true,{}
Eyebrow Shaping,Threading,300,KES,true,{}
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def test_asking_the_delivery_fee_keeps_the_place(conn, shop):
    first = ask(conn, shop, "nataka sukari nzoia 2 niletee Kawangware 46 karibu na Naivas", "254715300001")
    assert first.order["delivery_location"] == "Kawangware 46 karibu na Naivas", first.order
    fee = ask(conn, shop, "delivery ni ngapi?", "254715300001")
    assert fee.order["delivery_location"] == "Kawangware 46 karibu na Naivas", fee.reply


def test_a_long_order_ending_in_a_delivery_question_is_drafted_to_that_place(conn, shop):
    result = ask(conn, shop, "Habari, nina sherehe kesho. Nitahitaji unga wa pembe pakiti 4, sukari kilo 2 na "
                             "majani chai. Mnaweza kuleta Kawangware Gatina kesho asubuhi?", "254715300002")
    assert order_lines(result) == {("Pembe Maize Flour 2kg", None): 4, ("Sukari Nzoia 1kg", None): 2,
                                   ("Kericho Gold Tea 100g", None): 1}, result.reply
    assert result.order["delivery_location"] == "Kawangware Gatina", result.order


def test_an_order_and_where_i_am_in_english(conn, shop):
    result = ask(conn, shop, "2 packets of tuzo milk plus kapa oil. I'll pay cash on delivery, I'm at Kangemi stage "
                             "opposite Naivas", "254715300003")
    assert order_lines(result) == {("Tuzo Milk 500ml", None): 2, ("Kapa Cooking Oil 1L", None): 1}, result.reply
    assert result.order["fulfilment"] == "delivery", result.order
    assert result.order["delivery_location"] == "Kangemi stage opposite Naivas", result.order


def test_forget_it_i_dont_want_it_any_more_cancels_the_order(conn, shop):
    ask(conn, shop, "nipe tuzo 3 na kapa", "254715300004")
    result = ask(conn, shop, "aah wacha, sitaki tena", "254715300004")
    assert result.intent == "order_cancel" and result.order["status"] == "cancelled", result.reply
    assert "wacha" not in result.reply, result.reply


def test_one_service_cancelled_after_the_yes_and_the_money_asked_goes_to_the_owner(conn):
    salon = make_salon(conn, SALON)
    customer = "254715300005"
    ask(conn, salon, "book acrylic nails na eyebrow shaping alhamisi saa nane", customer)
    ask(conn, salon, "ndio", customer)
    result = ask(conn, salon, "actually cancel the eyebrow shaping, just the acrylic. I already paid 1800 so you'll "
                              "refund 300?", customer)
    assert {i["name"]: i["quantity"] for i in result.order["items"]} == {"Acrylic Nails": 1}, result.reply
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'order' "
                         "ORDER BY created_at DESC LIMIT 1", (salon["id"],)).fetchone()
    assert alert is not None and "refund 300" in alert["body"], alert
    assert "owner" in result.reply, result.reply


@pytest.mark.parametrize(("text", "lines", "place"), [
    ("Unaweza niletea kapa oil mbili Kayole leo?", {("Kapa Cooking Oil 1L", None): 2}, "Kayole"),
    ("Mnaweza kuniletea sukari nzoia Westlands?", {("Sukari Nzoia 1kg", None): 1}, "Westlands"),
])
def test_can_you_bring_a_thing_to_a_place_drafts_it_there(conn, shop, text, lines, place):
    result = ask(conn, shop, text, None)
    assert order_lines(result) == lines, result.reply
    assert result.order["fulfilment"] == "delivery" and result.order["delivery_location"] == place, result.order


def test_the_house_number_is_part_of_the_place_not_a_size(conn, shop):
    ask(conn, shop, "nipe sukari nzoia 2", "254715300006")
    result = ask(conn, shop, "sawa, niletee hizo sukari Kawangware 56 nyumba namba 4, nitalipa cash", "254715300006")
    assert order_lines(result) == {("Sukari Nzoia 1kg", None): 2}, result.reply
    assert result.order["delivery_location"] == "Kawangware 56 nyumba namba 4", result.order


def test_sending_to_someone_there_is_a_delivery_with_their_number_kept(conn, shop):
    result = ask(conn, shop, "Nataka kumtumia mama yangu unga wa pembe 2 na sukari 2 pale Kangemi, nitalipa mimi. "
                             "Namba yake ni 0722123456", "254715300007")
    assert order_lines(result) == {("Pembe Maize Flour 2kg", None): 2, ("Sukari Nzoia 1kg", None): 2}, result.reply
    assert result.order["delivery_location"] == "Kangemi" and "0722123456" in result.order["customer_note"], \
        result.order


def test_a_place_asked_about_before_the_order_is_where_it_goes(conn, shop):
    customer = "254715300008"
    ask(conn, shop, "Niaje, kapa oil ni how much? na mnaleta Kangemi?", customer)
    ask(conn, shop, "nimekwambia kapa. bei ni ngapi??", customer)
    result = ask(conn, shop, "poa leta moja", customer)
    assert order_lines(result) == {("Kapa Cooking Oil 1L", None): 1}, result.reply
    assert result.order["fulfilment"] == "delivery" and result.order["delivery_location"] == "Kangemi", result.order


def test_and_more_after_a_thing_shown_orders_that_thing_too(conn, shop):
    customer = "254715300009"
    ask(conn, shop, "how much is kapa oil", customer)
    result = ask(conn, shop, "ok and 2 packets of tuzo milk plus kericho gold. I'll pay cash on delivery, "
                             "I'm at Kangemi stage", customer)
    assert order_lines(result) == {("Kapa Cooking Oil 1L", None): 1, ("Tuzo Milk 500ml", None): 2,
                                   ("Kericho Gold Tea 100g", None): 1}, result.reply
