"""Payments you can prove, over the real callback endpoint with the fake Daraja: a success callback whose
Amount or PhoneNumber is not what the STK push asked is held (the plan does not activate), then the Daraja STK
query decides (at once in the background, and on `mtaabot billing reconcile`); the Safaricom source-IP
allow-list (`MPESA_ALLOWED_IPS=safaricom`) with the trusted-proxy switch."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
import requests

from tests.billing.conftest import CALLBACK_TOKEN
from tests.fakes.fake_daraja import FakeDaraja, callback_payload
from tests.webhook.conftest import wait_until


def _pay(conn: psycopg.Connection, business: dict[str, Any], phone: str = "0712300400") -> dict[str, Any]:
    from mtaabot.billing.payments import start_payment

    return start_payment(conn, business["id"], "pro", phone)


def _sub(conn: psycopg.Connection, sub_id: Any) -> dict[str, Any]:
    conn.commit()
    return conn.execute("SELECT * FROM subscriptions WHERE id = %s", (str(sub_id),)).fetchone()


def _post(url: str, body: dict[str, Any], **kwargs: Any) -> requests.Response:
    return requests.post(f"{url}/mpesa/callback/{CALLBACK_TOKEN}", json=body, timeout=10, **kwargs)


def test_a_callback_from_another_phone_is_held_until_reconcile_confirms(
        conn, business, fake_daraja: FakeDaraja, webhook_url: str, run_cli) -> None:
    payment = _pay(conn, business)
    body = callback_payload(payment["checkout_request_id"], 0, amount=payment["amount_kes"], phone=254799111222)
    answer = _post(webhook_url, body)
    assert answer.status_code == 200 and "held" in answer.json()["ResultDesc"]
    sub = _sub(conn, payment["id"])
    assert (sub["status"], sub["is_active"]) == ("held", False) and "PhoneNumber" in sub["held_reason"]
    # the background STK query found M-Pesa still processing (the fake has no result yet): still held
    assert wait_until(lambda: fake_daraja.requests_to("/mpesa/stkpushquery/v1/query"), timeout=10)
    assert _sub(conn, payment["id"])["status"] == "held"
    assert conn.execute("SELECT status FROM businesses WHERE id = %s", (business["id"],)).fetchone()["status"] == "trial"
    note = conn.execute("SELECT body FROM notifications WHERE kind = 'billing'").fetchone()
    assert "hakijawashwa" in note["body"] and "inathibitisha" in note["body"]  # the owner reads Swahili by default

    fake_daraja.set_query_result(payment["checkout_request_id"], 0, "The service request is processed successfully.")
    done = run_cli("billing", "reconcile")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["held"]["confirmed"] == 1
    sub = _sub(conn, payment["id"])
    assert (sub["status"], sub["is_active"], sub["paid_amount_kes"]) == ("active", True, payment["amount_kes"])
    assert conn.execute("SELECT status FROM businesses WHERE id = %s", (business["id"],)).fetchone()["status"] == "active"


def test_a_held_callback_confirmed_by_mpesa_at_once(conn, business, fake_daraja, webhook_url) -> None:
    payment = _pay(conn, business)
    fake_daraja.set_query_result(payment["checkout_request_id"], 0, "The service request is processed successfully.")
    body = callback_payload(payment["checkout_request_id"], 0, amount=payment["amount_kes"] + 1)  # overpaid?
    assert _post(webhook_url, body).status_code == 200
    assert wait_until(lambda: _sub(conn, payment["id"])["status"] == "active", timeout=15)
    calls = conn.execute("SELECT outcome FROM mpesa_callbacks ORDER BY received_at").fetchall()
    assert [c["outcome"] for c in calls] == ["held"]


def test_a_forged_amount_is_refuted_by_the_stk_query(conn, business, fake_daraja, webhook_url) -> None:
    payment = _pay(conn, business)
    fake_daraja.set_query_result(payment["checkout_request_id"], 1032, "Request cancelled by user")
    body = callback_payload(payment["checkout_request_id"], 0, amount=1, receipt="FORGED0001")
    assert _post(webhook_url, body).status_code == 200
    assert wait_until(lambda: _sub(conn, payment["id"])["status"] == "failed", timeout=15)
    sub = _sub(conn, payment["id"])
    assert sub["is_active"] is False and "does not confirm" in sub["failure_reason"]
    assert sub["mpesa_receipt_number"] is None  # the forged receipt is never taken as ours


def test_a_matching_callback_activates_at_once(conn, business, fake_daraja, webhook_url) -> None:
    payment = _pay(conn, business)
    body = callback_payload(payment["checkout_request_id"], 0, amount=payment["amount_kes"], phone=254712300400)
    assert _post(webhook_url, body).status_code == 200
    assert _sub(conn, payment["id"])["status"] == "active"
    assert not fake_daraja.requests_to("/mpesa/stkpushquery/v1/query")  # nothing to confirm


def test_safaricom_allow_list_and_the_trusted_proxy_header(
        conn, business, fake_daraja, webhook_url, monkeypatch: pytest.MonkeyPatch) -> None:
    payment = _pay(conn, business)
    body = callback_payload(payment["checkout_request_id"], 0, amount=payment["amount_kes"])
    monkeypatch.setenv("MPESA_ALLOWED_IPS", "safaricom")
    assert _post(webhook_url, body).status_code == 403  # 127.0.0.1 is not Safaricom
    spoofed = _post(webhook_url, body, headers={"X-Forwarded-For": "196.201.214.200"})
    assert spoofed.status_code == 403  # the header is ignored unless a trusted proxy is configured
    assert _sub(conn, payment["id"])["status"] == "pending"
    monkeypatch.setenv("MPESA_TRUST_FORWARDED_FOR", "1")
    proxied = _post(webhook_url, body, headers={"X-Forwarded-For": "8.8.8.8, 196.201.214.200"})
    assert proxied.status_code == 200 and _sub(conn, payment["id"])["status"] == "active"
    row = conn.execute("SELECT remote_addr FROM mpesa_callbacks").fetchone()
    assert row["remote_addr"] == "196.201.214.200"
