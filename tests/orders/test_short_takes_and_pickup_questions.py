"""Short ways of taking the thing shown and of asking to collect: "ok white size 41" after the one shoe was shown is
that shoe in size 41 (it was its price again, no order), "when can I pick?" with an order open notes a pickup (it
was "we don't sell that"). Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Converse Chuck Taylor,"Canvas high-tops in white and black",3800,KES,true,"{""sizes"": ""37-45""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def test_ok_with_a_colour_and_size_takes_the_shoe_shown(conn, shop):
    customer = "254714600001"
    ask(conn, shop, "converse chuck taylor ziko?", customer)
    result = ask(conn, shop, "ok white size 41", customer)
    assert [(i["name"], i["quantity"], i["variant"]) for i in result.order["items"]] == [
        ("Converse Chuck Taylor", 1, "size 41, white")], result.reply


def test_asking_when_to_pick_notes_a_pickup(conn, shop):
    customer = "254714600002"
    ask(conn, shop, "nipe converse chuck taylor size 42", customer)
    result = ask(conn, shop, "when can I pick?", customer)
    assert result.order["fulfilment"] == "pickup" and "Kawangware 56" in result.reply, result.reply
    assert "don't sell" not in result.reply, result.reply
