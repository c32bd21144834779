"""Retrieval (issue 20): words beside a product that do not name a kind never make it "not sold", and the hard
fact of a brand's other model still does. Catalogues and sentences are
this file's own."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mtaabot.orders.quantities import price_range
from mtaabot.retrieval import retrieve
from tests.engine.conftest import make_shop

STUDIO = """name,description,price,currency,is_available,metadata
Dining Table 4 Seater,Mahogany dining table with four chairs,24000,KES,true,{}
Sofa 2 Seater,Fabric two seater sofa,18000,KES,true,{}
Shirt Ironing,Pressing of shirts per piece,50,KES,true,{}
"""
CLEANERS = """name,description,price,currency,is_available,metadata
Sofa Cleaning per Seat,Deep shampoo of fabric sofas at your home,600,KES,true,{}
Carpet Cleaning per Square Metre,Carpet shampoo and drying,150,KES,true,{}
"""
TAILOR = """name,description,price,currency,is_available,metadata
Kikoi Cloth 2m,Striped cotton kikoi cloth,900,KES,true,{}
Kikoi Shirt Tailoring,A shirt sewn from your kikoi,1200,KES,true,"{""duration_minutes"": 60}"
"""
PHONES = """name,description,price,currency,is_available,metadata
Oppo A17,Oppo A17 64GB dual SIM,15500,KES,true,{}
Oppo Reno 8,Oppo Reno 8 256GB,42000,KES,true,{}
Oppo 20W Charger,Original Oppo fast charger,1500,KES,true,{}
"""


@pytest.mark.parametrize(("text", "expected"), [
    ("Would you accept 20,000 for the dining set?", "Dining Table 4 Seater"),  # a set of the thing
    ("2500 for a sofa is too much, if i pick 2 would 4500 do", "Sofa 2 Seater"),  # a number beside a verb
    ("50 per shirt feels high for 8 shirts", "Shirt Ironing"),
])
def test_words_that_name_no_kind_never_make_a_sold_thing_not_sold(conn, text, expected):
    shop = make_shop(conn, catalogue=STUDIO)
    found = retrieve(conn, shop["id"], text, learned=False)
    assert not found.not_sold and found.hits and found.hits[0].name == expected, (found.verdict, found.hits)


def test_work_named_in_the_product_name_is_a_service_the_shop_does(conn):
    """"Sofa Cleaning" is work the shop does: asked with a verb the bridge does not know, it is still the answer."""
    shop = make_shop(conn, catalogue=CLEANERS)
    found = retrieve(conn, shop["id"], "Mnasafisha sofa?", learned=False)
    assert found.hits and found.hits[0].name == "Sofa Cleaning per Seat", (found.verdict, found.hits)
    assert found.hits[0].is_service


def test_you_have_them_is_not_a_verb_asking_for_work(conn):
    """"mnavyo" ("do you have them", class 8) is having, like "mnazo" / "mnayo"; not a service asked for."""
    shop = make_shop(conn, catalogue=TAILOR)
    found = retrieve(conn, shop["id"], "Vitambaa vya kikoi mnavyo?", learned=False)
    assert found.hits and found.hits[0].name == "Kikoi Cloth 2m", (found.verdict, found.hits)


def test_a_model_code_of_a_brand_the_shop_carries_in_other_models_is_not_sold(conn):
    shop = make_shop(conn, catalogue=PHONES)
    other = retrieve(conn, shop["id"], "Oppo F21 iko?", learned=False)
    assert other.not_sold and other.hits == [] and other.verdict == "model", other.hits
    same = retrieve(conn, shop["id"], "Oppo A17 iko?", learned=False)
    assert same.hits and same.hits[0].name == "Oppo A17"


def test_a_range_of_hours_is_not_a_price_range():
    assert price_range("can you collect my curtains tomorrow between 10 and 11") is None
    assert price_range("nichukulie kati ya 8 na 9 asubuhi") is None
    assert price_range("between 10k and 11k") == (Decimal(10000), Decimal(11000))
    assert price_range("between 500 and 800 bob") == (Decimal(500), Decimal(800))


SIMU = """name,description,price,currency,is_available,metadata
Itel A70,Itel A70 smartphone 64GB,9500,KES,true,"{""category"": ""phones""}"
Nokia 106,Nokia 106 button phone,2500,KES,true,"{""category"": ""phones""}"
Samsung A25,Samsung A25 smartphone 128GB,28000,KES,true,"{""category"": ""phones""}"
Oraimo Powerbank,Powerbank 10000mAh,1900,KES,true,"{""category"": ""accessories""}"
Silicone Cover,Silicone back cover,400,KES,true,"{""category"": ""accessories""}"
"""


@pytest.mark.parametrize(("text", "customer"), [("nionyeshe simu za below 15k", "254718000001"),
                                                ("show me phones under 15k", "254718000002")])
def test_show_me_is_no_word_of_the_things_in_a_price_range(conn, text, customer):
    """"nionyeshe simu za below 15k" listed a power bank and a cover: "nionyeshe" was searched as a thing."""
    from tests.engine.conftest import ask

    shop = make_shop(conn, catalogue=SIMU)
    result = ask(conn, shop, text, customer)
    assert {p["name"] for p in result.products} == {"Nokia 106", "Itel A70"}, result.reply
