""""ok ngoja kwanza nicheki doh", "sawa ngoja nifikirie kwanza": the customer is not ready, so the order waits (each
confirmed the order and alerted the owner; customer test s28); the yes that follows confirms it. Sentences are this
file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, last_alert, make_shop


@pytest.mark.parametrize(("wait", "customer"), [
    ("sawa, ngoja kwanza nichekie pesa", "254719930001"),
    ("poa ila subiri nifikirie", "254719930002"),
    ("ok wait, I'll let you know", "254719930003"),
    ("ngoja kidogo nitakuambia", "254719930004"),
])
def test_not_yet_keeps_the_order_waiting_and_the_yes_confirms_it(conn, wait, customer):
    shop = make_shop(conn)
    ask(conn, shop, "nataka mchele mbili", customer)
    reply = ask(conn, shop, wait, customer)
    assert reply.order is not None and reply.order["status"] == "draft", reply.reply
    assert last_alert(conn, shop) is None, last_alert(conn, shop)
    assert "NDIO" in reply.reply or "YES" in reply.reply, reply.reply
    reply = ask(conn, shop, "sawa ndio", customer)
    assert reply.order["status"] != "draft", reply.reply


def test_coming_back_later_is_not_yet(conn):
    """"poa poa, nitarudi baadaye" confirmed KES 6,700 (customer test s28)."""
    shop = make_shop(conn)
    ask(conn, shop, "nataka mchele mbili", "254719930011")
    reply = ask(conn, shop, "poa poa, nitarudi baadaye", "254719930011")
    assert reply.order is not None and reply.order["status"] == "draft", reply.reply


def test_a_yes_after_an_answer_about_something_else_confirms_the_waiting_order(conn):
    """"ndio" after "we don't sell that" was "Poa, tuko pamoja" and the order stayed a draft the owner never saw
    (customer test s28)."""
    shop = make_shop(conn)
    ask(conn, shop, "nataka mchele mbili", "254719930012")
    ask(conn, shop, "mna mkaa?", "254719930012")
    reply = ask(conn, shop, "tuko sawa. ndio", "254719930012")
    assert reply.order is not None and reply.order["status"] != "draft", reply.reply
