"""Retrieval's learned "not sold" model (issue 20): the committed file is what the dev sets produce, it is used only
with the encoder it was trained on, and it can be turned off. Catalogue and sentences written for these tests."""

from __future__ import annotations

import json

import pytest

from mtaabot.retrieval import retrieve
from mtaabot.retrieval_model import (
    MESSAGE_FEATURES,
    MODEL_PATH,
    _not_sold_head,
    message_features,
    top_candidate,
)
from mtaabot.understanding import understand
from mtaabot.understanding_model import running_encoder
from tests.engine.conftest import ask, make_shop

BAKERY = """name,description,price,currency,is_available,metadata
White Bread 400g,Sliced white bread loaf (mkate),65,KES,true,{}
Brown Bread 400g,Sliced brown bread loaf,70,KES,true,{}
Mandazi,Fresh mandazi (maandazi) each,10,KES,true,{}
Birthday Cake 1kg,Vanilla birthday cake with icing,1800,KES,true,{}
Queen Cakes,Small queen cakes pack of 6,150,KES,true,{}
"""


def test_committed_model_is_what_the_dev_sets_produce(conn):
    """`python -m mtaabot.devtools.retrieval_loso --write` from the dev sets gives the committed file."""
    pytest.importorskip("sklearn")
    import numpy as np

    from mtaabot.devtools.retrieval_loso import collect_all, model_file

    committed = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    fresh = model_file(collect_all(conn, head=False))
    assert committed["encoder"] == fresh["encoder"], "the query encoder changed: run make retrieval-model"
    assert committed["message_features"] == fresh["message_features"] == list(MESSAGE_FEATURES)
    assert committed["threshold"] == fresh["threshold"] and committed["c"] == fresh["c"]
    assert np.allclose(committed["not_sold"]["w"], fresh["not_sold"]["w"], atol=1e-3), "run make retrieval-model"
    assert abs(committed["not_sold"]["b"] - fresh["not_sold"]["b"]) < 1e-3


def test_the_model_is_read_only_with_its_encoder():
    assert _not_sold_head(running_encoder()) is not None
    assert _not_sold_head("some-other-encoder") is None


def test_products_asked_for_are_still_answered_and_other_kinds_are_not_sold(conn):
    shop = make_shop(conn, catalogue=BAKERY)
    for text, name in (("Mkate wa brown ni bei gani?", "Brown Bread 400g"), ("Do you have mandazi?", "Mandazi"),
                       ("How much is a birthday cake?", "Birthday Cake 1kg")):
        result = ask(conn, shop, text)
        assert result.products and result.products[0]["name"] == name, (text, result.products)
    for text in ("Mnauza gas cylinder?", "Do you sell school shoes?", "Iko pasi ya stima?"):
        result = ask(conn, shop, text)
        assert not result.products and (result.intent == "not_sold" or result.escalated), (text, result.intent)


CORNER_SHOP = """name,description,price,currency,is_available,metadata
Kabras Sugar 1kg,White sugar,180,KES,true,{}
Oraimo FreePods Earbuds,Wireless earbuds with case,3500,KES,true,{}
Adidas Superstar,Classic white sneakers sizes 39 to 44,4500,KES,true,{}
Nike Air Force 1 White,All white sneakers sizes 38 to 45,5500,KES,true,{}
School Shoes,Black leather school shoes for children,1500,KES,true,{}
Samsung Galaxy A15 128GB,Android phone,18500,KES,true,{}
"""


@pytest.mark.parametrize(("text", "name"), [
    ("Mnauza sukari?", "Kabras Sugar 1kg"), ("Do you sell sugar?", "Kabras Sugar 1kg"),
    ("mnauza earphones?", "Oraimo FreePods Earbuds"), ("do you sell superstar?", "Adidas Superstar"),
    ("Mnauza AF1 size 42?", "Nike Air Force 1 White"), ("Habari, earphones ziko?", "Oraimo FreePods Earbuds"),
    ("hello do you have earphones", "Oraimo FreePods Earbuds")])
def test_do_you_sell_what_the_shop_names_is_sold(conn, text, name):
    """"Do you sell X?" / "Mnauza X?" is the commonest way to ask for anything; the learned model had taken the
    frame itself for "not sold" and answered "we don't sell that" of the shop's own sugar; with a greeting first,
    "earphones" beside its own bridge word "earbuds" was taken for a kind the shop lacks ("earphones earbuds")."""
    shop = make_shop(conn, catalogue=CORNER_SHOP)
    result = ask(conn, shop, text)
    assert result.products and result.products[0]["name"] == name, (text, result.intent, result.reply)


