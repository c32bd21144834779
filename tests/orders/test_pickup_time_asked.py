""""Naweza kuja kuchukua saa tatu usiku?" with an order open: the time asked went unanswered (the order was shown
again) and the customer came to a closed shop (owner test s30). The pickup is noted and the time is answered from
the shop's hours. Catalogue and sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask
from tests.orders.conftest import till_shop

CATALOGUE = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Canvas Sneakers,Canvas sneakers,2000,KES,true,{},false,
"""


def test_a_pickup_time_after_hours_is_answered_with_when_the_shop_opens(conn):
    shop = till_shop(conn, CATALOGUE)  # open Mon-Sat 7am-9pm
    ask(conn, shop, "nataka canvas sneakers moja", "254722001201")
    late = ask(conn, shop, "naweza kuja kuchukua saa tano usiku?", "254722001201")
    assert "tumefunga" in late.reply and "kuanzia" in late.reply and "Canvas Sneakers" in late.reply, late.reply
    assert late.order["status"] == "draft" and late.order["fulfilment"] == "pickup"
    ask(conn, shop, "nataka canvas sneakers moja", "254722001202")
    open_then = ask(conn, shop, "naweza kuja kuchukua jumatatu saa nne asubuhi?", "254722001202")
    assert "tuko wazi" in open_then.reply and "tumefunga" not in open_then.reply, open_then.reply
