"""Understanding v2 on a real database: price ranges in Sheng, Swahili and English."""

from __future__ import annotations

import pytest

from mtaabot import demo
from mtaabot.replies import prices_in
from tests.engine.conftest import ask, make_shop


@pytest.fixture
def shoes(conn):
    return make_shop(conn, catalogue=demo.demo_catalogue()["Kicks Kona"], tone="rafiki")


@pytest.mark.parametrize(("text", "low", "high"), [
    ("Niaje, mko na viatu chini ya 2k?", None, 2000),
    ("Nataka viatu vya bei kati ya elfu mbili na elfu tatu", 2000, 3000),
    ("Any boots below 3000?", None, 3000),
    ("Show me shoes between 2k and 3k", 2000, 3000),
])
def test_price_ranges_pick_only_products_in_the_range(conn, shoes, text, low, high):
    result = ask(conn, shoes, text)
    assert result.products and result.order is None, result.reply
    for p in result.products:
        assert (low is None or p["price"] >= low) and p["price"] <= high, (p, result.reply)
    assert all((low is None or v >= low) and v <= high for v in prices_in(result.reply))


def test_nothing_in_range_says_so_and_names_the_nearest_with_its_real_price(conn, shoes):
    result = ask(conn, shoes, "Habari, mna Timberland boots chini ya 2k?")
    assert "chini ya" in result.reply and "2,000" in result.reply and "Timberland Boots" in result.reply
    assert {float(v) for v in prices_in(result.reply)} <= {float(p["price"]) for p in result.products}
    assert result.order is None and not result.escalated
