"""Real processes: gunicorn (2 workers) under concurrent duplicate deliveries, and a worker killed mid-batch."""

from __future__ import annotations

import concurrent.futures
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.fakes.fake_graph import FakeGraph
from tests.webhook.conftest import fixture, free_port, query, sign, text_payload, wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def gunicorn(wa_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
         "--worker-class", "gthread", "--timeout", "30", "--no-control-socket", "webhook:create_app()"],
        cwd=ROOT, env=os.environ | wa_env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(url + "/healthz", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    assert wait_until(up, timeout=60, interval=0.2), "gunicorn did not start"
    yield url
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def start_worker(wa_env: dict[str, str], log: Path, **extra_env: str) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "mtaabot"
    return subprocess.Popen([str(exe), "worker", "--senders", "2", "--poll", "0.1"], cwd=ROOT,
                            env=os.environ | wa_env | extra_env, stdout=subprocess.DEVNULL, stderr=log.open("ab"))


def test_same_payload_five_times_concurrently_in_gunicorn(gunicorn: str, shop: dict[str, Any],
                                                          graph: FakeGraph, db_url: str, tmp_path: Path) -> None:
    body = json.dumps(fixture("text.json")).encode()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(body)}
    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda _: requests.post(gunicorn + "/webhook", data=body, headers=headers,
                                                        timeout=30), range(5)))
    log_lines = (tmp_path / "gunicorn.log").read_text().splitlines()
    assert [a.status_code for a in answers] == [200] * 5, (
        [(a.status_code, a.text) for a in answers if a.status_code != 200],
        [line for line in log_lines if "WARNING" in line or "ERROR" in line or "Traceback" in line][-20:])
    assert sum(a.json()["stored"] for a in answers) == 1 and sum(a.json()["duplicates"] for a in answers) == 4, (
        [a.json() for a in answers], (tmp_path / "gunicorn.log").read_text()[-3000:])
    assert query(db_url, "SELECT count(*) AS n FROM messages WHERE role = 'user'")[0]["n"] == 1
    assert query(db_url, "SELECT count(*) AS n FROM inbound_jobs")[0]["n"] == 1
    # the served app also refuses a bad signature and answers the verification handshake
    bad = requests.post(gunicorn + "/webhook", data=body, headers=headers | {"X-Hub-Signature-256": "sha256=00"},
                        timeout=10)
    assert bad.status_code == 403
    from mtaabot.whatsapp.worker import Worker

    worker = Worker(db_url, senders=2, poll_seconds=0.1).start()
    assert worker.ready.wait(300)
    try:
        sent = graph.wait_for(1, timeout=60)
        assert len(sent) == 1 and sent[0].body["to"] == "254722123456"
        assert len(graph.wait_for(2, timeout=1.5)) == 1
    finally:
        worker.stop()


@pytest.mark.slow
def test_worker_killed_mid_batch_every_message_answered_once(wa_env: dict[str, str], shop: dict[str, Any],
                                                             graph: FakeGraph, db_url: str, tmp_path: Path) -> None:
    """SIGKILL a real `mtaabot worker` while it sends; a fresh one finishes: each customer gets one reply.

    Sends in flight at the kill are not resent (Meta may have them); their status webhook, echoing
    biz_opaque_callback_data, links them to their wamid afterwards."""
    from tests.webhook.conftest import App

    app = App()
    n = 12
    try:
        for i in range(n):
            resp = app.post_webhook(text_payload(["Mna sukari?", "Bei ya unga?", "Niaje, mafuta iko?"][i % 3],
                                                 wamid=f"wamid.K{i}", phone=f"2547220{i:05d}"))
            assert resp.status_code == 200
        graph.delay = 0.2  # slow sends so the kill lands while requests are in flight
        log = tmp_path / "worker.log"
        # what the dead worker held (jobs, sends cut off mid-POST) is another worker's after 5 s, not the
        # default 30 s the test used to sit out
        lease = {"MTAABOT_JOB_LEASE_SECONDS": "5"}
        first = start_worker(wa_env, log, **lease)
        started = wait_until(lambda: len(graph.requests) >= 3, timeout=90, interval=0.01)
        assert started, log.read_text()[-2000:]
        # kill while both sender threads are inside a POST (the fake holds each one for 1 s)
        graph.delay = 1.0
        assert graph.wait_in_flight(2, timeout=30)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        sent_before = query(db_url, "SELECT count(*) AS n FROM outbox WHERE status = 'sent'")[0]["n"]
        assert sent_before < n, "the worker sent everything before the kill; the test proves nothing"
        graph.delay = 0.0
        second = start_worker(wa_env, log, **lease)
        try:
            def settled() -> bool:
                rows = query(db_url, "SELECT status, count(*) AS n FROM outbox GROUP BY 1")
                return sum(r["n"] for r in rows if r["status"] in ("sent", "failed")) == n
            assert wait_until(settled, timeout=90), log.read_text()[-2000:]
            time.sleep(0.3)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=20)
        per_customer = Counter(s.body["to"] for s in graph.sent)
        outbox = query(db_url, "SELECT status, last_error, attempts FROM outbox ORDER BY id")
        assert len(per_customer) == n and set(per_customer.values()) == {1}, (per_customer, outbox)
        assert query(db_url, "SELECT count(*) AS n FROM inbound_jobs WHERE status = 'done'")[0]["n"] == n
        # sends cut off by the kill: Meta's status webhook (echoing the outbox id) records them as sent
        interrupted = query(db_url, "SELECT id FROM outbox WHERE status = 'failed'")
        assert len(interrupted) == 2  # the two POSTs cut off by the kill: not resent
        for row in interrupted:
            [rec] = [s for s in graph.sent if s.body.get("biz_opaque_callback_data") == f"outbox:{row['id']}"]
            status = fixture("status_delivered.json")
            item = status["entry"][0]["changes"][0]["value"]["statuses"][0]
            item.update(id=rec.wamid, biz_opaque_callback_data=f"outbox:{row['id']}")
            assert app.post_webhook(status).status_code == 200
        assert query(db_url, "SELECT count(*) AS n FROM outbox WHERE status = 'sent'")[0]["n"] == n
        assert query(db_url, "SELECT count(*) AS n FROM messages WHERE role = 'bot' AND wamid IS NOT NULL")[0]["n"] == n
    finally:
        app.close()
