"""A day word inside a product's name is the product's, not a day (probes s29): with 2 × Elianto in the order, "na
fresh fri?" added more Elianto (the "fri" read as Friday left only "fresh", a variant word, so "more of the one in the
cart"), and "nataka elianto 2 na fresh fri 3L" became a booking asking what time to come on Friday. Sentences are this
file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, make_shop


def lines(reply) -> dict[str, int]:
    return {i["name"]: i["quantity"] for i in reply.order["items"]}


def test_asking_for_a_product_whose_name_has_a_day_changes_no_line(conn):
    shop = make_shop(conn)  # Fresh Fri Cooking Oil 3L is sold out in the demo catalogue
    ask(conn, shop, "nataka elianto mbili", "254718996001")
    asked = ask(conn, shop, "na fresh fri?", "254718996001")
    assert lines(asked) == {"Elianto Cooking Oil 1L": 2}, asked.reply
    assert "Fresh Fri" in asked.reply, asked.reply


def test_an_order_naming_it_is_no_booking_for_that_day(conn):
    shop = make_shop(conn)
    reply = ask(conn, shop, "nataka elianto 2 na fresh fri 3L", "254718996002")
    assert reply.order["kind"] == "order" and lines(reply) == {"Elianto Cooking Oil 1L": 2}, reply.reply
    assert "saa ngapi" not in reply.reply.lower(), reply.reply


def test_the_day_itself_is_still_a_day(conn):
    shop = make_shop(conn, catalogue="name,description,price\nFresh Fri Cooking Oil 3L,Cooking oil,1050\n"
                                     "Box Braids,Braiding,2500\n")
    reply = ask(conn, shop, "book me box braids fri 10am", "254718996003")
    assert "Fri" in reply.reply and "10" in reply.reply, reply.reply
