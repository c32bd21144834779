"""Fuzzed bodies over real HTTP never get a 500: signed webhook deliveries and every REST write route.

(M-Pesa callback bodies are fuzzed in tests/billing/test_callback_fuzz.py; parser-level webhook fuzzing
in tests/webhook/test_payloads.py. These go through the served app with valid signatures and keys.)
"""

from __future__ import annotations

import json
from typing import Any

import psycopg
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.webhook.conftest import App, query, sign, text_payload

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)

scalars = (st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
           | st.floats(allow_nan=False) | st.text(max_size=40)
           | st.sampled_from(["", "\x00", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
                              "9" * 400, "wamid." + "x" * 300, "-1", "1e309", "text", "messages"]))
json_values = st.recursive(scalars, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=12), c,
                                                                                      max_size=4), max_leaves=15)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated_deliveries(draw: st.DrawFn) -> bytes:
    """A real-shaped delivery with a few subtrees replaced by junk (wrong types, huge, missing)."""
    body = text_payload("Mna sukari?", wamid=f"wamid.F{draw(st.integers(0, 10**6))}",
                        phone=draw(st.sampled_from(["254722000001", "254722000002"])))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(body) if p]
        if not paths:  # an earlier mutation left nothing below the top ({} or every key popped)
            break
        path = draw(st.sampled_from(paths))
        parent = body
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = draw(json_values)
    return json.dumps(body).encode()


webhook_bodies = st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode()),
                           mutated_deliveries())


def test_fuzzed_signed_webhook_deliveries_never_500(app: App, shop: dict[str, Any], db_url: str) -> None:
    seen: set[int] = set()

    @FUZZ
    @given(webhook_bodies)
    def deliver(body: bytes) -> None:
        resp = requests.post(app.url + "/webhook", data=body, timeout=30,
                             headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(body)})
        seen.add(resp.status_code)
        assert resp.status_code in (200, 400), (resp.status_code, body[:300])

    deliver()
    assert 200 in seen and 400 in seen  # both kinds really reached the app
    # after the junk, a real message is still stored and queued (nothing wedged)
    good = app.post_webhook(text_payload("Bei ya unga?", wamid="wamid.AFTERFUZZ", phone="254722000777"))
    assert good.status_code == 200 and good.json()["stored"] == 1
    assert query(db_url, "SELECT count(*) AS n FROM inbound_jobs j JOIN messages m ON m.id = j.message_id "
                         "WHERE m.wamid = 'wamid.AFTERFUZZ'")[0]["n"] == 1


def test_fuzzed_rest_bodies_never_500(app: App, shop: dict[str, Any], conn: psycopg.Connection) -> None:
    from mtaabot.conversations import Customer, get_or_create_conversation

    conv = get_or_create_conversation(conn, shop["id"], Customer(phone="254722000555"))
    product = conn.execute("SELECT id FROM products WHERE business_id = %s LIMIT 1", (shop["id"],)).fetchone()
    conn.commit()
    headers = {"Authorization": f"Bearer {shop['api_key']}"}
    writes = [("post", "/products"), ("patch", f"/products/{product['id']}"), ("patch", "/business"),
              ("post", f"/conversations/{conv['id']}/reply"), ("post", f"/conversations/{conv['id']}/hand-back"),
              ("post", "/billing/pay")]
    product_fields = st.fixed_dictionaries({}, optional={
        "name": json_values, "price": json_values, "currency": json_values, "is_available": json_values,
        "description": json_values, "metadata": json_values, "tone": json_values, "timezone": json_values,
        "owner_phone": json_values, "text": json_values, "plan": json_values, "phone": json_values})
    payloads = st.one_of(product_fields.map(lambda d: json.dumps(d).encode()),
                         json_values.map(lambda v: json.dumps(v).encode()), st.binary(max_size=200))
    codes: set[int] = set()

    @FUZZ
    @given(st.sampled_from(writes), payloads)
    def write(route: tuple[str, str], body: bytes) -> None:
        method, path = route
        resp = requests.request(method, app.url + "/api/v1" + path, data=body, timeout=30,
                                headers=headers | {"Content-Type": "application/json"})
        codes.add(resp.status_code)
        assert resp.status_code < 500 or resp.status_code == 503 and path == "/billing/pay", \
            (method, path, resp.status_code, body[:300], resp.text[:300])

    @FUZZ
    @given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode), st.dictionaries(
        st.sampled_from(["status", "limit"]), st.text(max_size=12), max_size=2))
    def import_and_list(csv: bytes, params: dict[str, str]) -> None:
        resp = requests.post(app.url + "/api/v1/products/import", data=csv, timeout=30,
                             headers=headers | {"Content-Type": "text/csv"})
        assert resp.status_code < 500, (resp.status_code, csv[:200], resp.text[:300])
        resp = requests.get(app.url + "/api/v1/conversations", params=params, headers=headers, timeout=30)
        assert resp.status_code < 500, (params, resp.status_code)

    write()
    import_and_list()
    assert any(400 <= c < 500 for c in codes), codes  # validation, not just routing, was reached
    # the shop still answers normally afterwards
    listed = requests.get(app.url + "/api/v1/products", headers=headers, timeout=10)
    assert listed.status_code == 200 and listed.json()["products"]

