"""Pay -> Daraja callback over HTTP -> active; duplicates, failures, renewals and a lost callback."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import requests

from mtaabot.billing.payments import start_payment
from tests.billing.conftest import CALLBACK_TOKEN, snapshot
from tests.fakes.fake_daraja import callback_payload


def _pay_cli(run_cli, business, plan="pro", phone="0708374149"):
    result = run_cli("billing", "pay", "--business", business["name"], "--plan", plan, "--phone", phone)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _pay(conn, business, plan="pro", phone="0708374149"):
    """The same start_payment the CLI, REST API and dashboard call, in-process (faster than a subprocess)."""
    payment = start_payment(conn, business["id"], plan, phone)
    return {k: str(v) if k == "id" else v for k, v in payment.items()}


def _sub(conn, sub_id):
    conn.commit()
    return conn.execute("SELECT * FROM subscriptions WHERE id = %s", (sub_id,)).fetchone()


def _status(conn, business):
    conn.commit()
    return conn.execute("SELECT status FROM businesses WHERE id = %s", (business["id"],)).fetchone()["status"]


def test_pay_then_callback_activates_the_plan(run_cli, conn, business, fake_daraja, webhook_url):
    payment = _pay_cli(run_cli, business, "pro", "+254 708 374 149")
    assert payment["status"] == "pending" and payment["amount_kes"] == 2999 and payment["phone"] == "254708374149"
    push = fake_daraja.pushes[payment["checkout_request_id"]]
    assert push["Amount"] == 2999 and push["PartyA"] == "254708374149"
    assert push["CallBackURL"] == f"{webhook_url}/mpesa/callback/{CALLBACK_TOKEN}"
    pending = _sub(conn, payment["id"])
    assert pending["is_active"] is False and pending["mpesa_receipt_number"] is None
    assert _status(conn, business) == "trial"

    answer = fake_daraja.send_callback(payment["checkout_request_id"], 0, receipt="NLJ7RT61SV")
    assert answer.status_code == 200 and answer.json()["ResultCode"] == 0

    paid = _sub(conn, payment["id"])
    assert paid["status"] == "active" and paid["is_active"] is True
    assert paid["mpesa_receipt_number"] == "NLJ7RT61SV" and paid["result_code"] == 0
    assert paid["raw_callback"]["Body"]["stkCallback"]["CheckoutRequestID"] == payment["checkout_request_id"]
    assert paid["ends_at"] - paid["starts_at"] == timedelta(days=30)
    assert abs((paid["starts_at"] - paid["paid_at"]).total_seconds()) < 1
    assert _status(conn, business) == "active"

    status = json.loads(run_cli("billing", "status", "--business", business["name"]).stdout)
    assert status["plan"] == "pro" and status["status"] == "active" and status["ai_reply_quota"] == 10_000
    assert status["days_left"] == 30 and status["payments"][0]["receipt"] == "NLJ7RT61SV"


def test_duplicate_callback_changes_nothing(run_cli, conn, business, fake_daraja, webhook_url):
    payment = _pay(conn, business)
    assert fake_daraja.send_callback(payment["checkout_request_id"], 0, receipt="RCPT000001").status_code == 200
    before = snapshot(conn)
    again = fake_daraja.send_callback(payment["checkout_request_id"], 0, receipt="RCPT000002")
    late_fail = fake_daraja.send_callback(payment["checkout_request_id"], 1032)
    assert again.status_code == 200 and late_fail.status_code == 200
    after = snapshot(conn)
    assert after[0] == before[0] and after[1] == before[1]  # subscriptions and businesses untouched
    assert [c["outcome"] for c in after[2]].count("duplicate") == 2
    assert _sub(conn, payment["id"])["mpesa_receipt_number"] == "RCPT000001"


def test_concurrent_duplicate_callbacks_activate_once(run_cli, conn, business, fake_daraja, webhook_url):
    payment = _pay(conn, business, "lite")
    body = callback_payload(payment["checkout_request_id"], "0", amount=999, receipt="CONC000001")
    url = f"{webhook_url}/mpesa/callback/{CALLBACK_TOKEN}"
    barrier, codes = threading.Barrier(6), []

    def post() -> None:
        barrier.wait()
        codes.append(requests.post(url, json=body, timeout=10).status_code)

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [200] * 6
    conn.commit()
    outcomes = [r["outcome"] for r in conn.execute("SELECT outcome FROM mpesa_callbacks").fetchall()]
    assert sorted(outcomes) == ["activated"] + ["duplicate"] * 5
    active = conn.execute("SELECT count(*) AS n FROM subscriptions WHERE status = 'active'").fetchone()["n"]
    assert active == 1


FAILURES = [(1032, "cancelled"), (1037, "could not be reached"), (1, "insufficient"), ("2001", "wrong M-Pesa PIN"),
            (1019, "expired"), (1001, "busy"), (9999, "9999")]


def test_failed_payments_recorded_with_reason(run_cli, conn, business, fake_daraja, webhook_url):
    for code, words in FAILURES:
        payment = _pay(conn, business)
        answer = fake_daraja.send_callback(payment["checkout_request_id"], code)
        assert answer.status_code == 200
        row = _sub(conn, payment["id"])
        assert row["status"] == "failed" and row["is_active"] is False and row["result_code"] == int(code)
        assert words in row["failure_reason"] and row["result_desc"]
        assert row["raw_callback"]["Body"]["stkCallback"]["ResultCode"] == code
    assert _status(conn, business) == "trial"
    status = json.loads(run_cli("billing", "status", "--business", business["name"]).stdout)
    assert [p["status"] for p in status["payments"]] == ["failed"] * len(FAILURES)
    assert "cancelled" in status["payments"][-1]["failure_reason"]


def test_lost_callback_settled_by_reconcile_receipt_comes_later(run_cli, conn, business, fake_daraja, webhook_url):
    paid = _pay(conn, business, "enterprise")
    cancelled = _pay(conn, business, "lite")
    waiting = _pay(conn, business, "pro")
    fake_daraja.set_query_result(paid["checkout_request_id"], "0", "The service request is processed successfully.")
    fake_daraja.set_query_result(cancelled["checkout_request_id"], "1032", "Request cancelled by user")

    # a fresh payment is not queried yet
    young = json.loads(run_cli("billing", "reconcile").stdout)
    assert young["checked"] == 0 and _sub(conn, paid["id"])["status"] == "pending"

    result = run_cli("billing", "reconcile", "--older-than-minutes", "0")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["checked"], report["activated"], report["failed"], report["still_pending"]) == (3, 1, 1, 1)
    row = _sub(conn, paid["id"])
    assert row["status"] == "active" and row["mpesa_receipt_number"] is None and row["settled_by"] == "reconcile"
    assert row["ends_at"] - row["starts_at"] == timedelta(days=30)
    assert _sub(conn, cancelled["id"])["status"] == "failed" and "cancelled" in _sub(conn, cancelled["id"])["failure_reason"]
    assert _sub(conn, waiting["id"])["status"] == "pending"
    assert _status(conn, business) == "active"

    late = fake_daraja.send_callback(paid["checkout_request_id"], 0, receipt="LATE123456")
    assert late.status_code == 200
    row_after = _sub(conn, paid["id"])
    assert row_after["mpesa_receipt_number"] == "LATE123456"
    assert (row_after["starts_at"], row_after["ends_at"]) == (row["starts_at"], row["ends_at"])


def test_renewal_before_expiry_extends_from_current_end(run_cli, conn, business, fake_daraja, webhook_url):
    first = _pay(conn, business, "lite")
    fake_daraja.send_callback(first["checkout_request_id"], 0, receipt="FIRST00001")
    # pretend the first period started 20 days ago: 10 days are left
    conn.execute("UPDATE subscriptions SET starts_at = starts_at - interval '20 days', "
                 "ends_at = ends_at - interval '20 days' WHERE id = %s", (first["id"],))
    conn.commit()
    first_row = _sub(conn, first["id"])

    renewal = _pay(conn, business, "pro")
    assert fake_daraja.send_callback(renewal["checkout_request_id"], 0, receipt="RENEW00001").status_code == 200
    renewed = _sub(conn, renewal["id"])
    assert renewed["starts_at"] == first_row["ends_at"]
    assert renewed["ends_at"] == first_row["ends_at"] + timedelta(days=30)
    status = json.loads(run_cli("billing", "status", "--business", business["name"]).stdout)
    assert status["plan"] == "lite" and status["status"] == "active"  # the current period is still lite
    assert status["days_left"] == 40

    # after the paid time runs out, a new payment starts from now
    conn.execute("UPDATE subscriptions SET starts_at = starts_at - interval '90 days', "
                 "ends_at = ends_at - interval '90 days'")
    conn.execute("UPDATE businesses SET trial_ends_at = CURRENT_TIMESTAMP - interval '1 day'")
    conn.commit()
    later = _pay(conn, business, "lite")
    fake_daraja.send_callback(later["checkout_request_id"], 0, receipt="LATER00001")
    later_row = _sub(conn, later["id"])
    assert abs((later_row["starts_at"] - later_row["paid_at"]).total_seconds()) < 1


def test_callback_with_wrong_token_or_unknown_checkout_changes_nothing(
        run_cli, conn, business, fake_daraja, webhook_url, monkeypatch):
    payment = _pay(conn, business)
    body = callback_payload(payment["checkout_request_id"], 0, amount=payment["amount_kes"])
    before = snapshot(conn)
    wrong = requests.post(f"{webhook_url}/mpesa/callback/not-the-token", json=body, timeout=10)
    assert wrong.status_code in (403, 404)
    unknown = requests.post(f"{webhook_url}/mpesa/callback/{CALLBACK_TOKEN}",
                            json=callback_payload("ws_CO_000000000000000000", 0), timeout=10)
    assert unknown.status_code == 202  # kept for a payment that may be storing its id right now; settles nothing
    not_json = requests.post(f"{webhook_url}/mpesa/callback/{CALLBACK_TOKEN}", data=b"{nope", timeout=10)
    assert not_json.status_code == 400
    monkeypatch.setenv("MPESA_ALLOWED_IPS", "196.201.214.0/24, 196.201.213.114")
    blocked = requests.post(f"{webhook_url}/mpesa/callback/{CALLBACK_TOKEN}", json=body, timeout=10)
    assert blocked.status_code == 403
    monkeypatch.setenv("MPESA_TRUST_FORWARDED_FOR", "1")  # behind a proxy: the address it appended counts
    forged = requests.post(f"{webhook_url}/mpesa/callback/{CALLBACK_TOKEN}", json=body, timeout=10,
                           headers={"X-Forwarded-For": "196.201.214.5, 8.8.8.8"})
    assert forged.status_code == 403
    assert snapshot(conn) == before
    via_proxy = requests.post(f"{webhook_url}/mpesa/callback/{CALLBACK_TOKEN}", json=body, timeout=10,
                              headers={"X-Forwarded-For": "8.8.8.8, 196.201.214.5"})
    assert via_proxy.status_code == 200 and _sub(conn, payment["id"])["status"] == "active"


def test_a_callback_that_beats_the_push_answer_activates_the_plan(conn, business, fake_daraja, webhook_url):
    """The owner pays within the moment our push call waits for Daraja's answer: the callback finds no payment
    with its CheckoutRequestID yet. Safaricom does not send it again, so it is kept and applied on storing."""
    fake_daraja.callback_first = 0
    payment = _pay(conn, business, "lite")
    assert fake_daraja.early_answers == [202]
    assert payment["status"] == "active"
    paid = _sub(conn, payment["id"])
    assert paid["status"] == "active" and paid["is_active"] is True and paid["mpesa_receipt_number"]
    assert _status(conn, business) == "active"
    assert conn.execute("SELECT count(*) AS n FROM mpesa_early_callbacks").fetchone()["n"] == 0


def test_daraja_refusal_is_reported_and_recorded(run_cli, conn, business, fake_daraja):
    fake_daraja.push_errors.append((400, {"requestId": "x", "errorCode": "400.002.02",
                                          "errorMessage": "Bad Request - Invalid PhoneNumber"}))
    result = run_cli("billing", "pay", "--business", business["name"], "--plan", "lite", "--phone", "0708374149")
    assert result.returncode == 1 and "Invalid PhoneNumber" in result.stderr and "Traceback" not in result.stderr
    conn.commit()
    row = conn.execute("SELECT * FROM subscriptions").fetchone()
    assert row["status"] == "failed" and row["settled_by"] == "push_error" and row["mpesa_checkout_id"] is None


def test_two_renewals_paid_at_once_chain_their_periods(conn, business, fake_daraja, webhook_url):
    first, second = _pay(conn, business, "lite"), _pay(conn, business, "pro")
    barrier = threading.Barrier(2)

    def callback(payment) -> None:
        barrier.wait()
        assert fake_daraja.send_callback(payment["checkout_request_id"], 0).status_code == 200

    threads = [threading.Thread(target=callback, args=(p,)) for p in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = sorted((_sub(conn, p["id"]) for p in (first, second)), key=lambda r: r["starts_at"])
    assert all(r["status"] == "active" for r in rows)
    assert rows[1]["starts_at"] == rows[0]["ends_at"]  # no overlap, no gap: 60 paid days in total
    assert rows[1]["ends_at"] - rows[0]["starts_at"] == timedelta(days=60)


def test_reconcile_keeps_payments_it_cannot_check(run_cli, conn, business, fake_daraja):
    payment = _pay(conn, business, "lite")
    conn.execute("UPDATE subscriptions SET mpesa_checkout_id = 'ws_CO_UNKNOWN_TO_DARAJA' WHERE id = %s",
                 (payment["id"],))
    conn.commit()
    result = run_cli("billing", "reconcile", "--older-than-minutes", "0")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["checked"] == 1 and len(report["errors"]) == 1 and "ws_CO_UNKNOWN_TO_DARAJA" in report["errors"][0]
    assert _sub(conn, payment["id"])["status"] == "pending"
