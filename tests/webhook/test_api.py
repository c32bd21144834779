"""Business REST API over real HTTP: Bearer auth, products CRUD, CSV import errors, tenant isolation."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
import requests

from mtaabot.conversations import Customer, escalate, get_or_create_conversation
from tests.webhook.conftest import App, create_shop, query


@pytest.fixture
def two_shops(conn: psycopg.Connection, wa_env: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    a = create_shop(conn, "Duka A", phone_number_id="111", number="0711000011")
    b = create_shop(conn, "Duka B", phone_number_id="222", number="0711000022")
    return a, b


def auth(shop: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {shop['api_key']}"}


def test_auth_is_required_and_checked(app: App, two_shops: tuple) -> None:
    r = requests.get(app.url + "/api/v1/products", timeout=10)
    assert r.status_code == 401 and "Bearer" in r.json()["error"]
    r = requests.get(app.url + "/api/v1/products", headers={"Authorization": "Bearer mtb_wrong"}, timeout=10)
    assert r.status_code == 401
    r = requests.get(app.url + "/api/v1/products", headers={"Authorization": "Basic abc"}, timeout=10)
    assert r.status_code == 401


def test_product_crud_and_stale_embedding(app: App, two_shops: tuple, db_url: str) -> None:
    a, _ = two_shops
    base = app.url + "/api/v1/products"
    r = requests.post(base, json={"name": "Rice 2kg", "price": "KES 320", "description": "Mchele pishori"},
                      headers=auth(a), timeout=10)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["price"] == 320.0 and created["is_available"] is True
    assert requests.post(base, json={"name": "Rice 2kg", "price": 1}, headers=auth(a), timeout=10).status_code == 409
    bad = requests.post(base, json={"name": "", "price": -3}, headers=auth(a), timeout=10)
    assert bad.status_code == 422 and {d["field"] for d in bad.json()["details"]} >= {"name", "price"}
    assert requests.post(base, data="not json", headers=auth(a), timeout=10).status_code == 400

    # a product embedded at one text becomes stale when PATCHed (content_hash moves on)
    before = query(db_url, "SELECT content_hash FROM products WHERE id = %s", (created["id"],))[0]["content_hash"]
    r = requests.patch(f"{base}/{created['id']}", json={"description": "Mchele basmati", "is_available": False},
                       headers=auth(a), timeout=10)
    assert r.status_code == 200 and r.json()["is_available"] is False
    after = query(db_url, "SELECT content_hash FROM products WHERE id = %s", (created["id"],))[0]["content_hash"]
    assert after != before
    assert requests.patch(f"{base}/{created['id']}", json={"price": "abc"}, headers=auth(a),
                          timeout=10).status_code == 422
    assert requests.patch(f"{base}/{created['id']}", json={"name": "Sugar 1kg"}, headers=auth(a),
                          timeout=10).status_code == 409
    names = [p["name"] for p in requests.get(base, headers=auth(a), timeout=10).json()["products"]]
    assert "Rice 2kg" in names and len(names) == 5
    assert requests.delete(f"{base}/{created['id']}", headers=auth(a), timeout=10).status_code == 204
    assert requests.get(f"{base}/{created['id']}", headers=auth(a), timeout=10).status_code == 404
    assert requests.get(f"{base}/not-a-uuid", headers=auth(a), timeout=10).status_code == 404


def test_csv_import_reports_row_errors(app: App, two_shops: tuple) -> None:
    a, _ = two_shops
    csv_text = ("name,description,price,currency,is_available,metadata\n"
                "Bread 400g,Mkate,65,KES,true,\n"
                "Eggs tray,,not-a-price,KES,true,\n"
                "Tea leaves 250g,Majani chai,150,KES,maybe,\n")
    r = requests.post(app.url + "/api/v1/products/import", data=csv_text.encode(),
                      headers=auth(a) | {"Content-Type": "text/csv"}, timeout=10)
    assert r.status_code == 207, r.text
    body = r.json()
    assert body["inserted"] == 1
    assert [e["line"] for e in body["errors"]] == [3, 4]
    r = requests.post(app.url + "/api/v1/products/import", files={"file": ("c.csv", b"foo,bar\n1,2\n")},
                      headers=auth(a), timeout=10)
    assert r.status_code == 422 and "missing column" in r.json()["errors"][0]["error"]
    r = requests.post(app.url + "/api/v1/products/import", data=b"\xff\xfe\x00bad",
                      headers=auth(a), timeout=10)
    assert r.status_code == 400


def test_one_key_never_reaches_another_business(app: App, two_shops: tuple, conn: psycopg.Connection) -> None:
    a, b = two_shops
    b_products = requests.get(app.url + "/api/v1/products", headers=auth(b), timeout=10).json()["products"]
    b_conv = get_or_create_conversation(conn, b["id"], Customer(phone="254722999888"))
    conn.commit()
    pid = b_products[0]["id"]
    for method, path in [("get", f"/products/{pid}"), ("patch", f"/products/{pid}"), ("delete", f"/products/{pid}"),
                         ("get", f"/conversations/{b_conv['id']}"),
                         ("post", f"/conversations/{b_conv['id']}/hand-back"),
                         ("post", f"/conversations/{b_conv['id']}/reply")]:
        r = requests.request(method, app.url + "/api/v1" + path, json={"price": 1, "text": "hi"},
                             headers=auth(a), timeout=10)
        assert r.status_code == 404, (method, path, r.status_code)
    assert requests.get(app.url + "/api/v1/conversations", headers=auth(a), timeout=10).json()["conversations"] == []
    assert requests.get(app.url + "/api/v1/business", headers=auth(a), timeout=10).json()["name"] == "Duka A"


def test_conversations_hand_back_and_profile(app: App, two_shops: tuple, conn: psycopg.Connection) -> None:
    a, _ = two_shops
    conv = get_or_create_conversation(conn, a["id"], Customer(phone="254722111222", name="Wanjiku"))
    escalate(conn, conv["id"], "complaint")
    conn.commit()
    base = app.url + "/api/v1"
    r = requests.get(base + "/conversations", params={"status": "human_escalated"}, headers=auth(a), timeout=10)
    assert [c["customer_name"] for c in r.json()["conversations"]] == ["Wanjiku"]
    assert requests.get(base + "/conversations", params={"status": "bogus"}, headers=auth(a),
                        timeout=10).status_code == 400
    r = requests.post(f"{base}/conversations/{conv['id']}/hand-back", headers=auth(a), timeout=10)
    assert r.status_code == 200 and r.json()["status"] == "ai_active"
    assert requests.post(f"{base}/conversations/{conv['id']}/hand-back", headers=auth(a),
                         timeout=10).status_code == 409

    r = requests.patch(base + "/business", json={"tone": "sana", "location": "Gikomba, stall 12",
                                                 "opening_hours": "Daily 6am-10pm"}, headers=auth(a), timeout=10)
    assert r.status_code == 200 and r.json()["tone"] == "sana" and r.json()["location"] == "Gikomba, stall 12"
    assert "password" not in " ".join(r.json())
    assert requests.patch(base + "/business", json={"tone": "rude"}, headers=auth(a), timeout=10).status_code == 422
    assert requests.patch(base + "/business", json={"status": "active"}, headers=auth(a),
                          timeout=10).status_code == 422
    assert requests.patch(base + "/business", json={"owner_phone": "12"}, headers=auth(a),
                          timeout=10).status_code == 422


def test_unstorable_values_are_422_not_500(app: App, two_shops: tuple) -> None:
    a, _ = two_shops
    for body in ({"name": "Bad\u0000name", "price": 1}, {"name": "Meta", "price": 1, "metadata": {"k": "\u0000"}},
                 {"name": "Huge", "price": "1e20"}, {"name": ["x"], "price": 1}):
        r = requests.post(app.url + "/api/v1/products", json=body, headers=auth(a), timeout=10)
        assert r.status_code in (400, 422), (body, r.status_code, r.text)
