""""How long will it take?" of a service whose catalogue gives no minutes but whose description says "same day"
is answered "same day" (it was handed to the owner). Catalogue and sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Laptop Screen Repair,"Cracked laptop screens replaced, same day",6500,KES,true,"{""category"": ""repairs""}"
"""


def test_how_long_a_same_day_repair_takes(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254714900001"
    ask(conn, shop, "mnarepair screen ya laptop?", customer)
    for text in ("inachukua muda gani", "how long will it take"):
        result = ask(conn, shop, text, customer)
        assert "same day" in result.reply and not result.escalated, result.reply


def test_work_for_a_phone_the_shop_does_not_sell_with_price_and_length_asked(conn):
    """"do you fix cracked screens? samsung a14, how much and how long" was "we don't do that" (the shop sells the
    A15 and repairs Samsungs), and a price asked beside the length got only the length, closed with "reply with the
    quantity to order" (customer test s27)."""
    catalogue = CATALOGUE + ('Samsung Galaxy A15,Smartphone 128GB,18500,KES,true,"{""category"": ""phones""}"\n'
                             'Phone Screen Repair,"Cracked screens for Samsung, Tecno, Infinix, same day",3000,KES,'
                             'true,"{""category"": ""repairs""}"\n')
    shop = make_shop(conn, catalogue=catalogue)
    result = ask(conn, shop, "do you fix cracked screens? samsung a14, how much and how long", "254714900002")
    assert "Phone Screen Repair" in result.reply and "KES 3,000" in result.reply and "same day" in result.reply, \
        result.reply
    assert "quantity" not in result.reply and "don't" not in result.reply
    listed = ask(conn, shop, "do you sell samsung a14?", "254714900003")
    assert "Phone Screen Repair" not in listed.reply, listed.reply  # buying an A14 is still no repair
