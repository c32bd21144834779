"""The AI-reply gate: trial, paid plan, expiry, exact quota boundary, owner notices, `mtaabot ask`."""

from __future__ import annotations

import json

import pytest

from mtaabot.billing.gate import check_ai_allowed, customer_handover_message
from mtaabot.billing.plans import LITE, TRIAL
from tests.conftest import ROOT


def _conversation(conn, business_id) -> str:
    return conn.execute(
        """INSERT INTO conversations (business_id, customer_phone) VALUES (%s, '254700000001')
           ON CONFLICT (business_id, customer_phone) DO UPDATE SET status = conversations.status RETURNING id""",
        (business_id,)).fetchone()["id"]


def _store_ai_replies(conn, business_id, n: int, author: str = "ai") -> None:
    conv = _conversation(conn, business_id) if n else None
    conn.execute(
        """INSERT INTO messages (conversation_id, business_id, role, author, content)
           SELECT %s, %s, 'bot', %s, 'jibu ' || g FROM generate_series(1, %s) AS g""",
        (conv, business_id, author, n))


def _activate_lite(conn, business_id, days_ago: int = 0) -> None:
    conn.execute(
        """INSERT INTO subscriptions (business_id, plan_tier, starts_at, ends_at, is_active, status, amount_kes,
                                      mpesa_checkout_id, mpesa_receipt_number, paid_at)
           VALUES (%s, 'lite', CURRENT_TIMESTAMP - make_interval(days => %s),
                   CURRENT_TIMESTAMP - make_interval(days => %s) + interval '30 days', true, 'active', 999,
                   'ws_CO_gate', 'GATE000001', CURRENT_TIMESTAMP)""",
        (business_id, days_ago, days_ago))


def _expire_trial(conn, business_id) -> None:
    conn.execute("UPDATE businesses SET trial_ends_at = CURRENT_TIMESTAMP - interval '1 hour' WHERE id = %s",
                 (business_id,))


def _notices(conn, business_id) -> list[dict]:
    return conn.execute("SELECT kind, body FROM notifications WHERE business_id = %s ORDER BY created_at",
                        (business_id,)).fetchall()


def test_quota_boundary_is_exact_on_a_paid_plan(conn, business):
    bid = business["id"]
    _activate_lite(conn, bid, days_ago=3)
    _store_ai_replies(conn, bid, LITE.monthly_ai_replies - 1)
    _store_ai_replies(conn, bid, 50, author="system")  # hand-overs and notices do not count
    # replies from before this period do not count either
    conn.execute("""UPDATE messages SET created_at = CURRENT_TIMESTAMP - interval '10 days'
                    WHERE id IN (SELECT id FROM messages WHERE author = 'system' LIMIT 5)""")
    assert check_ai_allowed(conn, bid).allowed  # the 1000th reply may go out
    _store_ai_replies(conn, bid, 1)
    verdict = check_ai_allowed(conn, bid)  # the 1001st may not
    assert not verdict.allowed and verdict.reason == "quota_reached"
    assert "1,000" in verdict.owner_notice and "Lite" in verdict.owner_notice
    assert "Samahani" in verdict.customer_message or "Asante" in verdict.customer_message
    assert "Mama Njeri Duka" in verdict.customer_message and "reply" in verdict.customer_message
    assert [n["kind"] for n in _notices(conn, bid)] == ["billing"]


def test_old_replies_outside_the_period_do_not_count(conn, business):
    bid = business["id"]
    _store_ai_replies(conn, bid, LITE.monthly_ai_replies + 5)
    conn.execute("UPDATE messages SET created_at = CURRENT_TIMESTAMP - interval '31 days'")
    _activate_lite(conn, bid, days_ago=1)
    assert check_ai_allowed(conn, bid).allowed


def test_trial_quota_and_trial_end(conn, business):
    bid = business["id"]
    _store_ai_replies(conn, bid, TRIAL.monthly_ai_replies - 1)
    assert check_ai_allowed(conn, bid).allowed
    _store_ai_replies(conn, bid, 1)
    verdict = check_ai_allowed(conn, bid)
    assert verdict.reason == "quota_reached" and f"{TRIAL.monthly_ai_replies:,}" in verdict.owner_notice


def test_no_plan_no_trial_gated_with_one_notice_a_day(conn, business):
    bid = business["id"]
    _expire_trial(conn, bid)
    first = check_ai_allowed(conn, bid)
    assert not first.allowed and first.reason == "no_active_plan" and first.owner_notified
    assert first.customer_message == customer_handover_message("Mama Njeri Duka")
    assert "Lipia kwa M-Pesa" in first.owner_notice and "KES 999" in first.owner_notice
    second = check_ai_allowed(conn, bid)
    assert not second.allowed and not second.owner_notified
    assert len(_notices(conn, bid)) == 1
    conn.execute("UPDATE notifications SET created_at = created_at - interval '25 hours'")
    assert check_ai_allowed(conn, bid).owner_notified and len(_notices(conn, bid)) == 2
    status = conn.execute("SELECT status FROM businesses WHERE id = %s", (bid,)).fetchone()["status"]
    assert status == "suspended"


def test_status_follows_subscriptions(conn, business):
    bid = business["id"]
    from mtaabot.billing.status import sync_business_status

    def status() -> str:
        return conn.execute("SELECT status FROM businesses WHERE id = %s", (bid,)).fetchone()["status"]

    assert status() == "trial" and check_ai_allowed(conn, bid).allowed
    _activate_lite(conn, bid)
    sync_business_status(conn, bid)
    assert status() == "active"
    _expire_trial(conn, bid)
    conn.execute("UPDATE subscriptions SET starts_at = starts_at - interval '31 days', "
                 "ends_at = ends_at - interval '31 days'")
    assert not check_ai_allowed(conn, bid).allowed and status() == "suspended"
    sub = conn.execute("SELECT status, is_active FROM subscriptions").fetchone()
    assert sub == {"status": "expired", "is_active": False}


def test_other_business_usage_does_not_count(conn, business):
    from mtaabot.businesses import create_business

    other = create_business(conn, name="Kibanda Kingine", whatsapp_number="0711000202")
    _store_ai_replies(conn, other["id"], TRIAL.monthly_ai_replies + 1)
    assert check_ai_allowed(conn, business["id"]).allowed
    assert not check_ai_allowed(conn, other["id"]).allowed


@pytest.mark.skipif(not (ROOT / "mtaabot" / "engine.py").exists(), reason="engine (mtaabot ask) not built yet")
def test_expired_business_gets_no_ai_reply_through_ask(run_cli, conn, business):
    bid = business["id"]
    _expire_trial(conn, bid)
    conn.commit()
    result = run_cli("ask", "--business", business["name"], "Habari, mna unga wa ngano?")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["reply"] == customer_handover_message("Mama Njeri Duka")
    assert out["products"] == [] and "KES" not in out["reply"]
    conn.commit()
    authors = [r["author"] for r in conn.execute(
        "SELECT author FROM messages WHERE business_id = %s AND role = 'bot'", (bid,)).fetchall()]
    assert authors == ["system"]
    notices = _notices(conn, bid)
    assert len(notices) == 1 and notices[0]["kind"] == "billing" and "Lipia kwa M-Pesa" in notices[0]["body"]

    # once paid, the gate opens again and the owner is not notified twice
    _activate_lite(conn, bid)
    assert check_ai_allowed(conn, bid).allowed
    assert len(_notices(conn, bid)) == 1
