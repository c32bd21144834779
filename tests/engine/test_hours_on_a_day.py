"""Asked whether the shop is open on a day ("mko open jumapili?", "do you open on saturday?"), the answer is about
that day: shut then, or its hours (it was the whole week's hours, never "we are closed on Sunday"). Shop and
sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Bread 400g,Fresh white bread,65,KES,true,{}
"""


def test_a_day_the_shop_is_shut_is_said_to_be_shut(conn):
    shop = make_shop(conn, catalogue=CATALOGUE, opening_hours="Mon-Sat 8am-6pm")
    for text, said in (("mko open jumapili?", "tumefunga"), ("are you open on sunday?", "closed")):
        result = ask(conn, shop, text)
        assert said in result.reply and "Sun" in result.reply, result.reply


def test_a_day_the_shop_opens_gets_that_days_hours(conn):
    shop = make_shop(conn, catalogue=CATALOGUE, opening_hours="Mon-Fri 8am-6pm, Sat 9am-1pm")
    result = ask(conn, shop, "do you open on saturday?")
    assert "Sat" in result.reply and "09:00-13:00" in result.reply, result.reply
