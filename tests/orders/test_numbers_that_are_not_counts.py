"""Numbers in an order message that are no count: a price said in thousands ("ok 52 is fine, I'll take it" of a
KES 52,000 phone was 52 phones), the number of a delivery address ("send them to Kawangware 46" was 46 packets),
a paybill number in a payment claim ("nimelipa paybill 400200" told the owner KES 400,200 was paid). The count
asked the price of just before is the one ordered ("how much for 10 packets?" -> "ok send them"). Catalogue and
sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Oppo Reno 12,Android phone 256GB,48000,KES,true,{}
Daima Milk 500ml,Fresh milk packet,70,KES,true,{}
Gas Refill 13kg,Cooking gas refill,2900,KES,true,{}
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def _lines(result) -> dict[str, int]:
    return {i["name"]: i["quantity"] for i in (result.order or {}).get("items", [])}


@pytest.mark.parametrize(("text", "customer"), [
    ("ok 48 is fine, I'll take it", "254713800001"),
    ("sawa 48 nitachukua", "254713800002"),
])
def test_a_price_said_in_thousands_is_no_count(conn, shop, text, customer):
    ask(conn, shop, "oppo reno 12 ni ngapi?", customer)
    ask(conn, shop, "can you do 45000", customer)
    result = ask(conn, shop, text, customer)
    assert _lines(result) == {"Oppo Reno 12": 1} and "KES 48,000" in result.reply, result.reply


def test_the_number_of_a_delivery_place_is_no_count_and_the_count_priced_before_is_kept(conn, shop):
    customer = "254713800011"
    ask(conn, shop, "daima milk iko?", customer)
    ask(conn, shop, "how much for 10 packets", customer)
    result = ask(conn, shop, "ok send them to Kawangware 46", customer)
    assert _lines(result) == {"Daima Milk 500ml": 10} and "KES 700" in result.reply, result.reply
    assert "Kawangware 46" in result.reply, result.reply


@pytest.mark.parametrize(("text", "customer"), [
    ("naomba mniletee gas refill ya 13kg Githurai 45, nyumba namba 4", "254713800021"),
    ("niletee gas refill 13kg, niko Kahawa Wendani plot 12", "254713800022"),
])
def test_an_address_number_beside_the_order_is_no_count(conn, shop, text, customer):
    result = ask(conn, shop, text, customer)
    assert _lines(result) == {"Gas Refill 13kg": 1} and "KES 2,900" in result.reply, result.reply


def test_a_paybill_number_in_a_payment_claim_is_not_the_amount_paid(conn, shop):
    customer = "254713800031"
    ask(conn, shop, "nipe daima milk 2", customer)
    result = ask(conn, shop, "nimelipa paybill 400200 code TGH56YU8KL", customer)
    assert result.intent == "payment_claim" and "400,200" not in result.reply, result.reply
    assert "140" in result.reply, result.reply


def test_asking_which_paybill_is_no_payment_claim(conn, shop):
    customer = "254713800032"
    ask(conn, shop, "nipe daima milk 2", customer)
    result = ask(conn, shop, "ni paybill gani", customer)
    assert result.intent != "payment_claim" and result.order["status"] == "draft", result.reply
