"""`mtaabot jobs failed|retry`: a message WhatsApp refused is visible and goes out once re-queued."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.fake_graph import FakeGraph
from tests.webhook.conftest import App, query, text_payload, wait_until


def test_a_failed_send_is_listed_and_retried(app: App, shop: dict[str, Any], worker: Any, graph: FakeGraph,
                                            db_url: str, run_cli) -> None:
    graph.script((401, 190))  # the shop's token was revoked for a moment
    assert app.post_webhook(text_payload("Unga ni pesa ngapi?", wamid="wamid.jobs1")).status_code == 200
    assert wait_until(lambda: query(db_url, "SELECT 1 FROM outbox WHERE status = 'failed'"), timeout=60)
    assert graph.sent == []

    listed = run_cli("jobs", "failed", "--business", shop["name"])
    assert listed.returncode == 0, listed.stderr
    [row] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["queue"] == "outbox" and row["id"].startswith("outbox:") and row["business"] == shop["name"]
    assert row["last_error"] and "Unga" not in listed.stdout  # the error, not the customer's text

    done = run_cli("jobs", "retry", row["id"])
    assert done.returncode == 0, done.stderr
    [sent] = graph.wait_for(1)
    assert "KES 210" in sent.body["text"]["body"]
    assert wait_until(lambda: query(db_url, "SELECT 1 FROM outbox WHERE status = 'sent'"))
    assert run_cli("jobs", "failed").stdout.strip() == ""

    again = run_cli("jobs", "retry", row["id"])
    assert again.returncode == 1 and "not failed" in again.stderr
    bad = run_cli("jobs", "retry", "12")
    assert bad.returncode == 1 and "is not a job id" in bad.stderr
    missing = run_cli("jobs", "retry", "inbound:999999")
    assert missing.returncode == 1 and "no inbound job 999999" in missing.stderr
