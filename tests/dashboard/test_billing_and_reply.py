"""Billing page's "Renew with M-Pesa" against the fake Daraja server; receipts; owner replies to the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.dashboard.conftest import new_app, open_page, set_language, sign_in, texts
from tests.fakes.fake_daraja import FakeDaraja


@pytest.fixture
def daraja(monkeypatch):
    with FakeDaraja() as fake:
        for key, value in fake.env().items():
            monkeypatch.setenv(key, value)
        yield fake


def test_renew_sends_an_stk_push_and_shows_the_pending_payment(shops, conn, daraja) -> None:
    a, _ = shops
    at = sign_in(new_app(), a.api_key)
    open_page(at, "billing")
    assert not at.exception
    at.selectbox(key="renew_plan").set_value("pro")
    at.text_input(key="renew_phone").input("0712 345 678")
    at.button(key="renew_pay").click().run()
    assert not at.exception
    pushes = daraja.requests_to("/mpesa/stkpush/v1/processrequest")
    assert len(pushes) == 1
    body = pushes[0]["json"]
    assert body["Amount"] == 2999 and str(body["PhoneNumber"]) == "254712345678"
    assert any("Check your phone" in s.value for s in at.success)
    row = conn.execute("SELECT status, plan_tier, mpesa_checkout_id FROM subscriptions WHERE business_id = %s",
                       (a.id,)).fetchone()
    assert row["status"] == "pending" and row["plan_tier"] == "pro" and row["mpesa_checkout_id"]
    assert "Waiting for M-Pesa to confirm" in texts(at)


@pytest.mark.parametrize(("code", "shown"), [(1032, "cancelled on the phone"), (0, "Payment confirmed")])
def test_the_page_follows_the_payment_until_mpesa_answers(shops, conn, daraja, code: int, shown: str) -> None:
    a, _ = shops
    at = sign_in(new_app(), a.api_key)
    open_page(at, "billing")
    at.selectbox(key="renew_plan").set_value("lite")
    at.text_input(key="renew_phone").input("0712 345 678")
    at.button(key="renew_pay").click().run()
    checkout = conn.execute("SELECT mpesa_checkout_id FROM subscriptions WHERE business_id = %s",
                            (a.id,)).fetchone()["mpesa_checkout_id"]
    at.run()  # M-Pesa has no answer yet: still waiting
    assert "Waiting for M-Pesa to confirm" in texts(at) and not at.error
    daraja.set_query_result(checkout, code, "Request cancelled by user" if code else "The service request is processed successfully.")
    at.run()  # the status check asks M-Pesa (STK query) and settles the payment
    assert not at.exception
    assert shown in texts(at) and "Waiting for M-Pesa" not in texts(at)
    status = conn.execute("SELECT status FROM subscriptions WHERE mpesa_checkout_id = %s", (checkout,)).fetchone()
    assert status["status"] == ("active" if code == 0 else "failed")
    set_language(at, "sw")
    assert ("ombi lilisitishwa kwenye simu" if code else "Malipo yamethibitishwa") in texts(at)


def test_renew_with_a_bad_phone_explains_and_sends_nothing(shops, daraja) -> None:
    a, _ = shops
    at = sign_in(new_app(), a.api_key)
    open_page(at, "billing")
    at.text_input(key="renew_phone").input("12345")
    at.button(key="renew_pay").click().run()
    assert not at.exception
    assert at.error and "not valid" in at.error[0].value
    assert not daraja.requests_to("/mpesa/stkpush/v1/processrequest")


def test_payment_history_shows_receipts_in_kes(shops, conn) -> None:
    a, b = shops
    now = datetime.now(UTC)
    for shop, receipt in ((a, "SBX123ABC9"), (b, "SBXOTHER01")):
        conn.execute(
            """INSERT INTO subscriptions (business_id, plan_tier, starts_at, ends_at, mpesa_checkout_id,
                   mpesa_receipt_number, is_active, status, amount_kes, paid_at)
               VALUES (%s, 'lite', %s, %s, %s, %s, true, 'active', 999, %s)""",
            (shop.id, now - timedelta(days=3), now + timedelta(days=27), f"ws_CO_{receipt}", receipt, now))
    conn.commit()
    at = sign_in(new_app(), a.api_key)
    open_page(at, "billing")
    assert not at.exception
    history = at.dataframe[0].value
    assert list(history["M-Pesa receipt"]) == ["SBX123ABC9"]
    assert list(history["Amount"]) == ["KES 999"]
    assert "SBXOTHER01" not in texts(at)


def test_owner_reply_is_stored_and_queued_for_whatsapp(shops, conn) -> None:
    a, _ = shops
    at = sign_in(new_app(), a.api_key)
    open_page(at, "conversations")
    at.text_area(key="owner_reply_text").input("Karibu! Nitakupigia sasa hivi.")
    at.button(key="owner_reply_send").click().run()
    assert not at.exception
    assert any("Sent to WhatsApp" in s.value for s in at.success)
    msg = conn.execute(
        """SELECT m.author, m.role, o.id AS outbox_id FROM messages m JOIN outbox o ON o.message_id = m.id
           WHERE m.conversation_id = %s AND m.content = %s""",
        (a.escalated_conversation_id, "Karibu! Nitakupigia sasa hivi.")).fetchone()
    assert msg is not None and msg["author"] == "owner" and msg["role"] == "bot"
    assert "Nitakupigia sasa hivi" in texts(at)  # shown in the transcript


def test_empty_owner_reply_is_refused(shops, conn) -> None:
    a, _ = shops
    at = sign_in(new_app(), a.api_key)
    open_page(at, "conversations")
    at.button(key="owner_reply_send").click().run()
    assert not at.exception and at.error
    n = conn.execute("SELECT count(*) AS n FROM messages WHERE author = 'owner'").fetchone()["n"]
    assert n == 0
