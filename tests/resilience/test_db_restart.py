"""PostgreSQL stopped and restarted under load: 503 while down (Meta retries), nothing lost, nothing answered twice.

Uses its OWN embedded server (the session server other tests share is never stopped), the real Flask
app over HTTP, a real `mtaabot worker` process and the fake Graph API. A "Meta" thread delivers
customer messages at a steady pace and, like Meta, re-delivers any that did not get a 200.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import requests
from psycopg import sql

from tests.fakes.fake_graph import FakeGraph
from tests.webhook.conftest import APP_SECRET, App, create_shop, text_payload, wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, str]]:
    """A private embedded PostgreSQL (home, database URL) that this test may stop and start."""
    from mtaabot.db import close_pools
    from mtaabot.db.migrate import migrate
    from mtaabot.db.pool import connect
    from mtaabot.db.server import start_embedded, stop_embedded

    home = Path(tempfile.mkdtemp(prefix="mtaabot-restart-"))
    os.chmod(home, 0o755)
    _start_server(home)
    admin = start_embedded(home)  # joins the running server
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier("restart")))
    head, _, query = admin.partition("?")
    url = head.rsplit("/", 1)[0] + "/restart" + (f"?{query}" if query else "")
    with connect(url) as conn:
        migrate(conn)
    monkeypatch.setenv("DATABASE_URL", url)
    try:
        yield home, url
    finally:
        close_pools()
        stop_embedded(home)
        shutil.rmtree(home, ignore_errors=True)


def _start_server(home: Path) -> None:
    """Start the embedded server from a fresh process (pgserver caches a stopped instance per process)."""
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                    "from mtaabot.db.server import start_embedded; start_embedded(Path(sys.argv[1]))", str(home)],
                   check=True, timeout=120, capture_output=True)


def _count(url: str, query: str) -> int:
    with psycopg.connect(url, autocommit=True) as c:
        return c.execute(query).fetchone()[0]


def test_database_restart_under_load_loses_nothing_and_answers_once(own_server: tuple[Path, str],
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    from mtaabot.db.pool import connect
    from mtaabot.db.server import stop_embedded

    home, url = own_server
    graph = FakeGraph().start()
    env = {"WHATSAPP_GRAPH_URL": graph.url, "WHATSAPP_APP_SECRET": APP_SECRET, "WHATSAPP_API_VERSION": "v21.0",
           "WHATSAPP_RETRY_BASE_SECONDS": "0.05", "DATABASE_URL": url}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with connect(url) as conn:
        create_shop(conn)
    app = App()
    log = tmp_path / "worker.log"
    worker = subprocess.Popen([str(Path(sys.executable).parent / "mtaabot"), "worker", "--senders", "2",
                               "--poll", "0.1"], cwd=ROOT, env=os.environ | env, stdout=subprocess.DEVNULL,
                              stderr=log.open("ab"))
    n = 40
    statuses: Counter[int] = Counter()
    acked: set[int] = set()
    stop_meta = threading.Event()

    def meta() -> None:
        """Deliver message i at ~10/s; anything not acknowledged 200 is delivered again (Meta's retry)."""
        pending = list(range(n))
        while pending and not stop_meta.is_set():
            i = pending.pop(0)
            try:
                resp = app.post_webhook(text_payload(["Mna sukari?", "Bei ya unga?", "Mafuta iko?"][i % 3],
                                                     wamid=f"wamid.RESTART{i:03d}", phone=f"2547230{i:05d}"),
                                        timeout=20)
                statuses[resp.status_code] += 1
                ok = resp.status_code == 200
            except requests.RequestException:
                statuses[-1] += 1
                ok = False
            if ok:
                acked.add(i)
            else:
                pending.append(i)
            time.sleep(0.1)

    sender = threading.Thread(target=meta, daemon=True)
    try:
        # warm-up: the worker loads its models on the first message
        assert app.post_webhook(text_payload("Habari", wamid="wamid.WARM", phone="254723999999")).status_code == 200
        assert wait_until(lambda: graph.sent, timeout=120), "the worker never answered: " + log.read_text()[-2000:]
        sender.start()
        assert wait_until(lambda: len(acked) >= 8, timeout=60)
        assert stop_embedded(home), "could not stop the test's own PostgreSQL"
        assert wait_until(lambda: statuses[503] >= 2, timeout=60), statuses  # Meta is told to retry
        time.sleep(1.0)
        _start_server(home)
        sender.join(timeout=120)
        assert not sender.is_alive(), f"deliveries never all succeeded after the restart: {statuses}"
        assert wait_until(lambda: len(graph.sent) >= n + 1, timeout=120), log.read_text()[-3000:]
        time.sleep(1.5)  # any duplicate send would arrive now
    finally:
        stop_meta.set()
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        app.close()
        graph.stop()
    assert statuses[500] == 0 and set(statuses) <= {200, 503}, statuses
    assert acked == set(range(n))
    per_customer = Counter(s.body["to"] for s in graph.sent if s.body["to"] != "254723999999")
    assert len(per_customer) == n and set(per_customer.values()) == {1}, per_customer
    assert _count(url, "SELECT count(*) FROM messages WHERE role = 'user' AND wamid LIKE 'wamid.RESTART%'") == n
    assert _count(url, "SELECT count(*) FROM inbound_jobs WHERE status = 'done'") == n + 1
    assert _count(url, "SELECT count(*) FROM outbox WHERE status = 'sent'") == n + 1
