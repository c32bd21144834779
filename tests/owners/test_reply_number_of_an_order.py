""""🔔 #16 Oda mpya #13" then "JIBU 13 oda yako iko njiani": the message went to alert #13's customer, someone else,
and silenced their chat; their complaint later was lost (owner test s31). A number that is an open alert's and also
another customer's order is asked about, nothing sent; when the alert is long settled, the order's customer is meant."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask
from tests.owners.conftest import shop_with_owner
from tests.owners.test_owner_words_as_typed import OWNER, last_alert, owner_sent


@pytest.fixture
def shop(conn, monkeypatch):
    return shop_with_owner(conn, monkeypatch, OWNER)


def test_a_number_both_an_open_alert_and_another_s_order_is_asked_about(conn, shop):
    asker, buyer = "254712901001", "254712901002"
    ask(conn, shop, "nataka kuongea na mwenye duka", customer=asker)
    alert = last_alert(conn, shop)
    # a new shop: the asker's alert is #1 and the buyer's order is #1 too (its alert #2)
    ask(conn, shop, "nataka gesi moja", customer=buyer)
    n = ask(conn, shop, "ndio", customer=buyer).order["number"]
    assert n == alert, (n, alert)
    asked = ask(conn, shop, f"JIBU {n} oda yako iko njiani", customer=OWNER)
    assert "Haijatumwa" in asked.reply and owner_sent(conn, asker) == [] and owner_sent(conn, buyer) == [], asked.reply
    ask(conn, shop, f"JIBU ODA {n} oda yako iko njiani", customer=OWNER)
    assert owner_sent(conn, buyer) == ["oda yako iko njiani"]
    ask(conn, shop, f"JIBU TAHADHARI {n} nakupigia sasa hivi", customer=OWNER)
    assert owner_sent(conn, asker) == ["nakupigia sasa hivi"]
