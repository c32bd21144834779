"""Agreeing words in an order are no things asked for (customer test s24): "ok deal, 2 pairs size 40 at 3000 each,
confirm" answered "We don't have “deal” here. We don't have “each” here. We don't have “confirm” here." and left the
cart at one pair; a thing the shop does not sell beside the cart is still said. The sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, make_shop

SHOES = ("name,description,price,currency,is_available,metadata\n"
         'Nike Air Force 1 White,White sneakers,3500,KES,true,"{""sizes"": ""38-45""}"\n')


def test_deal_each_and_confirm_are_no_things_and_the_count_is_taken(conn):
    shop = make_shop(conn, catalogue=SHOES)
    ask(conn, shop, "nataka air force 1 size 40", "254719600001")
    reply = ask(conn, shop, "ok deal, 2 pairs size 40 at 3000 each, confirm", "254719600001")
    assert "don't have" not in reply.reply and "Hatuna" not in reply.reply, reply.reply
    assert [(i["quantity"], i["variant"]) for i in reply.order["items"]] == [(2, "size 40")]


def test_a_thing_not_sold_beside_the_cart_is_still_said(conn):
    shop = make_shop(conn)
    reply = ask(conn, shop, "nataka sukari 2 na radio", "254719600002")
    assert "“radio”" in reply.reply and reply.order["items"][0]["quantity"] == 2, reply.reply


def test_go_ahead_and_unit_are_no_things(conn):
    """"ok go ahead with 3" and "the iPhone 13 please, 1 unit" began "We don't have “go ahead”/“unit” here"
    (customer test s25)."""
    shop = make_shop(conn, catalogue=SHOES)
    ask(conn, shop, "air force 1 bei?", "254719600003")
    reply = ask(conn, shop, "ok go ahead with 2, size 41", "254719600003")
    assert "don't have" not in reply.reply and "Hatuna" not in reply.reply, reply.reply
    assert [(i["quantity"], i["variant"]) for i in reply.order["items"]] == [(2, "size 41")]
    unit = ask(conn, shop, "Nike Air Force 1 size 42 please, 1 unit", "254719600004")
    assert "don't have" not in unit.reply and unit.order["items"][0]["quantity"] == 1, unit.reply
