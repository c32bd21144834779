"""Understanding v2 (issue 20): what a customer means, in Sheng, Swahili and English.

Every sentence here was written for these tests (none comes from the dev or evaluation sets)."""

from __future__ import annotations

import pytest

from mtaabot.intents import classify, wants_opt_out
from tests.engine.conftest import ask, make_shop

CASES = {
    "human": [  # the owner asked for by name or "in person", in every register
        "Niaje, nataka kubonga na Njeri mwenyewe",        # Sheng
        "Je, Mzee Otieno mwenyewe yupo leo?",             # Swahili
        "Could I speak with Auntie Njeri directly?",      # English
    ],
    "complaint": [  # no "refund"/"complaint" keyword, still a complaint
        "Mmeniibia doh yangu, mzigo haukuja",              # Sheng
        "Maziwa mliniuzia yameharibika, nirudishiwe pesa",  # Swahili
        "The bread I bought this morning was stale",       # English
    ],
    "booking": [
        "Nibookie manicure Ijumaa saa nne",                # Sheng
        "Naomba nafasi ya kusukwa Jumamosi asubuhi",       # Swahili
        "Can you fit me in for a facial on Friday at 3pm?",  # English
    ],
    "order": [  # a request with a time is an order (a service becomes a booking in the flow)
        "Nikam kesho nichukue kilo mbili ya sukari",
        "Niwekee mayai tray moja kesho jioni",
        "Please keep two packets of flour for me till Friday",
    ],
    "hours": [  # a day on its own is not a booking, and a day with "open" is a question about hours
        "Mko open Jumapili?",
        "Mnafungua saa ngapi siku ya Jumamosi?",
        "Are you open on Sunday afternoon?",
    ],
    "discount": [  # haggling in its many forms
        "Buda hiyo ni mingi, nikupee 900",
        "Mtanipunguzia nikichukua mbili?",
        "Would you take 4500 for the sneakers?",
    ],
    "delivery": [
        "Mnaeza tuma na boda hadi Kasarani?",
        "Mnaweza kuleta mzigo nyumbani Ruaka?",
        "Can you deliver the oil to Ngong Road?",
    ],
    "location": [
        "Stall yenu iko wapi hapo Toi?",
        "Duka lenu liko wapi hasa?",
        "Where exactly is your shop?",
    ],
    "payment_methods": [
        "Nitalipa nikifika, iko sawa?",
        "Naweza kulipa baada ya kupokea mzigo?",
        "Can I pay on delivery?",
    ],
    "thanks": [  # thanks that mention a product are still thanks
        "Shukran boss, sukari imefika poa",
        "Asante, mayai yamefika salama",
        "Thanks, the shoes arrived in good shape",
    ],
}


@pytest.mark.parametrize(("intent", "text"), [(i, t) for i, texts in CASES.items() for t in texts])
def test_each_intent_in_sheng_swahili_and_english(intent: str, text: str) -> None:
    assert classify(text).name == intent, text


@pytest.mark.parametrize("text", ["How much is that book?", "Mna exercise books za shule?",
                                  "Kusuka rasta ni pesa ngapi?", "Saturday tutaonana"])
def test_a_word_that_can_mean_booking_is_not_one_on_its_own(text: str) -> None:
    assert classify(text).name != "booking", text


@pytest.mark.parametrize("text", ["Usinitumie meseji tena tafadhali", "Niondoe kwenye orodha yenu",
                                  "Please stop sending me messages", "Acha kunitumia sms", "STOP"])
def test_explicit_opt_out_requests_are_recognised(text: str) -> None:
    assert wants_opt_out(text)


@pytest.mark.parametrize("text", ["Sitaki", "acha", "Sitaki ile ya pili", "Stop, I meant the 2kg one",
                                  "Hapana asante"])
def test_no_to_the_bots_question_is_not_an_opt_out(text: str) -> None:
    assert not wants_opt_out(text)


def test_a_haggle_names_the_product_and_its_listed_price(conn) -> None:
    shop = make_shop(conn)
    conn.execute("UPDATE businesses SET haggle_policy = 'none' WHERE id = %s", (shop["id"],))
    conn.commit()
    result = ask(conn, shop, "Sukari nipunguzie kidogo boss")
    assert result.intent == "discount" and not result.escalated
    assert [p["name"] for p in result.products] == ["Kabras Sugar 1kg"]
    assert "Kabras Sugar 1kg" in result.reply and "KES 180" in result.reply


def test_a_kind_the_shop_does_not_have_is_not_sold_not_a_lookalike(conn) -> None:
    shop = make_shop(conn)
    english = ask(conn, shop, "Do you have goat milk?")  # the shop has cow's milk only
    assert english.intent == "not_sold" and english.products == []
    swahili = ask(conn, shop, "Mna mkaa wa kupikia?")  # charcoal for cooking, next to cooking oil and gas
    assert swahili.intent == "not_sold" and swahili.products == []
    still_found = ask(conn, shop, "Do you have fresh milk right now?")
    assert [p["name"] for p in still_found.products][:1] == ["Brookside Fresh Milk 500ml"]


def test_a_local_name_written_in_brackets_finds_the_product(conn) -> None:
    catalogue = ("name,description,price,currency,is_available\n"
                 "Rubber Flip Flops,\"Rubber slippers (patipati), all sizes\",300,KES,true\n"
                 "Leather Sandals,Brown leather sandals,1500,KES,true\n")
    shop = make_shop(conn, catalogue=catalogue)
    result = ask(conn, shop, "Patipati ni pesa ngapi?")
    assert [p["name"] for p in result.products][:1] == ["Rubber Flip Flops"]
