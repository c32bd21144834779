""""hiyo" after a notice about one line is that line (customer test s28): after "Pishori Rice zimebaki 1 tu" with the
sugar and the rice in the order, "sawa nipe hiyo moja basi" made the sugar one and left the rice at two; after "Fresh
Fri 3L imeisha, Elianto 1L iko", "sawa weka hizo za lita moja tatu" made the milk two and added no oil. Sentences are
this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, make_shop


def lines(reply) -> dict[str, int]:
    return {i["name"]: i["quantity"] for i in reply.order["items"]}


def test_the_one_left_is_the_line_the_notice_named(conn):
    shop = make_shop(conn)
    conn.execute("UPDATE products SET stock = 1 WHERE business_id = %s AND name = 'Pishori Rice 1kg'", (shop["id"],))
    first = ask(conn, shop, "nataka sukari 3 na mchele 2", "254718995001")
    assert "1" in first.reply, first.reply
    reply = ask(conn, shop, "sawa nipe hiyo moja basi", "254718995001")
    assert lines(reply) == {"Kabras Sugar 1kg": 3, "Pishori Rice 1kg": 1}, reply.reply


def test_the_thing_offered_instead_is_the_one_taken(conn):
    shop = make_shop(conn)
    conn.execute("UPDATE products SET is_available = false WHERE business_id = %s AND name = 'Jogoo Maize Flour 2kg'",
                 (shop["id"],))
    first = ask(conn, shop, "nataka maziwa sita na unga jogoo", "254718995002")
    offered = [name for name in ("Ajab Home Baking Flour 2kg",) if name in first.reply]
    assert offered, first.reply
    reply = ask(conn, shop, "sawa weka hiyo mbili", "254718995002")
    assert lines(reply) == {"Brookside Fresh Milk 500ml": 6, offered[0]: 2}, reply.reply
