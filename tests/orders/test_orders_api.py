"""Orders REST API over real HTTP, the cases test_orders_rest.py leaves out: an unknown status in a change is
422 (and changes nothing), a change without a key is 401, a bad limit is 422, another shop's order is 404."""

from __future__ import annotations

import requests

from tests.orders.order_history import make_history


def test_status_change_refusals_leave_the_order_as_it_was(app, conn, wa_env) -> None:
    history = make_history(conn)
    a = history["a"]
    base = app.url + "/api/v1/orders"
    auth = {"Authorization": f"Bearer {a['api_key']}"}
    late = str(history["late"]["id"])

    assert requests.post(f"{base}/{late}/status", json={"status": "paid"}, timeout=10).status_code == 401
    lost = requests.post(f"{base}/{late}/status", json={"status": "shipped"}, headers=auth, timeout=10)
    assert lost.status_code == 422 and "shipped" in lost.json()["error"] and "fulfilled" in lost.json()["allowed"]
    assert requests.get(base, params={"limit": "many"}, headers=auth, timeout=10).status_code == 422
    assert requests.get(f"{base}/{late}", headers=auth, timeout=10).json()["status"] == "awaiting_payment"

    listed = requests.get(base, headers=auth, timeout=10).json()["orders"]
    # a cart with items is shown to the owner as a draft; shop B's paid order never is
    assert {o["id"]: o["status"] for o in listed} == {
        str(history["paid"]["id"]): "paid", str(history["cancelled"]["id"]): "cancelled",
        str(history["late"]["id"]): "awaiting_payment", str(history["draft"]["id"]): "draft"}
    assert requests.get(f"{base}/{history['b_paid']['id']}", headers=auth, timeout=10).status_code == 404
    unpaid = requests.get(base, params={"status": "awaiting_payment"}, headers=auth, timeout=10).json()["orders"]
    assert [o["id"] for o in unpaid] == [late] and unpaid[0]["total"] == 180.0
    gone = requests.post(f"{base}/{history['cancelled']['id']}/status", json={"status": "paid"}, headers=auth,
                         timeout=10)
    assert gone.status_code == 409 and "cancelled" in gone.json()["error"]
