"""/healthz, /readyz and /metrics on the real webhook app over HTTP."""

from __future__ import annotations

from typing import Any

import psycopg
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import create_database, drop_database
from tests.webhook.conftest import App, text_payload, wait_until


def scrape(app: App) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    resp = requests.get(app.url + "/metrics", timeout=30)
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/plain")
    out = {}
    for family in text_string_to_metric_families(resp.text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_healthz_and_readyz_when_all_is_well(app: App, shop: dict[str, Any]) -> None:
    assert requests.get(app.url + "/healthz", timeout=10).json() == {"status": "ok"}
    ready = requests.get(app.url + "/readyz", timeout=10)
    assert ready.status_code == 200 and ready.json()["status"] == "ready" and ready.json()["database"] == "up"


def test_readyz_is_503_with_the_reason_when_migrations_are_behind_or_the_database_is_gone(
        app: App, pg_admin_url: str, monkeypatch) -> None:
    url = create_database(pg_admin_url)
    monkeypatch.setenv("DATABASE_URL", url)  # the app reads it on every request
    assert requests.get(app.url + "/readyz", timeout=10).status_code == 200
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("DELETE FROM schema_migrations WHERE version = '0800_trust'")
    behind = requests.get(app.url + "/readyz", timeout=10)
    assert behind.status_code == 503 and "0800_trust" in behind.json()["reason"]
    assert behind.json()["pending_migrations"] == ["0800_trust"]

    drop_database(pg_admin_url, url)  # the database stops answering
    gone = requests.get(app.url + "/readyz", timeout=10)
    assert gone.status_code == 503 and gone.json()["database"] == "down"
    assert gone.json()["reason"].startswith("database unreachable")
    assert requests.get(app.url + "/healthz", timeout=10).status_code == 200  # the process is still alive
    metrics = scrape(app)
    assert metrics[("mtaabot_database_up", ())] == 0


def test_metrics_move_after_a_message(app: App, shop: dict[str, Any]) -> None:
    before = scrape(app)
    user_key = ("mtaabot_messages_stored", (("author", "customer"), ("role", "user")))
    accepted = ("mtaabot_webhook_requests_total", (("outcome", "accepted"),))
    bad_sig = ("mtaabot_webhook_requests_total", (("outcome", "bad_signature"),))
    pending = ("mtaabot_inbound_jobs", (("status", "pending"),))
    assert before[("mtaabot_database_up", ())] == 1
    assert before.get(user_key, 0) == 0 and before[pending] == 0
    assert before[("mtaabot_outbox", (("status", "failed"),))] == 0
    assert before[("mtaabot_order_payments", (("status", "pending"),))] == 0

    assert app.post_webhook(text_payload("Unga ni pesa ngapi?", wamid="wamid.metrics1")).status_code == 200
    assert app.post_webhook(text_payload("x", wamid="wamid.metrics2"), signature="sha256=" + "0" * 64
                            ).status_code == 403
    after = scrape(app)
    assert after[user_key] == 1
    assert after[pending] == 1  # no worker here: the job waits in the queue
    assert after[("mtaabot_queue_oldest_pending_seconds", (("queue", "inbound_jobs"),))] >= 0
    assert after[accepted] == before.get(accepted, 0) + 1
    assert after[bad_sig] == before.get(bad_sig, 0) + 1
    posted = ("mtaabot_http_requests_total", (("method", "POST"), ("route", "/webhook"), ("status", "200")))
    assert after[posted] == before.get(posted, 0) + 1
    assert ("mtaabot_http_request_seconds_count", (("route", "/webhook"),)) in after


def test_reply_and_send_latency_and_escalations_after_real_answers(
        app: App, shop: dict[str, Any], worker: Any, graph: Any) -> None:
    before = scrape(app)
    assert before[("mtaabot_reply_latency_seconds_gcount", ())] == 0
    assert app.post_webhook(text_payload("Unga ni pesa ngapi?", wamid="wamid.lat1")).status_code == 200
    assert app.post_webhook(text_payload("Nataka kuongea na mtu tafadhali", wamid="wamid.lat2",
                                         phone="254722000002")).status_code == 200
    graph.wait_for(2, timeout=120)
    assert wait_until(lambda: scrape(app)[("mtaabot_send_latency_seconds_gcount", ())] >= 2, timeout=30)
    after = scrape(app)
    assert after[("mtaabot_reply_latency_seconds_gcount", ())] == 2  # both answers, from stored to answered
    assert after[("mtaabot_reply_latency_seconds_bucket", (("le", "+Inf"),))] == 2
    assert after[("mtaabot_reply_latency_seconds_bucket", (("le", "300.0"),))] == 2  # well within 5 minutes
    assert after[("mtaabot_reply_latency_seconds_gsum", ())] > 0
    escalated = sum(v for (name, _), v in after.items() if name == "mtaabot_escalations")
    assert escalated == 1  # the customer who asked for a person
    assert after[("mtaabot_messages_stored", (("author", "customer"), ("role", "user")))] == 2
