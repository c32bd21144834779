"""Per-shop daily AI budget on top of the plan quota: past it the customer gets the hand-over, the owner is
told once, and the limit is a setting (per shop or MTAABOT_DAILY_AI_BUDGET)."""

from __future__ import annotations

import json

import psycopg

from mtaabot.billing.gate import check_ai_allowed
from tests.engine.conftest import ask, make_shop


def test_daily_budget_hands_over_past_the_limit(conn: psycopg.Connection, run_cli, monkeypatch) -> None:
    shop = make_shop(conn, name="Duka la Bajeti")
    done = run_cli("business", "set-ai-budget", "--business", shop["name"], "--daily", "2")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["daily_ai_budget"] == 2
    conn.commit()
    # yesterday's replies (Nairobi day) do not count
    old = ask(conn, shop, "Unga ni pesa ngapi?", customer="254722000100")
    conn.execute("UPDATE messages SET created_at = created_at - interval '2 days' WHERE id = %s",
                 (old.bot_message_id,))
    conn.commit()
    first = ask(conn, shop, "Unga ni pesa ngapi?", customer="254722000111")
    second = ask(conn, shop, "Sukari iko?", customer="254722000222")
    assert "KES" in first.reply and "KES" in second.reply
    third = ask(conn, shop, "Mafuta bei gani?", customer="254722000333")
    assert third.intent == "gate" and "KES" not in third.reply and "Duka la Bajeti" in third.reply
    verdict = check_ai_allowed(conn, shop["id"])
    assert not verdict.allowed and verdict.reason == "daily_budget"
    notes = conn.execute("SELECT body FROM notifications WHERE kind = 'ai_budget'").fetchall()
    assert len(notes) == 1 and "majibu 2 ya AI" in notes[0]["body"]  # once, with the limit (owner: Swahili)

    off = run_cli("business", "set-ai-budget", "--business", shop["name"], "--daily", "off")
    assert off.returncode == 0, off.stderr
    conn.commit()
    assert check_ai_allowed(conn, shop["id"]).allowed
    monkeypatch.setenv("MTAABOT_DAILY_AI_BUDGET", "2")  # the deployment default applies again
    assert check_ai_allowed(conn, shop["id"]).reason == "daily_budget"

    bad = run_cli("business", "set-ai-budget", "--business", shop["name"], "--daily", "-3")
    assert bad.returncode == 1 and bad.stderr.startswith("error: ") and "whole number" in bad.stderr
