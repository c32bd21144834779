"""When the order comes is the owner's to say: "oda yangu itafika saa ngapi?" right after paying got "Oda #9: inasubiri
malipo" (read as "you have not paid"), and "je imetoka?" after the owner confirmed got "we don't sell that"; the owner
never heard the customer was asking (customer test s27). Catalogue and sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask
from tests.owners.conftest import shop_with_owner

OWNER = "254700000783"
CATALOGUE = """name,description,price,currency,is_available,metadata
Menengai Sugar 1kg,White sugar,175,KES,true,"{""category"": ""sugar""}"
"""


def _asked_when(conn, shop) -> list[str]:
    return [r["body"] for r in conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'order'",
                                            (shop["id"],)).fetchall() if "itafika lini" in r["body"]
            or "will arrive" in r["body"]]


def test_when_it_comes_is_asked_of_the_owner_before_and_after_the_payment_is_confirmed(conn, monkeypatch):
    shop = shop_with_owner(conn, monkeypatch, OWNER, catalogue=CATALOGUE)
    c = "254714500001"
    ask(conn, shop, "nataka sukari mbili mniletee Kasarani", c)
    placed = ask(conn, shop, "ndio", c).order
    ask(conn, shop, "nimetuma 350 code GAS45REF12", c)
    first = ask(conn, shop, "oda yangu itafika saa ngapi?", c)
    assert "inasubiri malipo" not in first.reply and "KES 350" in first.reply, first.reply
    assert len(_asked_when(conn, shop)) == 1 and not first.escalated
    ask(conn, shop, f"THIBITISHA {placed['number']}", OWNER)
    again = ask(conn, shop, "je imetoka?", c)
    assert "imelipwa" in again.reply and again.intent == "order_status", again.reply
    assert len(_asked_when(conn, shop)) == 2


def test_when_the_parcel_comes_is_asked_of_the_owner_not_answered_with_the_hours(conn, monkeypatch):
    """"mzigo wangu utafika saa ngapi?" after the yes got the shop's opening hours (customer test s28)."""
    shop = shop_with_owner(conn, monkeypatch, OWNER, catalogue=CATALOGUE)
    c = "254714500002"
    ask(conn, shop, "nataka sukari moja mniletee Roysambu", c)
    ask(conn, shop, "ndio", c)
    asked = ask(conn, shop, "mzigo wangu utafika saa ngapi?", c)
    assert asked.intent != "hours" and len(_asked_when(conn, shop)) == 1, asked.reply
