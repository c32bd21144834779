"""Cross-tenant probes: every REST route and every dashboard core function, called by shop A with shop B's ids.

Routes and functions are enumerated (Flask's url_map, the functions of `mtaabot.dashboard.records`), so a
new route or query added later without a probe here fails this test instead of going unchecked.
"""

from __future__ import annotations

import inspect
from typing import Any

import psycopg
import pytest
import requests

from mtaabot.conversations import Customer, escalate, get_or_create_conversation, store_inbound_message
from tests.webhook.conftest import App, create_shop

BODY = {"name": "Probe", "price": 1, "text": "hi from A", "is_available": False, "tone": "kazi",
        "plan": "lite", "phone": "0708374149"}


@pytest.fixture
def tenants(conn: psycopg.Connection, wa_env: dict[str, str]) -> dict[str, Any]:
    a = create_shop(conn, "Duka A", phone_number_id="111", number="0711000011")
    b = create_shop(conn, "Duka B", phone_number_id="222", number="0711000022", location="Gikomba")
    conv = get_or_create_conversation(conn, b["id"], Customer(phone="254722999888"))
    store_inbound_message(conn, business_id=b["id"], conversation_id=conv["id"], content="Siri ya B",
                          wamid="wamid.B1")
    escalate(conn, conv["id"], "customer_request")
    conn.execute("UPDATE businesses SET owner_phone = '254799111222' WHERE id = %s", (b["id"],))
    conn.execute("""INSERT INTO subscriptions (business_id, plan_tier, starts_at, ends_at, is_active, status,
                                               amount_kes, mpesa_checkout_id)
                    VALUES (%s, 'pro', now(), now() + interval '30 days', false, 'pending', 2999,
                            'ws_CO_B_SECRET')""", (b["id"],))
    conn.commit()
    b_product = conn.execute("SELECT id, price FROM products WHERE business_id = %s ORDER BY name LIMIT 1",
                             (b["id"],)).fetchone()
    from decimal import Decimal

    from mtaabot.orders import store

    cart = store.create_cart(conn, b["id"], conv["id"])
    store.set_item(conn, cart, conn.execute("SELECT * FROM products WHERE id = %s", (b_product["id"],)).fetchone(),
                   Decimal(2))
    store.set_status(conn, b["id"], cart["id"], "awaiting_payment")
    conn.commit()
    return {"a": a, "b": b, "b_conv": str(conv["id"]), "b_product": str(b_product["id"]),
            "b_checkout": "ws_CO_B_SECRET", "b_order": str(cart["id"])}


def _b_state(conn: psycopg.Connection, bid: Any) -> tuple[list[dict[str, Any]], ...]:
    conn.commit()
    return (conn.execute("SELECT * FROM products WHERE business_id = %s ORDER BY id", (bid,)).fetchall(),
            conn.execute("SELECT * FROM conversations WHERE business_id = %s ORDER BY id", (bid,)).fetchall(),
            conn.execute("SELECT * FROM messages WHERE business_id = %s ORDER BY id", (bid,)).fetchall(),
            conn.execute("SELECT * FROM subscriptions WHERE business_id = %s ORDER BY id", (bid,)).fetchall(),
            conn.execute("SELECT * FROM orders WHERE business_id = %s ORDER BY id", (bid,)).fetchall(),
            conn.execute("SELECT * FROM businesses WHERE id = %s", (bid,)).fetchall())


def test_every_rest_route_denies_another_business(app: App, tenants: dict[str, Any],
                                                  conn: psycopg.Connection) -> None:
    from webhook import create_app

    a, b = tenants["a"], tenants["b"]
    ids = {"product_id": tenants["b_product"], "conversation_id": tenants["b_conv"], "order_ref": tenants["b_order"]}
    secrets = [str(b["id"]), tenants["b_product"], tenants["b_conv"], "Duka B", "Gikomba", "Siri ya B",
               "254722999888", "254799111222", tenants["b_checkout"], b["api_key"], tenants["b_order"]]
    before = _b_state(conn, b["id"])
    probed_with_ids = 0
    rules = [r for r in create_app().url_map.iter_rules() if r.rule.startswith("/api/v1")]
    assert len(rules) >= 8, [r.rule for r in rules]
    for rule in rules:
        unknown = set(rule.arguments) - set(ids)
        assert not unknown, f"{rule.rule}: add a cross-tenant probe for {unknown}"
        path = rule.rule
        for name, value in ids.items():
            path = path.replace(f"<{name}>", value)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            resp = requests.request(method, app.url + path, json=BODY, timeout=15,
                                    headers={"Authorization": f"Bearer {a['api_key']}"})
            assert resp.status_code != 500, (method, path)
            if rule.arguments:
                probed_with_ids += 1
                assert resp.status_code == 404, (method, path, resp.status_code, resp.text[:200])
            leaked = [s for s in secrets if s in resp.text]
            assert not leaked, (method, path, leaked)
    assert probed_with_ids >= 6
    assert _b_state(conn, b["id"]) == before  # nothing of B's changed


