"""Talk about paying is no payment: "poa, nitumie paybill" moved the order to awaiting payment and told the owner
to look for KES 2,400 (the paybill number was never given); "nina 50k cash na 2k mpesa" told the owner to look for
KES 50,000; "mpesa ukifika" confirmed a payment nobody sent. A payment said as made ("nimelipa", "sent") or an
M-Pesa code still is one. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask
from tests.orders.conftest import till_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Oraimo Charger 18W,USB-C charger,1200,KES,true,{}
"""


@pytest.fixture
def shop(conn):
    return till_shop(conn, CATALOGUE)


def _owner_told_of_payment(conn, shop) -> bool:
    return conn.execute("SELECT count(*) AS n FROM notifications WHERE business_id = %s AND body ILIKE %s",
                        (shop["id"], "%malipo%")).fetchone()["n"] > 0 or conn.execute(
        "SELECT count(*) AS n FROM notifications WHERE business_id = %s AND body ILIKE %s",
        (shop["id"], "%payment%")).fetchone()["n"] > 0


@pytest.mark.parametrize(("said", "customer"), [("poa, nitumie paybill", "254721000001"),
                                                ("nina 50k cash na 2k mpesa", "254721000002"),
                                                ("mpesa ukifika", "254721000003")])
def test_talk_of_paying_leaves_the_order_unpaid(conn, shop, said, customer):
    ask(conn, shop, "nipe charger mbili", customer)
    result = ask(conn, shop, said, customer)
    assert result.intent != "payment", result.reply
    assert (result.order or {}).get("status") in (None, "draft"), result.order
    assert not _owner_told_of_payment(conn, shop), result.reply


@pytest.mark.parametrize(("said", "customer"), [("nimelipa", "254721000004"), ("mpesa code ni QKT45XY7ZW", "254721000005")])
def test_a_payment_said_as_made_is_one(conn, shop, said, customer):
    ask(conn, shop, "nipe charger mbili", customer)
    result = ask(conn, shop, said, customer)
    assert result.intent == "payment_claim" or result.order["status"] == "awaiting_payment", (result.intent, result.reply)
