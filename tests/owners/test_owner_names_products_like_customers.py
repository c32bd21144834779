"""The owner names products the way customers do, and answers the bot's own "which one?": "af1 bei 3800 kuanzia
leo" was "Sijapata bidhaa af1" (customers' "AF1" is found, the owner's was not), and "isha sandals" -> "Ipi kati ya
hizi? ..." -> "open sandals" got the whole help and the sandals stayed on sale (customer test of session 24).
Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from mtaabot.owners.registry import add_trusted_owner
from tests.engine.conftest import ask, make_shop

OWNER = "254700000888"
CATALOGUE = """name,description,price,currency,is_available,metadata
Nike Air Force 1 White,Classic white sneakers,3500,KES,true,"{""category"": ""sneakers"", ""sizes"": ""38-45""}"
Open Sandals,Leather open sandals,900,KES,true,"{""category"": ""sandals"", ""sizes"": ""37-44""}"
Maasai Akala Sandals,Tyre-sole sandals,600,KES,true,"{""category"": ""sandals""}"
School Shoes Black,Black leather school shoes,1500,KES,true,"{""category"": ""shoes""}"
"""


@pytest.fixture
def shop(conn, monkeypatch):
    monkeypatch.setenv("MTAABOT_OWNER_QUIET_HOURS", "off")
    shop = make_shop(conn, catalogue=CATALOGUE, opening_hours="Daily 0:00-23:59")
    add_trusted_owner(conn, shop["id"], OWNER)
    conn.commit()
    return shop


def _product(conn, shop, name):
    return conn.execute("SELECT price, is_available FROM products WHERE business_id = %s AND name = %s",
                        (shop["id"], name)).fetchone()


def test_the_owner_prices_a_product_by_its_initials(conn, shop):
    result = ask(conn, shop, "af1 bei 3800 kuanzia leo", customer=OWNER)
    assert result.owner_command == "price" and "Nike Air Force 1 White" in result.reply, result.reply
    assert _product(conn, shop, "Nike Air Force 1 White")["price"] == 3800
    assert "3,800" in ask(conn, shop, "AF1 ni ngapi?", customer="254700100001").reply


def test_the_owner_answers_which_one_by_naming_it(conn, shop):
    asked = ask(conn, shop, "isha sandals", customer=OWNER)
    assert "Open Sandals" in asked.reply and "Maasai Akala Sandals" in asked.reply, asked.reply
    assert _product(conn, shop, "Open Sandals")["is_available"]
    picked = ask(conn, shop, "open sandals", customer=OWNER)
    assert picked.owner_command == "out_of_stock" and "Open Sandals" in picked.reply, picked.reply
    assert not _product(conn, shop, "Open Sandals")["is_available"]
    assert _product(conn, shop, "Maasai Akala Sandals")["is_available"]


def test_a_price_waiting_for_which_one_keeps_its_amount(conn, shop):
    ask(conn, shop, "bei ya sandals ni 950 sasa", customer=OWNER)
    picked = ask(conn, shop, "akala", customer=OWNER)
    assert picked.owner_command == "price", picked.reply
    assert _product(conn, shop, "Maasai Akala Sandals")["price"] == 950
    assert _product(conn, shop, "Open Sandals")["price"] == 900


def test_a_name_after_anything_else_is_still_no_command(conn, shop):
    ask(conn, shop, "LEO", customer=OWNER)
    result = ask(conn, shop, "open sandals", customer=OWNER)
    assert result.owner_command == "unknown", result.reply
    assert _product(conn, shop, "Open Sandals")["is_available"]


@pytest.mark.parametrize(("text", "command"), [("bie ya school shoes 1600", "price"), ("simamisa", "pause"),
                                               ("thibitsha 99", "confirm")])
def test_a_command_word_one_letter_off_is_that_command(conn, shop, text, command):
    """"thibitsha 7", "bie ya protector 350", "simamisa": a busy owner's typo got the whole help and nothing changed
    (customer test, session 24)."""
    assert ask(conn, shop, text, customer=OWNER).owner_command == command


def test_small_talk_is_still_no_command(conn, shop):
    assert ask(conn, shop, "sawa boss", customer=OWNER).owner_command == "ack"


@pytest.mark.parametrize("said", ["PRICE nike air force 2 4000", "bei ya sandals za ngozi nyekundu za italy ni 4000"])
def test_a_product_the_shop_does_not_have_changes_nothing(conn, shop, said):
    """"PRICE iphone 15 90000" set the iPhone 13 to KES 90,000, and "bei ya mchele wa basmati ni 300" repriced the
    Pishori (customer test s30): a number or a word the product found does not have is no match; the owner is asked."""
    before = {r["name"]: r["price"] for r in conn.execute("SELECT name, price FROM products WHERE business_id = %s",
                                                          (shop["id"],)).fetchall()}
    answer = ask(conn, shop, said, customer=OWNER)
    after = {r["name"]: r["price"] for r in conn.execute("SELECT name, price FROM products WHERE business_id = %s",
                                                         (shop["id"],)).fetchall()}
    assert after == before, answer.reply
    assert "nothing changed" in answer.reply.lower() or "hakuna kilichobadilika" in answer.reply.lower(), answer.reply