def test_every_dashboard_function_denies_another_business(tenants: dict[str, Any],
                                                          conn: psycopg.Connection) -> None:
    from mtaabot.dashboard import auth, records, renew

    a, b = str(tenants["a"]["id"]), tenants["b"]
    b_conv, b_product = tenants["b_conv"], tenants["b_product"]
    # A has not connected WhatsApp (B has), has no messages (B has one) and no owner phone (B has one): every
    # answer below must be A's own, so B's data would show.
    conn.execute("UPDATE api_configs SET whatsapp_phone_number_id = NULL WHERE business_id = %s", (a,))
    conn.commit()
    before = _b_state(conn, b["id"])
    owner_a = auth.sign_in_owner(conn, tenants["a"]["api_key"])
    probes = {
        "escalated_inbox": lambda: records.escalated_inbox(conn, a) == [],
        "escalated_count": lambda: records.escalated_count(conn, a) == 0,  # B has one
        "conversation_transcript": lambda: records.conversation_transcript(conn, a, b_conv) == ([], 0),
        "hand_back": lambda: records.hand_back(conn, a, b_conv) is False,
        "send_owner_reply": lambda: _refused(lambda: records.send_owner_reply(conn, a, b_conv, "hi from A"),
                                             "not_this_shop"),
        "whatsapp_connected": lambda: records.whatsapp_connected(conn, a) is False,  # B's connection is not A's
        "message_count": lambda: records.message_count(conn, a) == 0,
        "product_rows": lambda: b_product not in {p["id"] for p in records.product_rows(conn, a)},
        "save_product_edits": lambda: records.save_product_edits(conn, a, {b_product: {"price": 1}}).errors == [
            {"product": b_product, "error": "not a product of this shop"}],
        "import_products": lambda: records.import_products(
            conn, a, f"name,price\n{_b_product_name(conn, b_product)},1\n").ok,  # lands in A's catalogue only
        "payment_history": lambda: records.payment_history(conn, a) == [] or all(
            p["checkout_id"] != tenants["b_checkout"] for p in records.payment_history(conn, a)),
        "owner_phone": lambda: records.owner_phone(conn, a) == "",
    }
    functions = {name for name, f in inspect.getmembers(records, inspect.isfunction)
                 if f.__module__ == records.__name__ and "business_id" in inspect.signature(f).parameters}
    assert functions <= set(probes), f"add a cross-tenant probe for {functions - set(probes)}"
    for name, probe in probes.items():
        conn.rollback()
        assert probe(), name
    conn.rollback()
    assert renew.payment_status(conn, a, tenants["b_checkout"]) is None
    with pytest.raises(auth.NotAllowed):
        auth.business_scope(conn, owner_a, requested=str(b["id"]))
    assert [x["id"] for x in auth.visible_businesses(conn, owner_a)] == [a]
    assert auth.business_scope(conn, owner_a) == a
    assert _b_state(conn, b["id"]) == before


def _b_product_name(conn: psycopg.Connection, product_id: str) -> str:
    return conn.execute("SELECT name FROM products WHERE id = %s", (product_id,)).fetchone()["name"]


def _refused(call: Any, reason: str) -> bool:
    """The call is refused with exactly this reason (a crash or another error is not a refusal)."""
    from mtaabot.whatsapp.outbox import OwnerReplyRefused

    try:
        call()
    except OwnerReplyRefused as exc:
        return exc.reason == reason
    return False
