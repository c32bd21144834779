"""Asked about a thing for a model ("phone cover ya samsung a15 iko?"), the phone was listed first, and "nipe mbili"
then ordered two phones (KES 37,000 for what was two covers); the cover is now the answer. A colour said before a
model's initials ("white AF1 size 44") was "we don't sell that": "white" was read as the brand whose models lack
an "AF1". Catalogue and sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, make_shop, order_lines

CATALOGUE = """name,description,price,currency,is_available,metadata
Oppo A18 Phone,Smartphone 128GB,15500,KES,true,"{""category"": ""phones""}"
Silicone Phone Cover,Back cover (case) for popular models,450,KES,true,"{""category"": ""accessories""}"
Nike Air Max 90 Black,Running sneakers,6200,KES,true,"{""category"": ""shoes"", ""sizes"": ""39-46""}"
"""



def test_a_cover_for_a_phone_is_the_cover_and_two_of_it_are_covers(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254719300001"
    asked = ask(conn, shop, "phone cover ya oppo a18 iko?", customer)
    assert asked.reply.index("Silicone Phone Cover") < asked.reply.find("Oppo A18 Phone") \
        or "Oppo A18 Phone" not in asked.reply, asked.reply
    result = ask(conn, shop, "nipe mbili", customer)
    assert {name for name, _ in order_lines(result)} == {"Silicone Phone Cover"}, result.reply
    assert sum(order_lines(result).values()) == 2, result.reply


def test_a_colour_before_the_initials_is_still_the_shoe(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    result = ask(conn, shop, "black AM90 size 44", "254719300002")
    assert not result.escalated and "6,200" in result.reply, result.reply
