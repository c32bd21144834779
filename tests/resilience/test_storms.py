"""Storms: Graph API 429/500 storms, 1,000 racing duplicate deliveries, M-Pesa callback storms with duplicates.

All over real HTTP (werkzeug / gunicorn), real PostgreSQL, the real worker; only Meta and Daraja are fakes.
"""

from __future__ import annotations

import concurrent.futures
import json
import random
import time
from collections import Counter
from typing import Any

import psycopg
import requests

from mtaabot.billing.payments import start_payment
from tests.billing.conftest import CALLBACK_TOKEN
from tests.fakes.fake_daraja import callback_payload
from tests.fakes.fake_graph import FakeGraph
from tests.webhook.conftest import App, query, sign, text_payload, wait_until

QUESTIONS = ["Mna sukari?", "Bei ya unga?", "Niaje, mafuta iko?", "Do you have cooking oil?"]


def test_graph_429_and_500_storm_every_reply_delivered_exactly_once(app: App, shop: dict[str, Any], worker: Any,
                                                                   graph: FakeGraph, db_url: str) -> None:
    n = 20
    storm = [429] * 30 + [500] * 15 + [503] * 5
    random.Random(7).shuffle(storm)
    graph.script(*storm)  # the next 50 sends fail, whichever message they carry
    for i in range(n):
        resp = app.post_webhook(text_payload(QUESTIONS[i % len(QUESTIONS)], wamid=f"wamid.STORM{i}",
                                             phone=f"2547240{i:05d}"))
        assert resp.status_code == 200
    assert wait_until(lambda: len(graph.sent) >= n, timeout=120), Counter(r.status for r in graph.requests)
    time.sleep(1.0)  # a duplicate would show up now
    refused = Counter(r.status for r in graph.requests if r.status != 200)
    assert refused == {429: 30, 500: 15, 503: 5}  # the storm really happened
    per_customer = Counter(s.body["to"] for s in graph.sent)
    assert len(per_customer) == n and set(per_customer.values()) == {1}, per_customer
    rows = query(db_url, "SELECT status, count(*) AS n FROM outbox GROUP BY status")
    assert {r["status"]: r["n"] for r in rows} == {"sent": n}
    # every bot message carries the wamid Meta gave it, so delivery statuses can find it
    sent_wamids = {s.wamid for s in graph.sent}
    stored = {r["wamid"] for r in query(db_url, "SELECT wamid FROM messages WHERE role = 'bot'")}
    assert stored == sent_wamids


def test_thousand_racing_duplicate_deliveries_store_and_answer_once(gunicorn: str, shop: dict[str, Any],
                                                                    worker: Any, graph: FakeGraph,
                                                                    db_url: str) -> None:
    distinct, copies = 50, 20
    bodies = []
    for i in range(distinct):
        body = json.dumps(text_payload(QUESTIONS[i % len(QUESTIONS)], wamid=f"wamid.DUP{i:03d}",
                                       phone=f"2547250{i:05d}")).encode()
        bodies += [body] * copies
    random.Random(11).shuffle(bodies)
    session_pool: dict[int, requests.Session] = {}

    def deliver(body: bytes) -> tuple[int, dict[str, Any]]:
        import threading

        session = session_pool.setdefault(threading.get_ident(), requests.Session())
        resp = session.post(gunicorn + "/webhook", data=body, timeout=60,
                            headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(body)})
        return resp.status_code, resp.json()

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(deliver, bodies))
    assert Counter(code for code, _ in answers) == {200: distinct * copies}
    assert sum(a["stored"] for _, a in answers) == distinct
    assert sum(a["duplicates"] for _, a in answers) == distinct * (copies - 1)
    assert query(db_url, "SELECT count(*) AS n FROM messages WHERE role = 'user'")[0]["n"] == distinct
    assert query(db_url, "SELECT count(*) AS n FROM inbound_jobs")[0]["n"] == distinct
    assert wait_until(lambda: len(graph.sent) >= distinct, timeout=120)
    time.sleep(1.0)
    per_customer = Counter(s.body["to"] for s in graph.sent)
    assert len(per_customer) == distinct and set(per_customer.values()) == {1}, per_customer


def test_mpesa_callback_storm_with_duplicates_activates_each_payment_once(conn: psycopg.Connection,
                                                                          business: dict[str, Any],
                                                                          fake_daraja: Any, webhook_url: str) -> None:
    payments = [start_payment(conn, business["id"], "lite", "0708374149") for _ in range(8)]
    conn.commit()
    url = f"{webhook_url}/mpesa/callback/{CALLBACK_TOKEN}"
    storm = []
    for k, p in enumerate(payments):
        ok = callback_payload(p["checkout_request_id"], 0, amount=999, receipt=f"STORM{k:05d}")
        storm += [ok] * 12
        storm.append(callback_payload(p["checkout_request_id"], 1032))  # a late "cancelled" for a paid one
    random.Random(5).shuffle(storm)

    def post(body: dict[str, Any]) -> int:
        return requests.post(url, json=body, timeout=30).status_code

    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        codes = list(pool.map(post, storm))
    assert 500 not in codes and set(codes) <= {200}, Counter(codes)
    conn.commit()
    subs = conn.execute("SELECT status, mpesa_receipt_number, starts_at, ends_at FROM subscriptions "
                        "WHERE business_id = %s ORDER BY starts_at", (business["id"],)).fetchall()
    activated = [s for s in subs if s["mpesa_receipt_number"]]
    # one activation per payment, each with its own receipt, however many callbacks raced
    assert sorted(s["mpesa_receipt_number"] for s in activated) == [f"STORM{k:05d}" for k in range(8)]
    outcomes = Counter(r["outcome"] for r in conn.execute("SELECT outcome FROM mpesa_callbacks").fetchall())
    assert outcomes["activated"] == 8
    # paid time adds up: eight back-to-back 30-day renewals, no period counted twice
    span = max(s["ends_at"] for s in activated) - min(s["starts_at"] for s in activated)
    assert 239 <= span.days <= 240, span
