"""Malformed M-Pesa callback bodies never cause a 500 and never change a payment they do not settle."""

from __future__ import annotations

import json

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.billing.conftest import CALLBACK_TOKEN, snapshot
from tests.fakes.fake_daraja import callback_payload

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
odd_codes = st.one_of(st.none(), st.booleans(), st.text(max_size=12), st.floats(), st.integers(),
                      st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@st.composite
def mangled_callbacks(draw):
    body = callback_payload(draw(st.text(min_size=0, max_size=40)), 0)
    stk = body["Body"]["stkCallback"]
    stk["ResultCode"] = draw(odd_codes)
    if draw(st.booleans()):
        stk["CallbackMetadata"] = draw(json_values)
    if draw(st.booleans()):
        stk["ResultDesc"] = draw(json_values)
    if draw(st.booleans()):
        body["Body"] = draw(json_values)
    return json.dumps(body).encode()


bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    mangled_callbacks(),
)


def test_malformed_callbacks_never_500(conn, business, fake_daraja, webhook_url):
    from mtaabot.billing.payments import start_payment

    payment = start_payment(conn, business["id"], "lite", "0708374149")
    url = f"{webhook_url}/mpesa/callback/{CALLBACK_TOKEN}"
    before = snapshot(conn)
    session = requests.Session()

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(bodies)
    def post(body: bytes) -> None:
        answer = session.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=10)
        # 202: well-formed for an id no payment carries: kept for a payment storing it now, settles nothing
        assert answer.status_code in (400, 202), (answer.status_code, body)

    post()
    assert snapshot(conn) == before  # the real pending payment was never touched

    # the same endpoint still settles a good callback, and odd-but-valid shapes of it are accepted
    good = callback_payload(payment["checkout_request_id"], "0", receipt="FUZZ000001")
    good["Body"]["stkCallback"]["CallbackMetadata"]["Item"].append({"Name": "Extra", "Value": "\u0000\udcff"})
    good["Body"]["stkCallback"]["ResultDesc"] = "ok \u0000 \ud800"
    answer = session.post(url, data=json.dumps(good).encode(), headers={"Content-Type": "application/json"},
                          timeout=10)
    assert answer.status_code == 200, answer.text
    conn.commit()
    row = conn.execute("SELECT status, mpesa_receipt_number FROM subscriptions").fetchone()
    assert row == {"status": "active", "mpesa_receipt_number": "FUZZ000001"}
