""""lakini 3000 ni mingi, fanya 2500" after a cart of a screen repair at 3,000 and a charger was haggling over a SIM
card replacement at 100, read from the words alone (tester s32b): the thing at the price the customer names is the
one haggled over."""

from __future__ import annotations

from mtaabot.devtools import demo
from tests.engine.conftest import ask, make_shop


def test_the_price_named_in_a_haggle_says_which_thing(conn):
    shop = make_shop(conn, catalogue=demo.demo_catalogue()["Simu Poa Electronics"], tone="kazi")
    customer = "254713950001"
    ask(conn, shop, "nataka screen repair moja na charger", customer)
    asked = ask(conn, shop, "lakini 3000 ni mingi, fanya 2500", customer)
    assert asked.intent == "discount" and "Phone Screen Repair" in asked.reply and "SIM" not in asked.reply, \
        asked.reply
