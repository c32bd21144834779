""""How long will it take?" of a service whose catalogue gives no minutes but whose description says "same day"
is answered "same day" (it was handed to the owner). Catalogue and sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Laptop Screen Repair,"Cracked laptop screens replaced, same day",6500,KES,true,"{""category"": ""repairs""}"
"""


def test_how_long_a_same_day_repair_takes(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    customer = "254714900001"
    ask(conn, shop, "mnarepair screen ya laptop?", customer)
    for text in ("inachukua muda gani", "how long will it take"):
        result = ask(conn, shop, text, customer)
        assert "same day" in result.reply and not result.escalated, result.reply
