"""Retrieval: a thing asked for the model it fits ("cover ya Infinix Hot 40", "charger for the Redmi 13") is that
thing, not the phone whose name matches more of the words. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from mtaabot.retrieval import retrieve
from tests.engine.conftest import ask, make_shop

SHOP = """name,description,price,currency,is_available,metadata
Infinix Hot 40 256GB,Android phone with 5000mAh battery,17500,KES,true,"{""category"": ""phones""}"
Redmi 13 128GB,Xiaomi Android phone,16000,KES,true,"{""category"": ""phones""}"
Oppo A18,Oppo A18 smartphone 128GB,15000,KES,true,"{""category"": ""smartphone""}"
Silicone Phone Case,Soft back case for most models,450,KES,true,"{""category"": ""accessories""}"
USB-C Charger 33W,Fast charger with cable,1300,KES,true,"{""category"": ""accessories""}"
Screen Guard,Tempered glass screen guard,250,KES,true,"{""category"": ""accessories""}"
Nike Air Force 1 Low,"White leather low-tops, sizes 38 to 45",3500,KES,true,"{""category"": ""footwear""}"
Sneaker Cleaning Kit,"Brush, foam cleaner and cloth for sneakers",450,KES,true,"{""category"": ""care""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=SHOP)


@pytest.mark.parametrize(("text", "expected"), [
    ("case ya infinix hot 40 iko?", "Silicone Phone Case"),
    ("hii case ni ya redmi 13?", "Silicone Phone Case"),
    ("do you have a charger for the redmi 13", "USB-C Charger 33W"),
    ("redmi 13 charger ni pesa ngapi", "USB-C Charger 33W"),
    ("screen guard ya infinix hot 40 bei", "Screen Guard"),
    ("sneaker cleaning kit ya AF1 zangu", "Sneaker Cleaning Kit"),  # a thing of three words, a model's initials
    # the phone itself is still the phone
    ("infinix hot 40 iko?", "Infinix Hot 40 256GB"),
    ("simu ya infinix hot 40 bei gani", "Infinix Hot 40 256GB"),
    ("nataka simu ya oppo a18", "Oppo A18"),  # a smartphone is a phone, whatever else says "phone"
])
def test_the_thing_named_for_a_model_is_the_thing_asked(conn, shop, text, expected):
    found = retrieve(conn, shop["id"], text)
    assert not found.not_sold and found.hits, (found.verdict, found.hits)
    assert [h.name for h in found.hits] == [expected], found.hits


def test_ordering_the_case_for_a_model_orders_cases_not_phones(conn, shop):
    """"nipe mbili" after asking for the Hot 40's case is two cases (KES 900), never two phones (KES 35,000)."""
    customer = "254711555001"
    first = ask(conn, shop, "case ya infinix hot 40 iko?", customer)
    assert "450" in first.reply and "17,500" not in first.reply, first.reply
    order = ask(conn, shop, "nipe mbili", customer)
    assert "2 × Silicone Phone Case" in order.reply and "900" in order.reply, order.reply
    assert "Infinix" not in order.reply, order.reply
