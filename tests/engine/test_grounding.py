"""What in a question must match a product before it is the answer: the variant asked for (GB, inches, mAh),
work versus goods (a repair is not a screen protector; a shop that sells shoes does not mend them), brands the
shop never names, and what the customer says they do not want. Sentences written for these tests."""

from __future__ import annotations

import pytest

from mtaabot.retrieval import retrieve, variant_tokens
from mtaabot.understanding import understand
from tests.engine.conftest import ask, make_shop

ELECTRONICS = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Samsung Smart TV 32 inch,Samsung 32 inch smart TV (runinga),23000,KES,true,{},false,
TCL Smart TV 43 inch,TCL 43 inch Android smart TV,32000,KES,true,{},false,
SanDisk Flash Disk 16GB,SanDisk USB flash disk 16GB,700,KES,true,{},false,
SanDisk Flash Disk 32GB,SanDisk USB flash disk 32GB,1000,KES,true,{},false,
Oraimo Power Bank 10000mAh,Oraimo power bank 10000mAh,1900,KES,true,{},false,
Oraimo Power Bank 20000mAh,Oraimo power bank 20000mAh,3200,KES,true,{},false,
Screen Protector,Tempered glass screen protector for phones,300,KES,true,{},false,
Phone Screen Repair,"Replacing a cracked phone screen, about 1 hour",3000,KES,true,{},true,60
"""
REPAIRS_ONLY = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
TV Repair,"Repairing a TV with no picture or no sound, check-up included",1500,KES,true,{},true,120
Radio Repair,Repairing radios and home theatre systems,800,KES,true,{},true,60
"""
SHOE_STALL = """name,description,price,currency,is_available,metadata
Men's Loafers,Brown leather loafers for men (viatu vya ngozi) sizes 40 to 45,2600,KES,true,{}
Ladies Sandals,Flat leather sandals for ladies sizes 36 to 41,900,KES,true,{}
Canvas Sneakers,White canvas sneakers (raba) sizes 37 to 44,1500,KES,true,{}
"""


def _top(conn, shop, text: str) -> str | None:
    u = understand(text, "SWA")
    found = retrieve(conn, shop["id"], text, query=u.query)
    return found.hits[0].name if found.hits else None


@pytest.mark.parametrize(("text", "tokens"), [
    ("Flash ya 32 gigs ni ngapi?", {"32gb"}),
    ("godoro la futi 4 kwa 6", {"4x6"}),
    ("TV ya inchi arobaini na tatu", {"43inch"}),  # forty-three, not forty
    ("Ten thousand mAh power bank", set()),
    ("power bank ya 20000 mAh", {"20000mah"}),
    ("a three-seater sofa", {"3seater"}),
    ("Nipe lita tatu za mafuta", {"3l"}),
])
def test_numbers_that_name_a_variant_are_read_as_one(text, tokens):
    assert set(variant_tokens(text)) == tokens


@pytest.mark.parametrize(("text", "expected"), [
    ("Flash ya 32 gigs ni ngapi?", "SanDisk Flash Disk 32GB"),
    ("flash disk 16gb iko?", "SanDisk Flash Disk 16GB"),
    ("TV ya inchi 43 ni bei gani?", "TCL Smart TV 43 inch"),
    ("How much is the 32 inch TV?", "Samsung Smart TV 32 inch"),
    ("power bank ya 20000 mAh", "Oraimo Power Bank 20000mAh"),
])
def test_the_variant_asked_for_comes_first(conn, text, expected):
    shop = make_shop(conn, catalogue=ELECTRONICS)
    assert _top(conn, shop, text) == expected


@pytest.mark.parametrize("text", ["Mna flash ya 128GB?", "TV ya inchi 55 iko?", "Do you have a 30000mAh power bank?"])
def test_a_variant_the_shop_does_not_stock_is_not_sold(conn, text):
    shop = make_shop(conn, catalogue=ELECTRONICS)
    found = retrieve(conn, shop["id"], text, query=understand(text, "SWA").query)
    assert found.not_sold and found.hits == [], [h.name for h in found.hits]


def test_a_quantity_in_litres_is_not_a_missing_variant(conn):
    duka = make_shop(conn)  # the demo duka sells cooking oil by the 1-litre bottle
    found = retrieve(conn, duka["id"], "Nipe lita tatu za mafuta ya kupikia")
    assert found.hits and "Cooking Oil" in found.hits[0].name


