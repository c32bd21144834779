"""Orders REST API over real HTTP: the shop's own orders only, transitions with clear refusals."""

from __future__ import annotations

from typing import Any

import psycopg
import requests

from tests.engine.conftest import ask
from tests.webhook.conftest import App, create_shop


def _auth(shop: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {shop['api_key']}"}


def test_orders_api_is_scoped_to_the_key_and_guards_transitions(app: App, conn: psycopg.Connection,
                                                                 wa_env: dict[str, str]) -> None:
    from mtaabot.embeddings import embed_stale_products

    a = create_shop(conn, "Duka A", phone_number_id="111", number="0711000011")
    b = create_shop(conn, "Duka B", phone_number_id="222", number="0711000022")
    for shop in (a, b):
        embed_stale_products(conn, shop["id"])
    conn.commit()
    ask(conn, b, "Nitumie sukari mbili", customer="254712800001")
    b_order = ask(conn, b, "ndio", customer="254712800001").order
    ask(conn, a, "Nitumie mafuta moja", customer="254712800002")
    a_order = ask(conn, a, "ndio", customer="254712800002").order
    base = app.url + "/api/v1/orders"

    assert requests.get(base, timeout=10).status_code == 401
    mine = requests.get(base, headers=_auth(a), timeout=10).json()["orders"]
    assert [o["id"] for o in mine] == [a_order["id"]] and mine[0]["total"] == 380
    assert requests.get(f"{base}/{b_order['id']}", headers=_auth(a), timeout=10).status_code == 404
    theirs = requests.post(f"{base}/{b_order['id']}/status", json={"status": "cancelled"}, headers=_auth(a),
                           timeout=10)
    assert theirs.status_code == 404
    assert requests.get(f"{base}/{b_order['id']}", headers=_auth(b), timeout=10).json()["status"] == "awaiting_payment"

    one = requests.get(f"{base}/{a_order['number']}", headers=_auth(a), timeout=10)
    assert one.status_code == 200 and one.json()["items"][0]["name"] == "Cooking oil 1L"
    assert requests.get(base, params={"status": "lost"}, headers=_auth(a), timeout=10).status_code == 422
    early = requests.post(f"{base}/{a_order['id']}/status", json={"status": "fulfilled"}, headers=_auth(a), timeout=10)
    assert early.status_code == 409 and "awaiting_payment" in early.json()["error"]
    assert requests.post(f"{base}/{a_order['id']}/status", data="x", headers=_auth(a), timeout=10).status_code == 400
    paid = requests.post(f"{base}/{a_order['id']}/status", json={"status": "paid"}, headers=_auth(a), timeout=10)
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    done = requests.post(f"{base}/{a_order['id']}/status", json={"status": "fulfilled"}, headers=_auth(a), timeout=10)
    assert done.json()["status"] == "fulfilled"
    assert requests.get(base, params={"status": "fulfilled"}, headers=_auth(a), timeout=10).json()["orders"][0]["id"] \
        == a_order["id"]
