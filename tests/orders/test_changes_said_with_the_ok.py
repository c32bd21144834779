"""A change said in the same breath as the ok is the change, never a yes to what was shown: "sawa, na ongeza
cleaning kit" confirmed the order without the kit; "sitaweza kesho, hamisha iwe jumanne saa nane" re-confirmed the
booking on the old day (the first day said won). Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_salon, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Clarks Desert Boots,Suede desert boots,6500,KES,true,"{""sizes"": ""39-46""}"
Suede Brush Kit,Brush and cleaner for suede shoes,600,KES,true,{}
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


@pytest.mark.parametrize(("more", "customer"), [
    ("sawa, na ongeza suede brush kit", "254714300001"),
    ("ok add a suede brush kit", "254714300002"),
])
def test_more_said_with_the_ok_is_added_not_confirmed(conn, shop, more, customer):
    ask(conn, shop, "nipe clarks desert boots size 42", customer)
    result = ask(conn, shop, more, customer)
    assert result.order["status"] == "draft", result.reply
    assert {i["name"] for i in result.order["items"]} == {"Clarks Desert Boots", "Suede Brush Kit"}, result.reply
    assert "KES 7,100" in result.reply, result.reply


@pytest.mark.parametrize(("change", "customer"), [
    ("na nimebadilisha mind, nataka 2 pairs", "254714300003"),
    ("sorry I changed my mind, make it 2 pairs", "254714300004"),
])
def test_a_mind_changed_is_said_and_no_thing_asked_for(conn, shop, change, customer):
    """"Hatuna 'nimebadilisha mind'" stood above the new count (customer test s29)."""
    ask(conn, shop, "nipe clarks desert boots size 42", customer)
    result = ask(conn, shop, change, customer)
    assert result.order["items"][0]["quantity"] == 2 and "mind" not in result.reply, result.reply


def test_moving_a_booking_away_from_the_day_said_first_takes_the_new_day(conn):
    salon = make_salon(conn, """name,description,price,currency,is_available,metadata
Silk Press,Silk press on natural hair,1500,KES,true,{}
""", minutes=60)
    customer = "254714300011"
    first = ask(conn, salon, "nataka silk press jumatatu saa nane", customer)
    ask(conn, salon, "ndio", customer)
    moved = ask(conn, salon, "aki sitaweza jumatatu, hamisha iwe jumanne saa tisa", customer)
    assert "Mon" in first.reply and "Tue" in moved.reply and "15:00" in moved.reply, moved.reply
    assert moved.order["status"] == "awaiting_payment", moved.reply  # moved, still confirmed (s25)


def test_ok_then_taking_one_out_changes_the_order_and_confirms_nothing(conn):
    """"ok ondoa earphones, just the charger" confirmed the order with both lines (customer test s30b)."""
    from tests.engine.conftest import ask, make_shop

    shop = make_shop(conn)
    customer = "254719930091"
    ask(conn, shop, "nataka sukari moja na maziwa moja", customer)
    reply = ask(conn, shop, "ok ondoa maziwa, just the sugar", customer)
    assert reply.order["status"] == "draft", reply.reply
    assert [i["name"] for i in reply.order["items"]] == ["Kabras Sugar 1kg"], reply.reply
