"""The delivery place ends where its sentence does (owner test s26): "Kawangware 56? delivery ni ngapi" and
"Kawangware Gatina, and 2 packets of royco. I'll pay cash on delivery" were stored as the address, shown to the
customer, sent to the owner and repeated in the status answer."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop


@pytest.fixture
def shop(conn):
    return make_shop(conn)


@pytest.mark.parametrize(("messages", "place"), [
    (["nipe sukari mbili", "mnaleta hadi Kawangware 56? delivery ni ngapi"], "Kawangware 56"),
    (["Hi, I need a 6kg gas refill delivered to Kawangware Gatina, and 2 packets of royco. I'll pay cash on delivery"],
     "Kawangware Gatina"),
])
def test_the_place_is_only_the_place(conn, shop, messages, place):
    for text in messages:
        result = ask(conn, shop, text, customer=f"25471290050{len(messages)}")
    assert result.order["delivery_location"] == place, result.reply
    if len(messages) == 1:
        assert {i["name"]: i["quantity"] for i in result.order["items"]} == {"Cooking Gas Refill 6kg": 1,
                                                                              "Royco Mchuzi Mix 200g": 2}
