"""The Daraja client against the fake Daraja server: token cache, Nairobi timestamps, phone numbers."""

from __future__ import annotations

import base64
import json
import os
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mtaabot.billing.daraja import (
    DarajaClient,
    DarajaConfigError,
    callback_url,
    nairobi_timestamp,
    resolve_base_url,
)
from mtaabot.phones import InvalidPhone, normalize_ke_msisdn

NAIROBI = ZoneInfo("Africa/Nairobi")


def _ts_to_nairobi(ts: str) -> datetime:
    return datetime.strptime(ts, "%Y%m%d%H%M%S").replace(tzinfo=NAIROBI)


def test_nairobi_timestamp_is_utc_plus_three_across_midnight():
    assert nairobi_timestamp(datetime(2026, 11, 25, 21, 30, 5, tzinfo=UTC)) == "20261126003005"
    assert nairobi_timestamp(datetime(2026, 12, 31, 22, 0, 0, tzinfo=UTC)) == "20270101010000"


def test_stk_push_timestamp_and_password_when_process_runs_in_utc(fake_daraja):
    old_tz = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        assert time.localtime().tm_gmtoff == 0  # the process really runs in UTC
        before = datetime.now(UTC)
        result = DarajaClient.from_env().stk_push(phone="254708374149", amount=999, account_reference="MTB1",
                                                  description="MtaaBot plan")
        after = datetime.now(UTC)
    finally:
        if old_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old_tz
        time.tzset()
    body = fake_daraja.pushes[result.checkout_request_id]
    sent = _ts_to_nairobi(body["Timestamp"])
    assert before - timedelta(seconds=1) <= sent <= after + timedelta(seconds=1)
    naive_utc = datetime.strptime(body["Timestamp"], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    assert timedelta(hours=2, minutes=59) <= naive_utc - before <= timedelta(hours=3, seconds=1)
    decoded = base64.b64decode(body["Password"]).decode()
    assert decoded == f"{fake_daraja.shortcode}{fake_daraja.passkey}{body['Timestamp']}"


def test_cli_pay_in_a_utc_process_sends_nairobi_time(run_cli, business, fake_daraja):
    before = datetime.now(UTC)
    result = run_cli("billing", "pay", "--business", business["name"], "--plan", "lite", "--phone", "0708374149",
                     env={"TZ": "UTC"})
    after = datetime.now(UTC)
    assert result.returncode == 0, result.stderr
    body = fake_daraja.pushes[json.loads(result.stdout)["checkout_request_id"]]
    assert before - timedelta(seconds=1) <= _ts_to_nairobi(body["Timestamp"]) <= after + timedelta(seconds=1)


def test_token_cached_until_expiry_and_refreshed_on_401(fake_daraja):
    client = DarajaClient.from_env()
    first = client.stk_push(phone="254708374149", amount=1, account_reference="A", description="d")
    DarajaClient.from_env().stk_query(first.checkout_request_id)  # a new client in the same process
    assert fake_daraja.tokens_issued == 1
    fake_daraja.expire_tokens()  # Daraja dropped the token early: one 401, one new token, success
    assert client.stk_query(first.checkout_request_id).state == "pending"
    assert fake_daraja.tokens_issued == 2


def test_wrong_credentials_and_missing_config_are_clear(fake_daraja, monkeypatch):
    monkeypatch.setenv("MPESA_CONSUMER_SECRET", "wrong")
    with pytest.raises(DarajaConfigError, match="consumer key/secret"):
        DarajaClient.from_env().access_token()
    monkeypatch.delenv("MPESA_PASSKEY")
    with pytest.raises(DarajaConfigError, match="MPESA_PASSKEY"):
        DarajaClient.from_env()
    with pytest.raises(DarajaConfigError, match="https"):
        callback_url("http://mtaabot.example.com", "t")
    assert callback_url("https://x.example/", "tok") == "https://x.example/mpesa/callback/tok"


def test_sandbox_by_default_production_by_config(monkeypatch):
    monkeypatch.delenv("MPESA_BASE_URL", raising=False)
    monkeypatch.delenv("MPESA_ENV", raising=False)
    assert resolve_base_url() == "https://sandbox.safaricom.co.ke"
    monkeypatch.setenv("MPESA_ENV", "production")
    assert resolve_base_url() == "https://api.safaricom.co.ke"


@pytest.mark.parametrize(("raw", "expected"), [
    ("0712345678", "254712345678"), ("0110123456", "254110123456"), ("+254 712 345 678", "254712345678"),
    ("254712345678", "254712345678"), ("712345678", "254712345678"),
])
def test_phone_numbers_normalised(raw, expected):
    assert normalize_ke_msisdn(raw) == expected


def test_bad_phone_numbers_rejected_clearly_and_nothing_sent(run_cli, conn, business, fake_daraja):
    from mtaabot.billing.payments import start_payment

    result = run_cli("billing", "pay", "--business", business["name"], "--plan", "lite", "--phone", "12345")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error:") and "not a valid Kenyan number" in result.stderr
    for bad in ("0712 34", "+1 415 555 0100", "not a phone", "0201234567", "", "07123456789012"):
        with pytest.raises(InvalidPhone, match="not a|empty"):
            start_payment(conn, business["id"], "lite", bad)
    bad_plan = run_cli("billing", "pay", "--business", business["name"], "--plan", "gold", "--phone", "0712345678")
    assert bad_plan.returncode == 1 and "lite, pro, enterprise" in bad_plan.stderr
    assert fake_daraja.requests_to("/mpesa/stkpush/v1/processrequest") == []
    conn.rollback()
    assert conn.execute("SELECT count(*) AS n FROM subscriptions").fetchone()["n"] == 0
