"""Edits said the way customers say them (customer test s28): "power bank moja tu, na cover iwe 2" showed the order
unchanged (KES 8,000 kept); "aah wacha, sitaki chochote tena" was "'sitaki chochote tena' is not in your order" and
the order stayed. The sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, make_shop


def lines(reply) -> dict[str, int]:
    return {i["name"]: i["quantity"] for i in reply.order["items"]}


def test_each_line_given_its_new_count_in_one_message(conn):
    shop = make_shop(conn)
    ask(conn, shop, "nataka mchele 4 na maziwa 5", "254719940001")
    reply = ask(conn, shop, "mchele mbili tu, na maziwa iwe 3", "254719940001")
    assert lines(reply) == {"Pishori Rice 1kg": 2, "Brookside Fresh Milk 500ml": 3}, reply.reply


def test_more_of_each_said_with_add_is_added(conn):
    shop = make_shop(conn)
    ask(conn, shop, "nataka mchele 4 na maziwa 5", "254719940002")
    reply = ask(conn, shop, "ongeza mchele moja tu na maziwa moja", "254719940002")
    assert lines(reply) == {"Pishori Rice 1kg": 5, "Brookside Fresh Milk 500ml": 6}, reply.reply


def test_nothing_at_all_wanted_cancels_the_order(conn):
    shop = make_shop(conn)
    ask(conn, shop, "nataka mchele 4 na maziwa 5", "254719940003")
    reply = ask(conn, shop, "aah wacha, sitaki chochote tena", "254719940003")
    assert reply.order is not None and reply.order["status"] == "cancelled", reply.reply


def test_the_count_the_customer_says_they_gave_is_the_count(conn):
    """"I said 3 pairs" was "We don't have 'said'" and "nimesema jozi tatu" was "we don't sell that" (customer test
    s28)."""
    shop = make_shop(conn)
    ask(conn, shop, "nataka mchele mbili", "254719940011")
    reply = ask(conn, shop, "I said 4 packets", "254719940011")
    assert lines(reply) == {"Pishori Rice 1kg": 4}, reply.reply
    ask(conn, shop, "nataka mchele mbili na maziwa moja", "254719940012")
    reply = ask(conn, shop, "nilisema mchele tatu", "254719940012")
    assert lines(reply) == {"Pishori Rice 1kg": 3, "Brookside Fresh Milk 500ml": 1}, reply.reply


def test_the_count_it_is_not_is_no_count(conn):
    """"maziwa ni mbili tu bana, si nne" made the eggs four, and "sorry milk should be 2 not 4" was "We don't have
    'milk should be not'" (customer test s28b)."""
    shop = make_shop(conn)
    ask(conn, shop, "nataka mchele 4 na maziwa moja", "254719940021")
    reply = ask(conn, shop, "mchele ni mbili tu bana, si nne", "254719940021")
    assert lines(reply) == {"Pishori Rice 1kg": 2, "Brookside Fresh Milk 500ml": 1}, reply.reply
    ask(conn, shop, "nataka mchele 4 na maziwa moja", "254719940022")
    reply = ask(conn, shop, "sorry rice should be 3 not 4", "254719940022")
    assert lines(reply) == {"Pishori Rice 1kg": 3, "Brookside Fresh Milk 500ml": 1}, reply.reply
