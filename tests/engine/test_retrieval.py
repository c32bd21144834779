"""Hybrid retrieval: Swahili/Sheng words find English rows, tenants are isolated, unknown things are not sold."""

from __future__ import annotations

import pytest

from mtaabot.retrieval import retrieve
from tests.engine.conftest import make_shop

HARDWARE = """name,description,price,currency,is_available,metadata
Solex Padlock 60mm,Heavy duty brass padlock with 3 keys,650,KES,true,{}
Bamburi Cement 50kg,Portland cement bag for building,780,KES,true,{}
Goat Meat 1kg,Fresh goat meat per kilo,800,KES,true,{}
"""
SHOES = """name,description,price,currency,is_available,metadata
Official Leather Shoes,Black leather office shoes for men,2800,KES,true,"{""sizes"": ""40-46""}"
Open Sandals,Leather open sandals for men and women,900,KES,true,{}
"""


@pytest.mark.parametrize(("text", "expected"), [
    ("Unga ya ugali iko?", "Jogoo Maize Flour 2kg"),
    ("Mafuta ya kupikia ni bei gani?", "Elianto Cooking Oil 1L"),
    ("Sukari kilo moja ngapi?", "Kabras Sugar 1kg"),
    ("Nipee mayai tray moja", "Tray of Eggs"),
    ("Gesi refill ni pesa ngapi?", "Cooking Gas Refill 6kg"),
])
def test_swahili_and_sheng_words_find_english_catalogue_rows(conn, text, expected):
    shop = make_shop(conn)
    found = retrieve(conn, shop["id"], text)
    assert found.hits and found.hits[0].name == expected, [h.name for h in found.hits]


def test_bridge_words_across_shop_types(conn):
    hardware = make_shop(conn, catalogue=HARDWARE)
    shoes = make_shop(conn, catalogue=SHOES)
    assert retrieve(conn, hardware["id"], "Kufuli ya mlango ni ngapi?").hits[0].name == "Solex Padlock 60mm"
    assert retrieve(conn, hardware["id"], "Nyama ya mbuzi iko?").hits[0].name == "Goat Meat 1kg"
    assert retrieve(conn, shoes["id"], "Mna viatu vya ofisi?").hits[0].name == "Official Leather Shoes"


@pytest.mark.parametrize("text", ["Do you sell solar panels?", "Mnauza samaki?", "Mko na laptop?",
                                  "Nataka wigi ya nywele",
                                  "two loaves please"])  # loaves (of bread) were the tea leaves, by their sound
def test_things_the_shop_does_not_sell_come_back_empty(conn, text):
    shop = make_shop(conn)
    found = retrieve(conn, shop["id"], text)
    assert found.hits == [] and found.not_sold, [(h.name, h.vector, h.lexical) for h in found.hits]


def test_a_business_never_retrieves_another_business_products(conn):
    mine = make_shop(conn, catalogue=SHOES)
    other = make_shop(conn, catalogue=HARDWARE)
    other_ids = {r["id"] for r in conn.execute("SELECT id FROM products WHERE business_id = %s",
                                               (other["id"],)).fetchall()}
    for text in ("padlock", "kufuli", "cement", "nyama ya mbuzi", "shoes", "sandals"):
        found = retrieve(conn, mine["id"], text)
        assert not {h.id for h in found.hits} & other_ids, text
    assert retrieve(conn, mine["id"], "Do you have a padlock?").hits == []


def test_available_product_is_preferred_when_both_match(conn):
    catalogue = """name,description,price,currency,is_available,metadata
Fresh Fri Cooking Oil 3L,Vegetable cooking oil 3 litre,1050,KES,false,{}
Elianto Cooking Oil 3L,Corn cooking oil 3 litre,1100,KES,true,{}
"""
    shop = make_shop(conn, catalogue=catalogue)
    found = retrieve(conn, shop["id"], "cooking oil 3 litre")
    assert found.hits[0].name == "Elianto Cooking Oil 3L"


def test_large_tenant_path_uses_index_candidates_and_stays_scoped(conn, monkeypatch):
    """Bigger shops: candidates from an exact vector top-k or HNSW (iterative scan), plus full-text search."""
    from mtaabot import retrieval

    mine = make_shop(conn, catalogue=SHOES)
    other = make_shop(conn, catalogue=HARDWARE)
    monkeypatch.setattr(retrieval, "ALL_ROWS_LIMIT", 1)
    for exact_limit in (1000, 1):  # mid-size shop (exact top-k) and huge shop (HNSW) paths
        monkeypatch.setattr(retrieval, "EXACT_SCAN_LIMIT", exact_limit)
        assert retrieve(conn, mine["id"], "Mna viatu vya ofisi?").hits[0].name == "Official Leather Shoes"
        assert retrieve(conn, mine["id"], "Do you have sandals?").hits[0].name == "Open Sandals"
        found = retrieve(conn, mine["id"], "Kufuli ya mlango ni ngapi?")
        assert found.hits == [] and found.not_sold
        assert retrieve(conn, other["id"], "kufuli").hits[0].name == "Solex Padlock 60mm"
        conn.rollback()
