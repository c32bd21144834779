"""What sounded like a complaint to the learned head but is shopping (customer test s28): each handed the chat to the
owner and the customer's next message went unanswered. Tired of another shop's prices, a change of mind about the
order, a price that went up: the bot answers (a price gone up is also passed to the owner as a price matter).
Sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, make_shop


def test_tired_of_another_shop_s_prices_is_a_price_question(conn):
    shop = make_shop(conn)
    reply = ask(conn, shop, "nimechoka na bei za naivas, nyinyi ni wazuri. mchele ni ngapi", "254718940001")
    assert not reply.escalated and "KES" in reply.reply, reply.reply


def test_a_change_of_mind_about_the_order_takes_the_thing_out(conn):
    shop = make_shop(conn)
    ask(conn, shop, "nataka mchele 3 na maziwa 2", "254718940002")
    reply = ask(conn, shop, "kumbe mchele nimebadilisha mind, toa yote", "254718940002")
    assert not reply.escalated, reply.reply
    assert [i["name"] for i in reply.order["items"]] == ["Brookside Fresh Milk 500ml"], reply.reply


def test_a_price_gone_up_is_answered_and_the_next_order_too(conn):
    shop = make_shop(conn)
    reply = ask(conn, shop, "mchele mbona imepanda bei hivi, mwezi jana ilikuwa 150", "254718940003")
    assert not reply.escalated and "KES" in reply.reply, reply.reply
    reply = ask(conn, shop, "sawa nipe mbili tu", "254718940003")
    assert reply.order is not None and reply.order["items"][0]["quantity"] == 2, reply.reply
