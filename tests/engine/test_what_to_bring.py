"""What to come with for a service ("nikuje na ID?", "nahitaji kuja na nini?", "what should I bring?") about the
service just shown: the catalogue's words when they say it, else the owner is asked. "nikuje na ID?" was read as
haggling ("our prices are as listed") and "nahitaji kuja na nini" as "we don't sell that". A service's answer
closes with a day and time to book, never "reply with how many". Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Airtel Line Swap,Replacing a lost Airtel line; come with your original ID,150,KES,true,{},true,20
Laptop Servicing,"Cleaning and repasting a laptop, done in a day",2500,KES,true,{},true,120
USB Flash 32GB,Sandisk flash disk 32GB,800,KES,true,{},false,
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


@pytest.mark.parametrize(("question", "customer"), [
    ("nikuje na ID?", "254717000001"),
    ("nahitaji kuja na nini", "254717000002"),
    ("what should I bring?", "254717000003"),
])
def test_what_to_bring_is_what_the_catalogue_says(conn, shop, question, customer):
    ask(conn, shop, "line swap ya airtel ni ngapi", customer)
    result = ask(conn, shop, question, customer)
    assert "original ID" in result.reply and not result.escalated, result.reply
    assert result.intent not in ("discount", "not_sold"), result.intent
    assert "idadi" not in result.reply and "quantity" not in result.reply, result.reply


def test_what_to_bring_the_catalogue_does_not_say_goes_to_the_owner(conn, shop):
    customer = "254717000004"
    ask(conn, shop, "laptop servicing ni bei gani", customer)
    result = ask(conn, shop, "nikuje na charger yake?", customer)
    assert result.escalated and result.intent == "product_question", result.reply
