"""Prices moved by an amount, or said beside the one they are not, change as the owner means; a price far from
today's is checked first (customer test s25: "bei ya superstar imepanda na 200" made it KES 200 and the next
customer was quoted that; "bei ya timberland ni 4500 si 3000" set 3,000; "ongeza bei ya heels na 100" was read as
new stock)."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask
from tests.owners.conftest import shop_with_owner

OWNER = "254700000780"


@pytest.fixture
def shop(conn, monkeypatch):
    return shop_with_owner(conn, monkeypatch, OWNER)


def price(conn, shop, name: str) -> int:
    return int(conn.execute("SELECT price FROM products WHERE business_id = %s AND name = %s",
                            (shop["id"], name)).fetchone()["price"])


@pytest.mark.parametrize(("say", "product", "now"), [
    ("bei ya sukari imepanda na 20", "Kabras Sugar 1kg", 200),
    ("ongeza bei ya gesi na 100", "Cooking Gas Refill 6kg", 1350),
    ("punguza bei ya sukari na 10", "Kabras Sugar 1kg", 170),
    ("the price of rice went down by 20", "Pishori Rice 1kg", 230),
    ("bei ya sukari ni 190 si 180", "Kabras Sugar 1kg", 190),
])
def test_a_price_moved_by_an_amount_or_said_beside_another(conn, shop, say, product, now):
    stock_before = conn.execute("SELECT stock FROM products WHERE business_id = %s AND name = %s",
                                (shop["id"], product)).fetchone()["stock"]
    done = ask(conn, shop, say, customer=OWNER)
    assert done.owner_command == "price" and price(conn, shop, product) == now, done.reply
    assert conn.execute("SELECT stock FROM products WHERE business_id = %s AND name = %s",
                        (shop["id"], product)).fetchone()["stock"] == stock_before


def test_a_price_far_from_today_s_is_checked_before_customers_see_it(conn, shop):
    checked = ask(conn, shop, "BEI sukari 18", customer=OWNER)
    assert "BEI sukari 18 sawa" in checked.reply and "Hakuna kilichobadilika" in checked.reply
    assert price(conn, shop, "Kabras Sugar 1kg") == 180
    assert "KES 180" in ask(conn, shop, "sukari bei gani?", customer="254712900501").reply
    ask(conn, shop, "BEI sukari 18 sawa", customer=OWNER)
    assert price(conn, shop, "Kabras Sugar 1kg") == 18