@pytest.mark.parametrize(("shop_name", "text", "name"), [
    ("Mama Njeri Duka", "Mnauza sukari?", "Kabras Sugar 1kg"), ("Mama Njeri Duka", "do you sell sugar?", "Kabras Sugar 1kg"),
    ("Simu Poa Electronics", "do you sell chargers?", "Type-C Fast Charger 25W")])
def test_do_you_sell_at_the_demo_shops(conn, shop_name, text, name):
    from mtaabot.devtools import demo

    shop = make_shop(conn, catalogue=demo.demo_catalogue()[shop_name])
    result = ask(conn, shop, text)
    assert result.products and result.products[0]["name"] == name, (text, result.intent, result.reply)


@pytest.mark.parametrize("text", ["Mnauza school bag?", "Do you sell Samsung TV?"])
def test_do_you_sell_what_the_shop_only_half_names_is_not_sold(conn, text):
    shop = make_shop(conn, catalogue=CORNER_SHOP)
    result = ask(conn, shop, text)
    assert not result.products and (result.intent == "not_sold" or result.escalated), (text, result.products)


def test_turned_off_the_rules_decide_alone(conn, monkeypatch):
    """MTAABOT_RETRIEVAL_LEARNED=0: `retrieve` gives exactly the rules' answer (`learned=False`)."""
    shop = make_shop(conn, catalogue=BAKERY)
    monkeypatch.setenv("MTAABOT_RETRIEVAL_LEARNED", "0")
    for text in ("Mnauza gas cylinder?", "Mkate wa brown ni bei gani?", "Cake ya chocolate iko?", "Una donuts?"):
        u = understand(text, "SWA")
        off = retrieve(conn, shop["id"], search=u.search)
        rules = retrieve(conn, shop["id"], search=u.search, learned=False)
        assert [h.name for h in off.hits] == [h.name for h in rules.hits] and off.not_sold == rules.not_sold


def test_features_read_what_retrieval_scored(conn):
    """The features come from the retrieval's own candidates: one per message feature, the rules' verdict one-hot."""
    shop = make_shop(conn, catalogue=BAKERY)
    u = understand("Mnauza gas cylinder?", "SWA")
    found = retrieve(conn, shop["id"], search=u.search, learned=False)
    x = message_features(found, u.search, top_candidate(found))
    assert len(x) == len(MESSAGE_FEATURES)
    verdicts = [v for name, v in zip(MESSAGE_FEATURES, x, strict=True) if name.startswith("verdict_")]
    assert sum(verdicts) == 1.0 and len(found.candidates) == 5


PHONES = """name,description,price,currency,is_available,metadata
Samsung Galaxy A15,Samsung A15 smartphone 128GB,18500,KES,true,{}
Samsung Galaxy A25,Samsung A25 smartphone 128GB,26000,KES,true,{}
Memory Card 32GB,SanDisk micro SD card 32GB,650,KES,true,{}
Memory Card 64GB,SanDisk micro SD card 64GB,1100,KES,true,{}
"""


def test_hard_facts_stay_not_sold(conn):
    """A model of a line the shop lists without it, or a variant it has only in others, is never given back as
    the neighbour (its price would be quoted for the thing asked): the rules' verdict stands whatever the model
    says."""
    shop = make_shop(conn, catalogue=PHONES)
    for text in ("Mna Samsung A55?", "Memory card ya 256GB iko?"):
        u = understand(text, "SWA")
        rules = retrieve(conn, shop["id"], search=u.search, learned=False)
        assert rules.not_sold and rules.verdict in {"model", "variant"}, (text, rules.verdict)
        found = retrieve(conn, shop["id"], search=u.search)
        assert found.not_sold and not found.hits, text
        result = ask(conn, shop, text)
        assert not result.products, (text, result.products)


@pytest.mark.parametrize(("text", "name"), [("mama achieng mnauza sukari", "Kabras Sugar 1kg"),
                                            ("Habari Mama Achieng, earphones ziko?", "Oraimo FreePods Earbuds")])
def test_the_shop_addressed_by_its_name_is_no_thing_asked_for(conn, text, name):
    """"mama njeri mnauza mchele" at Mama Njeri Duka was "we don't sell that": the shop's name was searched for."""
    import uuid

    shop = make_shop(conn, catalogue=CORNER_SHOP, name=f"Mama Achieng Shop {uuid.uuid4().hex[:4]}")
    result = ask(conn, shop, text)
    assert result.products and result.products[0]["name"] == name, (text, result.intent, result.reply)
