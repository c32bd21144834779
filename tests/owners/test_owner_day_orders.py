"""The owner asks for one day's orders or money on WhatsApp: "oda za jana" lists the orders placed yesterday whatever
became of them (it listed today's open orders), "nani amelipa leo?" / "who paid today?" who paid and how much (the whole
help came back)."""

from __future__ import annotations

from tests.engine.conftest import ask
from tests.owners.test_owner_order_money import OWNER, confirmed, owned_shop

OTHER = "254712900402"


def test_yesterday_s_orders_are_those_placed_yesterday_even_when_done(conn, monkeypatch):
    shop = owned_shop(conn, monkeypatch)
    old = confirmed(conn, shop, "nataka sukari mbili")
    ask(conn, shop, f"THIBITISHA {old}", customer=OWNER)
    conn.execute("UPDATE orders SET created_at = created_at - interval '1 day' WHERE business_id = %s AND number = %s",
                 (shop["id"], old))
    new = confirmed(conn, shop, "nataka unga moja", customer=OTHER)
    said = ask(conn, shop, "oda za jana", customer=OWNER).reply
    assert f"#{old} " in said and f"#{new} " not in said and "Kabras Sugar" in said
    english = ask(conn, shop, "yesterday's orders", customer=OWNER).reply
    assert f"#{old} " in english and english.startswith("Orders yesterday")


def test_who_paid_today_lists_whole_and_part_payments_with_the_total(conn, monkeypatch):
    shop = owned_shop(conn, monkeypatch)
    whole = confirmed(conn, shop, "nataka sukari mbili")
    part = confirmed(conn, shop, "nataka unga mbili", customer=OTHER)
    unpaid = confirmed(conn, shop, "nataka sukari moja", customer="254712900403")
    ask(conn, shop, f"THIBITISHA {whole}", customer=OWNER)
    ask(conn, shop, f"THIBITISHA {part} 100", customer=OWNER)
    said = ask(conn, shop, "nani amelipa leo?", customer=OWNER).reply
    assert f"#{whole} KES 360" in said and f"#{part} KES 100" in said and f"#{unpaid} " not in said
    assert "KES 460" in said  # received today in all
    assert ask(conn, shop, "who paid yesterday?", customer=OWNER).reply == "Nobody paid yesterday."
    assert ask(conn, shop, "who paid today?", customer=OWNER).reply.startswith("Paid today:")
