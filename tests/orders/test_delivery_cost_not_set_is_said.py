"""A delivery confirmed before the owner set its cost says the cost is still to come (it said "Lipa KES 1,470" alone;
the customer paid and the owner could no longer add the cost; customer test s28); a pickup says nothing of it."""

from __future__ import annotations

from tests.engine.conftest import ask, make_shop


def test_a_delivery_without_a_cost_says_the_cost_is_to_come(conn):
    shop = make_shop(conn)
    ask(conn, shop, "nataka mchele mbili, mniletee Githurai 45", "254718996001")
    confirmed = ask(conn, shop, "ndio", "254718996001")
    assert confirmed.intent == "order_confirm", confirmed.reply
    assert "Githurai 45" in confirmed.reply and "bado haijawekwa" in confirmed.reply, confirmed.reply
    ask(conn, shop, "nataka mchele mbili, nitakuja kuchukua", "254718996002")
    picked = ask(conn, shop, "ndio", "254718996002")
    assert "haijawekwa" not in picked.reply, picked.reply
