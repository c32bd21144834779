"""A message with no word for a thing ("nakuja", "tunangojea kidogo") was answered "we don't sell that". It is
asked what the customer is looking for; a thing the shop lacks ("mnauza samaki?", "mna Huawei?") is still not sold.
The demo grocery's catalogue; sentences are this file's own."""

from __future__ import annotations

import pytest

from mtaabot.devtools import demo
from tests.engine.conftest import ask, make_shop


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=demo.demo_catalogue()["Mama Njeri Duka"])


@pytest.mark.parametrize(("text", "customer"), [("nakuja", "254725000001"), ("tunangojea kidogo", "254725000002")])
def test_chat_is_not_told_we_dont_sell_it(conn, shop, text, customer):
    result = ask(conn, shop, text, customer)
    assert result.intent != "not_sold" and "hatuuzi" not in result.reply.lower(), result.reply
    assert not result.escalated, result.reply


@pytest.mark.parametrize(("text", "customer"), [("mnauza samaki?", "254725000003"), ("mna Huawei?", "254725000004")])
def test_a_thing_the_shop_lacks_is_still_not_sold(conn, shop, text, customer):
    assert ask(conn, shop, text, customer).intent == "not_sold"
