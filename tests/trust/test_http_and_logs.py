"""Over real HTTP (gunicorn, as `mtaabot serve webhook` runs it) and a real `mtaabot worker` process:

* every route refuses a body above the limit with a clear 413 JSON answer;
* gunicorn's own access log never shows the M-Pesa callback path token or `hub.verify_token`;
* with MTAABOT_LOG_FORMAT=json one customer message's request id appears in the webhook's, the worker's and the
  Graph call's log lines, and no token appears in any log line of either process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.fakes.fake_graph import FakeGraph
from tests.webhook.conftest import (
    ACCESS_TOKEN,
    VERIFY_TOKEN,
    fixture,
    free_port,
    query,
    sign,
    text_payload,
    wait_until,
)

ROOT = Path(__file__).resolve().parents[2]
CALLBACK_TOKEN = "cb-path-secret-7781"


@pytest.fixture
def served(wa_env: dict[str, str], shop: dict[str, Any], tmp_path: Path) -> Iterator[dict[str, Any]]:
    """gunicorn with its access log on stdout, JSON application logs, a 64 KiB body limit."""
    port = free_port()
    out, err = tmp_path / "gunicorn.out", tmp_path / "gunicorn.err"
    env = os.environ | wa_env | {"MTAABOT_LOG_FORMAT": "json", "MTAABOT_MAX_REQUEST_BYTES": str(64 * 1024),
                                 "MPESA_CALLBACK_TOKEN": CALLBACK_TOKEN}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
         "--worker-class", "gthread", "--timeout", "60", "--access-logfile", "-", "--no-control-socket",
         "webhook:create_app()"], cwd=ROOT, env=env, stdout=out.open("ab"), stderr=err.open("ab"))
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(url + "/healthz", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    assert wait_until(up, timeout=90, interval=0.2), err.read_text()[-3000:]
    yield {"url": url, "out": out, "err": err, "env": env, "proc": proc}
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def _logs(path: Path) -> list[str]:
    return [line for line in path.read_text(errors="replace").splitlines() if line.strip()]


def test_every_route_refuses_a_body_over_the_limit_with_json_413(served: dict[str, Any]) -> None:
    url, big = served["url"], b"x" * (65 * 1024)
    routes = [("POST", "/webhook"), ("POST", "/api/v1/products"), ("POST", f"/mpesa/callback/{CALLBACK_TOKEN}"),
              ("GET", "/healthz"), ("POST", "/no/such/route")]
    for method, path in routes:
        answer = requests.request(method, url + path, data=big, timeout=30,
                                  headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(big)})
        assert answer.status_code == 413, (path, answer.status_code, answer.text[:200])
        assert answer.json()["limit_bytes"] == 64 * 1024 and "too large" in answer.json()["error"]
    # under the limit the same routes behave as usual
    assert requests.get(url + "/healthz", timeout=10).status_code == 200
    small = json.dumps(fixture("text.json")).encode()
    ok = requests.post(url + "/webhook", data=small, timeout=30,
                       headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(small)})
    assert ok.status_code == 200 and ok.json()["stored"] == 1


def test_gunicorn_access_log_hides_callback_and_verify_tokens(served: dict[str, Any]) -> None:
    url = served["url"]
    verified = requests.get(url + "/webhook", timeout=10, params={
        "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1234"})
    assert verified.status_code == 200 and verified.text == "1234"
    callback = requests.post(f"{url}/mpesa/callback/{CALLBACK_TOKEN}", json={"Body": {}}, timeout=10)
    assert callback.status_code == 400  # reached the handler: the path token was right
    access = wait_until(lambda: [line for line in _logs(served["out"]) if "/mpesa/callback/" in line], timeout=10)
    assert access, _logs(served["out"])[-5:]
    everything = "\n".join(_logs(served["out"]) + _logs(served["err"]))
    assert "/mpesa/callback/[redacted]" in everything and "hub.verify_token=[redacted]" in everything
    assert CALLBACK_TOKEN not in everything and VERIFY_TOKEN not in everything


def test_one_message_id_follows_webhook_worker_and_graph_call_without_tokens(
        served: dict[str, Any], graph: FakeGraph, db_url: str, tmp_path: Path) -> None:
    worker_log = tmp_path / "worker.err"
    exe = Path(sys.executable).parent / "mtaabot"
    worker = subprocess.Popen([str(exe), "worker", "--senders", "1", "--engines", "1", "--poll", "0.1"],
                              cwd=ROOT, env=served["env"], stdout=subprocess.DEVNULL, stderr=worker_log.open("ab"))
    try:
        body = json.dumps(text_payload("Bei ya sukari ni ngapi?", wamid="wamid.TRACE0001")).encode()
        answer = requests.post(served["url"] + "/webhook", data=body, timeout=30,
                               headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(body)})
        assert answer.status_code == 200 and answer.json()["stored"] == 1
        request_id = answer.headers["X-Request-Id"]
        assert request_id.startswith("req-")
        [sent] = graph.wait_for(1, timeout=240)
        assert sent.body["to"] == "254722000001"
        assert query(db_url, "SELECT request_id FROM inbound_jobs")[0]["request_id"] == request_id
        wait_until(lambda: any("outbox" in line and request_id in line for line in _logs(worker_log)), timeout=20)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()

    def records(path: Path) -> list[dict[str, Any]]:
        parsed = []
        for line in _logs(path):
            if line.startswith("{"):
                parsed.append(json.loads(line))
        return parsed

    web, work = records(served["err"]), records(worker_log)
    mine = [r for r in web + work if r.get("request_id") == request_id]
    loggers = {r["logger"] for r in mine}
    assert "mtaabot.whatsapp.inbound" in loggers, web[-5:]          # webhook: stored + job queued
    assert "mtaabot.whatsapp.worker" in loggers, work[-10:]         # worker: the job answered
    assert "mtaabot.whatsapp.outbox" in loggers                     # sender: the outbox row sent
    assert "mtaabot.whatsapp.client" in loggers                     # the Graph call itself
    graph_line = next(r for r in mine if r["logger"] == "mtaabot.whatsapp.client")
    assert graph_line["graph_wamid"] == sent.wamid
    everything = "\n".join(_logs(served["err"]) + _logs(served["out"]) + _logs(worker_log))
    for secret in (ACCESS_TOKEN, VERIFY_TOKEN, CALLBACK_TOKEN):
        assert secret not in everything