def test_a_repair_or_an_appointment_ranks_the_service_over_goods_like_it(conn):
    shop = make_shop(conn, catalogue=ELECTRONICS)
    assert _top(conn, shop, "Nataka kubadilisha screen ya simu kesho saa tatu") == "Phone Screen Repair"
    assert _top(conn, shop, "Can you fix my cracked phone screen on Friday at 2pm?") == "Phone Screen Repair"
    assert _top(conn, shop, "Screen protector ni ngapi?") == "Screen Protector"


@pytest.mark.parametrize("text", ["Mnashona viatu vilivyochanika?", "Do you repair sandals?",
                                  "Mnatengeneza raba zilizoachana?"])
def test_a_shop_that_sells_goods_does_not_mend_them(conn, text):
    stall = make_shop(conn, catalogue=SHOE_STALL)
    found = retrieve(conn, stall["id"], text)
    assert found.not_sold and found.hits == [], [h.name for h in found.hits]


def test_a_shop_that_only_repairs_does_not_sell_the_things(conn):
    fundi = make_shop(conn, catalogue=REPAIRS_ONLY)
    assert retrieve(conn, fundi["id"], "Do you sell TVs?").not_sold
    assert retrieve(conn, fundi["id"], "Mnauza redio?").not_sold
    assert _top(conn, fundi, "Mnatengeneza TV haina picha?") == "TV Repair"


@pytest.mark.parametrize("text", ["Mna TV za Hisense?", "Do you have Vitron TVs?", "Flash ya Kingston P32 iko?"])
def test_a_brand_the_shop_never_names_is_not_sold(conn, text):
    shop = make_shop(conn, catalogue=ELECTRONICS)
    found = retrieve(conn, shop["id"], text, query=understand(text, "SWA").query)
    assert found.not_sold and found.hits == [], [h.name for h in found.hits]


@pytest.mark.parametrize(("text", "expected"), [
    ("Do you have Samsung TVs?", "Samsung Smart TV 32 inch"),
    ("TV ya TCL ni ngapi?", "TCL Smart TV 43 inch"),
    ("Oraimo Traveller power bank ni ngapi?", "Oraimo Power Bank 10000mAh"),  # a model name after a brand it has
])
def test_a_brand_the_shop_has_still_answers(conn, text, expected):
    shop = make_shop(conn, catalogue=ELECTRONICS)
    top = _top(conn, shop, text)
    assert top is not None and top.split()[0] == expected.split()[0], top


def test_what_the_customer_refuses_is_not_searched_for(conn):
    shop = make_shop(conn, catalogue=ELECTRONICS)
    assert _top(conn, shop, "Sitaki ya 16GB, flash ya 32GB ni ngapi?") == "SanDisk Flash Disk 32GB"
    assert _top(conn, shop, "I don't want the Samsung one, how much is the TCL TV?") == "TCL Smart TV 43 inch"
    assert understand("sitaki hiyo", "SWA").query.terms == understand("sitaki hiyo", "SWA").query.terms  # no crash
    assert understand("Sitaki", "SWA").query.original == "Sitaki"  # a bare refusal keeps its words


def test_an_order_for_nothing_the_shop_sells_is_answered_not_sold(conn):
    stall = make_shop(conn, catalogue=SHOE_STALL)
    result = ask(conn, stall, "Nataka kofia mbili na soksi tatu")
    assert result.intent == "not_sold" and result.order is None and not result.products, result.reply


BARBER = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Kids Haircut,Haircut for children under 12,150,KES,true,{},true,20
Men's Haircut,Haircut with clippers and a clean line-up,250,KES,true,{},true,30
Phone Pouch,Small leather pouch (mfuko wa simu) for any phone,400,KES,true,{},false,
Samsung Charger,Fast charger for Samsung phones,900,KES,true,{},false,
"""


def test_a_plain_request_is_the_grown_up_one_and_children_when_named(conn):
    shop = make_shop(conn, catalogue=BARBER)
    assert _top(conn, shop, "Can I get a haircut on Monday at 9am?") == "Men's Haircut"
    assert _top(conn, shop, "Haircut ya mtoi wangu ni ngapi?") == "Kids Haircut"


def test_the_thing_named_first_in_swahili_outweighs_what_it_is_for(conn):
    shop = make_shop(conn, catalogue=BARBER)
    assert _top(conn, shop, "Mfuko wa simu ya Samsung ni bei gani?") == "Phone Pouch"
    assert _top(conn, shop, "Charger ya Samsung iko?") == "Samsung Charger"
