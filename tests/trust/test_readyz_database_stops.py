"""`/readyz` follows a real PostgreSQL server: 200 while it runs, 503 (database down, /healthz still 200) once
the server process is stopped, and 200 again when it is started back. A second embedded server of its own,
so the suite's shared server keeps running."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import requests

from tests.webhook.conftest import App, wait_until


@pytest.fixture
def own_server() -> Iterator[Path]:
    home = Path(tempfile.mkdtemp(prefix="mtaabot-readyz-"))
    os.chmod(home, 0o755)  # the server runs as the `pgserver` user
    yield home
    from mtaabot.db import close_pools
    from mtaabot.db.server import stop_embedded

    close_pools()
    stop_embedded(home)
    shutil.rmtree(home, ignore_errors=True)


def test_readyz_goes_503_when_the_database_server_stops_and_back_when_it_returns(
        app: App, own_server: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mtaabot.db.migrate import migrate
    from mtaabot.db.server import _with_database, start_embedded, stop_embedded

    admin = start_embedded(own_server)
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute("CREATE DATABASE readyz_db")
    url = _with_database(admin, "readyz_db")
    with psycopg.connect(url) as c:
        migrate(c)
    monkeypatch.setenv("DATABASE_URL", url)  # the app reads it on every request

    ready = requests.get(app.url + "/readyz", timeout=10)
    assert ready.status_code == 200 and ready.json()["database"] == "up"

    assert stop_embedded(own_server)  # the PostgreSQL server process ends
    down = requests.get(app.url + "/readyz", timeout=30)
    assert down.status_code == 503 and down.json()["database"] == "down"
    assert down.json()["reason"].startswith("database unreachable")
    assert requests.get(app.url + "/healthz", timeout=10).status_code == 200  # the process itself is fine

    # back (started by another process, as `mtaabot db up` would): readiness recovers, the webhook never restarted
    started = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                              "from mtaabot.db.server import start_embedded; start_embedded(Path(sys.argv[1]))",
                              str(own_server)], capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    assert wait_until(lambda: requests.get(app.url + "/readyz", timeout=30).status_code == 200, timeout=60), \
        requests.get(app.url + "/readyz", timeout=30).json()
