"""A customer who writes to buy while the bot is paused is announced to the owner once per chat (only payment claims
and trouble were; customer test s28); RESUME then answers them as before."""

from __future__ import annotations

from tests.engine.conftest import ask
from tests.owners.conftest import shop_with_owner

OWNER = "254700000795"


def _buyer_alerts(conn, shop) -> list[str]:
    return [r["body"] for r in conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = "
                                            "'escalation'", (shop["id"],)).fetchall()
            if "anataka kununua" in r["body"] or "wants to buy" in r["body"]]


def test_a_buyer_while_paused_is_announced_once(conn, monkeypatch):
    shop = shop_with_owner(conn, monkeypatch, OWNER)
    assert ask(conn, shop, "SIMAMISHA", customer=OWNER).owner_command == "pause"
    ask(conn, shop, "nipe gesi moja", customer="254712940001")
    ask(conn, shop, "na sukari mbili pia", customer="254712940001")
    assert len(_buyer_alerts(conn, shop)) == 1, _buyer_alerts(conn, shop)
    ask(conn, shop, "nipe mchele kilo tatu", customer="254712940002")
    assert len(_buyer_alerts(conn, shop)) == 2
    ask(conn, shop, "asante", customer="254712940003")  # no buyer: nothing more
    assert len(_buyer_alerts(conn, shop)) == 2
