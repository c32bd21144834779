"""Order payments against the fake Daraja and the real callback endpoint: never a paid order without the
full amount, never paid twice, a forged or unknown callback changes nothing, Daraja down loses nothing."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest
import requests

from mtaabot.orders import checkout
from mtaabot.orders.checkout import send_due_prompts, set_payment_settings
from tests.engine.conftest import ask, make_shop
from tests.fakes.fake_daraja import FakeDaraja, callback_payload
from tests.orders.conftest import CALLBACK_TOKEN
from tests.webhook.conftest import App, wait_until


@pytest.fixture
def paying(conn: psycopg.Connection, daraja: FakeDaraja) -> dict[str, Any]:
    """A confirmed order whose M-Pesa prompt has reached (fake) M-Pesa."""
    shop = make_shop(conn)
    conn.execute("UPDATE products SET stock = 5 WHERE business_id = %s AND name LIKE 'Kabras%%'", (shop["id"],))
    set_payment_settings(conn, shop["id"], till="5123456")
    conn.commit()
    ask(conn, shop, "Nitumie sukari mbili", customer="254712200001")
    confirmed = ask(conn, shop, "ndio", customer="254712200001")
    assert confirmed.order["status"] == "awaiting_payment"
    assert send_due_prompts(conn) == {"pending": 1}
    (checkout_id, push), = daraja.pushes.items()
    return {"shop": shop, "order": confirmed.order, "checkout": checkout_id, "push": push}


def _callback(app: App, body: dict[str, Any], token: str = CALLBACK_TOKEN) -> requests.Response:
    return requests.post(f"{app.url}/mpesa/callback/{token}", json=body, timeout=10)


def _state(conn, order_id) -> tuple[str, int, int]:
    conn.commit()
    order = conn.execute("SELECT status FROM orders WHERE id = %s", (order_id,)).fetchone()
    receipts = conn.execute("SELECT count(*) AS n FROM messages WHERE intent = 'order_receipt'").fetchone()["n"]
    stock = conn.execute("SELECT stock FROM products WHERE name LIKE 'Kabras%%'").fetchone()["stock"]
    return order["status"], receipts, stock


def test_a_duplicate_callback_pays_once_and_sends_one_receipt(conn, app, paying):
    body = callback_payload(paying["checkout"], 0, amount=paying["push"]["Amount"], receipt="SLP1AAA111")
    assert _callback(app, body).status_code == 200
    assert _callback(app, body).status_code == 200
    assert _state(conn, paying["order"]["id"]) == ("paid", 1, 3)
    outcomes = [r["outcome"] for r in conn.execute("SELECT outcome FROM mpesa_callbacks ORDER BY received_at")]
    assert outcomes == ["paid", "duplicate"]


def _held(conn, order_id) -> dict[str, Any]:
    conn.commit()
    return conn.execute("SELECT status, held_reason, paid_amount_kes FROM order_payments WHERE order_id = %s "
                        "ORDER BY created_at DESC LIMIT 1", (order_id,)).fetchone()


def test_a_short_payment_is_held_and_the_stk_query_decides(conn, app, daraja, paying):
    from mtaabot.billing.payments import confirm_held

    body = callback_payload(paying["checkout"], 0, amount=100, receipt="SLP1AAA222")
    assert _callback(app, body).status_code == 200
    assert _state(conn, paying["order"]["id"]) == ("awaiting_payment", 0, 5)  # not paid, nothing promised
    held = _held(conn, paying["order"]["id"])
    assert held["status"] == "held" and held["paid_amount_kes"] == 100 and "KES 100" in held["held_reason"]
    note = conn.execute("SELECT body FROM notifications WHERE kind = 'order_payment_issue'").fetchone()
    assert "KES 100" in note["body"] and f"KES {paying['push']['Amount']:,}" in note["body"]
    daraja.set_query_result(paying["checkout"], 1032, "Request cancelled by user")  # M-Pesa: it never paid
    confirm_held(conn)
    assert wait_until(lambda: _state(conn, paying["order"]["id"])[0] == "payment_failed", timeout=10)
    assert _state(conn, paying["order"]["id"]) == ("payment_failed", 0, 5)
    assert any(r["path"].endswith("stkpushquery/v1/query") for r in daraja.requests)


def test_a_success_callback_without_an_amount_is_held_until_mpesa_confirms(conn, app, daraja, paying):
    from mtaabot.billing.payments import confirm_held

    body = callback_payload(paying["checkout"], 0, receipt="SLP1AAA333")
    items = body["Body"]["stkCallback"]["CallbackMetadata"]["Item"]
    body["Body"]["stkCallback"]["CallbackMetadata"]["Item"] = [i for i in items if i["Name"] != "Amount"]
    assert _callback(app, body).status_code == 200
    assert _state(conn, paying["order"]["id"])[0] == "awaiting_payment"
    assert _held(conn, paying["order"]["id"])["status"] == "held"
    daraja.set_query_result(paying["checkout"], 0, "The service request is processed successfully.")
    confirm_held(conn)
    assert wait_until(lambda: _state(conn, paying["order"]["id"]) == ("paid", 1, 3), timeout=10)


def test_a_callback_from_another_phone_is_held(conn, app, daraja, paying):
    body = callback_payload(paying["checkout"], 0, amount=paying["push"]["Amount"], phone=254799000111)
    assert _callback(app, body).status_code == 200
    assert _state(conn, paying["order"]["id"]) == ("awaiting_payment", 0, 5)
    assert "PhoneNumber" in _held(conn, paying["order"]["id"])["held_reason"]


def test_forged_or_unknown_callbacks_change_nothing(conn, app, paying):
    good = callback_payload(paying["checkout"], 0, amount=paying["push"]["Amount"])
    assert _callback(app, good, token="wrong-token").status_code == 404
    unknown = callback_payload("ws_CO_000000000000000000", 0, amount=380)
    assert _callback(app, unknown).status_code == 202  # kept in case its payment is being stored right now
    assert _callback(app, {"Body": {"nothing": 1}}).status_code == 400
    assert _state(conn, paying["order"]["id"]) == ("awaiting_payment", 0, 5)


def test_a_callback_that_beats_the_push_answer_still_pays_the_order(conn, app, daraja):
    """Safaricom never repeats a callback: one that arrives while we still wait for the push's answer (so no
    payment carries its CheckoutRequestID yet) is kept and applied when the answer is stored."""
    shop = make_shop(conn)
    conn.execute("UPDATE products SET stock = 5 WHERE business_id = %s AND name LIKE 'Kabras%%'", (shop["id"],))
    set_payment_settings(conn, shop["id"], till="5123456")
    conn.commit()
    ask(conn, shop, "Nitumie sukari mbili", customer="254712200001")
    order = ask(conn, shop, "ndio", customer="254712200001").order
    daraja.callback_first = 0
    assert send_due_prompts(conn) == {"pending": 1}
    assert daraja.early_answers == [202]
    assert _state(conn, order["id"]) == ("paid", 1, 3)
    assert conn.execute("SELECT count(*) AS n FROM mpesa_early_callbacks").fetchone()["n"] == 0
    assert [r["outcome"] for r in conn.execute("SELECT outcome FROM mpesa_callbacks")] == ["paid"]


def test_a_cancelled_prompt_tells_the_customer_how_to_retry(conn, app, paying):
    assert _callback(app, callback_payload(paying["checkout"], 1032)).status_code == 200
    conn.commit()
    told = conn.execute("SELECT content FROM messages WHERE intent = 'order_payment_failed'").fetchone()
    assert "LIPA TENA" in told["content"] or "PAY AGAIN" in told["content"]
    retry = ask(conn, paying["shop"], "lipa tena", customer="254712200001")
    assert retry.intent == "order_retry" and retry.order["status"] == "awaiting_payment"
    assert conn.execute("SELECT count(*) AS n FROM order_payments WHERE status = 'queued'").fetchone()["n"] == 1


def test_a_late_payment_for_a_superseded_prompt_still_counts_once(conn, app, daraja, paying):
    retry = ask(conn, paying["shop"], "lipa tena", customer="254712200001")  # a second prompt while the first waits
    assert retry.intent == "order_retry"
    send_due_prompts(conn)
    second = next(c for c in daraja.pushes if c != paying["checkout"])
    amount = paying["push"]["Amount"]
    assert _callback(app, callback_payload(paying["checkout"], 0, amount=amount, receipt="SLP1FIRST1")).status_code == 200
    assert _state(conn, paying["order"]["id"]) == ("paid", 1, 3)
    assert _callback(app, callback_payload(second, 0, amount=amount, receipt="SLP1SECOND")).status_code == 200
    assert _state(conn, paying["order"]["id"]) == ("paid", 1, 3)
    refund = conn.execute("SELECT body FROM notifications WHERE kind = 'order_payment_issue'").fetchone()
    assert "SLP1SECOND" in refund["body"] and "mrudishie mteja pesa" in refund["body"]


def test_mpesa_down_keeps_the_order_waiting_and_the_prompt_is_retried(conn, daraja):
    shop = make_shop(conn)
    set_payment_settings(conn, shop["id"], till="5123456")
    conn.commit()
    ask(conn, shop, "Nitumie mafuta moja", customer="254712200009")
    ask(conn, shop, "ndio", customer="254712200009")
    daraja.push_errors.append((503, {"errorCode": "503.001.01", "errorMessage": "Service unavailable"}))
    assert send_due_prompts(conn) == {"retry": 1}
    row = conn.execute("SELECT p.status, p.next_attempt_at > now() AS later, o.status AS order_status "
                       "FROM order_payments p JOIN orders o ON o.id = p.order_id").fetchone()
    assert (row["status"], row["later"], row["order_status"]) == ("queued", True, "awaiting_payment")
    assert send_due_prompts(conn) == {}  # not due yet
    conn.execute("UPDATE order_payments SET next_attempt_at = now()")
    conn.commit()
    assert send_due_prompts(conn) == {"pending": 1} and len(daraja.pushes) == 1


def test_reconciliation_settles_a_prompt_whose_callback_never_came(conn, daraja, paying):
    daraja.set_query_result(paying["checkout"], 0, "The service request is processed successfully.")
    conn.execute("UPDATE order_payments SET updated_at = now() - interval '10 minutes'")
    conn.commit()
    counts = checkout.reconcile_prompts(conn)
    assert counts["paid"] == 1
    assert _state(conn, paying["order"]["id"]) == ("paid", 1, 3)


def test_a_short_plan_payment_is_held_and_does_not_activate(conn, app, daraja):
    from mtaabot.billing.payments import confirm_held, start_payment
    from mtaabot.businesses import create_business

    shop = create_business(conn, name=f"Plan {uuid.uuid4().hex[:5]}", tone="kazi")
    conn.commit()
    payment = start_payment(conn, shop["id"], "pro", "0712200010")
    body = callback_payload(payment["checkout_request_id"], 0, amount=999, receipt="SLPPLAN001")
    assert _callback(app, body).status_code == 200
    conn.commit()
    sub = conn.execute("SELECT status, is_active, paid_amount_kes FROM subscriptions WHERE id = %s",
                       (payment["id"],)).fetchone()
    assert (sub["status"], sub["is_active"], sub["paid_amount_kes"]) == ("held", False, 999)
    note = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'billing'",
                        (shop["id"],)).fetchone()
    assert "KES 999" in note["body"] and "KES 2,999" in note["body"]
    daraja.set_query_result(payment["checkout_request_id"], 1, "The balance is insufficient for the transaction.")
    confirm_held(conn)

    def final() -> Any:
        conn.commit()
        return conn.execute("SELECT status, is_active FROM subscriptions WHERE id = %s",
                            (payment["id"],)).fetchone()

    assert wait_until(lambda: final()["status"] == "failed", timeout=10)
    assert final()["is_active"] is False
