"""Operator suspension: a suspended shop's customers are kept and told once, the owner is told, billing
cannot lift it, and reactivation brings the bot back; every change is audited with who and why."""

from __future__ import annotations

import json
import time
from typing import Any

from tests.fakes.fake_graph import FakeGraph
from tests.webhook.conftest import App, query, text_payload, wait_until


def _jobs_done(db_url: str, n: int) -> bool:
    return query(db_url, "SELECT count(*) AS n FROM inbound_jobs WHERE status = 'done'")[0]["n"] >= n


def test_suspended_shop_stores_every_message_answers_one_polite_notice_until_reactivated(
        app: App, shop: dict[str, Any], worker: Any, graph: FakeGraph, db_url: str, run_cli) -> None:
    done = run_cli("business", "suspend", "--business", shop["name"], "--reason", "spam complaints",
                   env={"MTAABOT_OPERATOR": "wanjiku@ops"})
    assert done.returncode == 0, done.stderr
    view = json.loads(done.stdout)
    assert view["suspended"] is True and view["suspension_reason"] == "spam complaints"

    # billing recomputes businesses.status: the manual suspension survives it
    rec = run_cli("billing", "reconcile")
    assert rec.returncode == 0, rec.stderr
    [row] = query(db_url, "SELECT status, suspended_at FROM businesses WHERE id = %s", (shop["id"],))
    assert row["suspended_at"] is not None

    for i, text in enumerate(("Unga ni pesa ngapi?", "Sukari iko?", "Hello??")):
        assert app.post_webhook(text_payload(text, wamid=f"wamid.susp{i}")).status_code == 200
    assert wait_until(lambda: _jobs_done(db_url, 3), timeout=120)
    [sent] = graph.wait_for(1)
    time.sleep(0.5)
    assert len(graph.sent) == 1  # one notice for the lapse, nothing else
    body = sent.body["text"]["body"]
    assert "Mama Njeri Duka" in body and "cannot answer here for now" in body and "KES" not in body
    users = query(db_url, "SELECT content FROM messages WHERE role = 'user' ORDER BY created_at")
    assert [u["content"] for u in users] == ["Unga ni pesa ngapi?", "Sukari iko?", "Hello??"]
    assert query(db_url, "SELECT count(*) AS n FROM messages WHERE author = 'ai'")[0]["n"] == 0

    # nor can the shop write to its customers through MtaaBot while suspended (e.g. a dashboard reply)
    from mtaabot.db import connect
    from mtaabot.whatsapp.outbox import enqueue_owner_reply

    conv = query(db_url, "SELECT id FROM conversations WHERE kind = 'customer'")[0]["id"]
    with connect(db_url) as c:
        enqueue_owner_reply(c, shop["id"], conv, "Karibu! Offer ya leo: unga 150")
    assert wait_until(lambda: query(db_url, "SELECT last_error FROM outbox WHERE status = 'skipped'"), timeout=30)
    [skipped] = query(db_url, "SELECT last_error FROM outbox WHERE status = 'skipped'")
    assert "suspended" in skipped["last_error"] and len(graph.sent) == 1

    # the owner was told why (dashboard notification + alert)
    [note] = query(db_url, "SELECT body FROM notifications WHERE kind = 'suspension'")
    assert "spam complaints" in note["body"]

    # suspending twice is refused with a clear message; reactivating brings the answers back
    again = run_cli("business", "suspend", "--business", shop["name"], "--reason", "again")
    assert again.returncode == 1 and again.stderr.startswith("error: ") and "already suspended" in again.stderr
    back = run_cli("business", "reactivate", "--business", shop["name"], env={"MTAABOT_OPERATOR": "otieno@ops"})
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout)["suspended"] is False
    assert app.post_webhook(text_payload("Unga ni pesa ngapi?", wamid="wamid.after")).status_code == 200
    sent = graph.wait_for(2)
    assert "KES 210" in sent[1].body["text"]["body"]

    audit = run_cli("business", "audit", "--business", shop["name"])
    entries = [json.loads(line) for line in audit.stdout.splitlines()]
    assert [(e["action"], e["actor"]) for e in entries] == [("reactivate", "otieno@ops"), ("suspend", "wanjiku@ops")]
    assert entries[1]["detail"] == {"reason": "spam complaints"}


def test_suspend_needs_a_reason_and_a_known_shop(shop: dict[str, Any], run_cli, db_url: str) -> None:
    blank = run_cli("business", "suspend", "--business", shop["name"], "--reason", "  ")
    assert blank.returncode == 1 and "needs a reason" in blank.stderr
    unknown = run_cli("business", "suspend", "--business", "No Such Duka", "--reason", "x")
    assert unknown.returncode == 1 and unknown.stderr.startswith("error: ")
    not_suspended = run_cli("business", "reactivate", "--business", shop["name"])
    assert not_suspended.returncode == 1 and "is not suspended" in not_suspended.stderr
    assert query(db_url, "SELECT count(*) AS n FROM audit_log")[0]["n"] == 0
    assert query(db_url, "SELECT suspended_at FROM businesses")[0]["suspended_at"] is None
