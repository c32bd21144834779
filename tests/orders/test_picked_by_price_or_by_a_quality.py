"""Phones asked for with a quality ("a phone under 10k with good battery", "simu yenye camera nzuri chini ya 20k") are
the shop's phones in that range (a cover and a power bank were listed among them); "the cheapest one, 2 pieces"
after a list orders two of its cheapest (it was "We don't have 'cheapest'" and, once read, three). Lead's probes s28;
catalogue and sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Itel A70,"Smartphone 64GB, 5000mAh battery",9500,KES,true,"{""category"": ""phones""}"
Redmi 13C,"Smartphone 128GB, 50MP camera",16500,KES,true,"{""category"": ""phones""}"
Oppo A38,"Smartphone 128GB",21000,KES,true,"{""category"": ""phones""}"
Battery Pack 10000mAh,"Power bank with two USB ports",1800,KES,true,"{""category"": ""accessories""}"
Silicone Phone Case,"Soft case for most phones",400,KES,true,"{""category"": ""accessories""}"
"""


def names(reply) -> list[str]:
    return [line.split(":")[0].strip("• ").strip() for line in reply.reply.splitlines() if line.startswith("•")]


def test_phones_with_a_quality_in_a_range_are_the_phones(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, "simu ya chini ya 20k yenye battery kubwa", "254719920001")
    assert names(reply) == ["Itel A70", "Redmi 13C"], reply.reply
    reply = ask(conn, shop, "any phone below 17k with a good camera?", "254719920002")
    assert set(names(reply)) <= {"Itel A70", "Redmi 13C"} and "Battery Pack" not in reply.reply \
        and "Case" not in reply.reply, reply.reply


def test_the_cheapest_of_the_list_with_a_count_is_ordered(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    ask(conn, shop, "phones under 25k?", "254719920011")
    reply = ask(conn, shop, "ok the cheapest one, 2 pieces", "254719920011")
    assert reply.order is not None, reply.reply
    assert [(i["name"], i["quantity"]) for i in reply.order["items"]] == [("Itel A70", 2)], reply.reply
    assert "cheapest" not in reply.reply.lower(), reply.reply


def test_the_dearest_of_the_list_is_ordered(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    ask(conn, shop, "simu za chini ya 25k ni gani?", "254719920012")
    reply = ask(conn, shop, "nipe ile ya bei ghali zaidi", "254719920012")
    assert reply.order is not None and [i["name"] for i in reply.order["items"]] == ["Oppo A38"], reply.reply
