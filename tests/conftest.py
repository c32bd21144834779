"""Shared fixtures: one embedded PostgreSQL (pgvector) per test session, a fresh migrated database per test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "tests" / "fixtures"
TEMPLATE_DB = "mtaabot_template"


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real PostgreSQL 18 + pgvector started for this test session (embedded pgserver)."""
    from mtaabot.db.migrate import migrate
    from mtaabot.db.server import start_embedded, stop_embedded

    # Not under pytest's tmp dirs: those are 0700 (the server runs as the `pgserver` user) and are
    # pruned by concurrent pytest sessions.
    home = Path(tempfile.mkdtemp(prefix="mtaabot-test-"))
    os.chmod(home, 0o755)
    admin = start_embedded(home)
    with psycopg.connect(admin, autocommit=True) as conn:
        _throwaway_cluster_settings(conn)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE_DB)))
    _wait_for_setting(admin, "fsync", THROWAWAY_SETTINGS["fsync"])
    with psycopg.connect(_db(admin, TEMPLATE_DB)) as conn:
        migrate(conn)
    _makers[admin] = _DatabaseMaker(admin)
    yield admin
    from mtaabot.db import close_pools

    _makers.pop(admin).close()
    close_pools()
    stop_embedded(home)
    shutil.rmtree(home, ignore_errors=True)


# The test cluster is thrown away at the end of the session, so nothing needs to reach the disk: without
# these every test's CREATE/DROP DATABASE and every commit waits on fsync (measured: create+drop of a test
# database 0.30 s -> 0.15 s). What the tests see (transactions, visibility, crash of a backend or a fast
# restart of the server) is unchanged; only an OS crash could lose data, and then the session is lost anyway.
THROWAWAY_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


def _throwaway_cluster_settings(conn: psycopg.Connection, settings: dict[str, str] = THROWAWAY_SETTINGS) -> None:
    for name, value in settings.items():
        conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), sql.Literal(value)))
    conn.execute("SELECT pg_reload_conf()")


def _wait_for_setting(admin_url: str, name: str, value: str) -> None:
    """New connections see `value` (the postmaster re-reads its configuration asynchronously)."""
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with psycopg.connect(admin_url) as conn:
            if conn.execute(sql.SQL("SHOW {}").format(sql.Identifier(name))).fetchone()[0] == value:
                return
        time.sleep(0.05)
    raise AssertionError(f"the test cluster did not take {name} = {value}")


@pytest.fixture
def fsync_on(pg_admin_url: str) -> Iterator[None]:
    """For a test about what reaches the disk: the session's cluster fsyncs as a real one does meanwhile."""
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        _throwaway_cluster_settings(conn, {"fsync": "on"})
    _wait_for_setting(pg_admin_url, "fsync", "on")
    yield
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        _throwaway_cluster_settings(conn, {"fsync": THROWAWAY_SETTINGS["fsync"]})


def _db(admin_url: str, name: str) -> str:
    head, _, query = admin_url.partition("?")
    return head.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")


def _create_now(admin_url: str) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name),
                                                                      sql.Identifier(TEMPLATE_DB)))
    return _db(admin_url, name)


def _drop_now(admin_url: str, url: str) -> None:
    name = url.partition("?")[0].rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


class _DatabaseMaker:
    """Keeps one fresh template copy ready and drops used databases in the background, so a test neither
    waits for its database to be copied nor for the last one to be dropped (both are server-side work that
    overlaps the test; measured ~0.3 s a test). One thread, so creates and drops never race each other."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="test-databases")
        self.ready: Future[str] = self.thread.submit(_create_now, admin_url)

    def take(self) -> str:
        try:
            url = self.ready.result()
        except psycopg.Error:  # the server was unreachable for a moment: make this one now
            url = _create_now(self.admin_url)
        self.ready = self.thread.submit(_create_now, self.admin_url)
        return url

    def drop_later(self, url: str) -> None:
        self.thread.submit(_drop_now, self.admin_url, url)

    def close(self) -> None:
        self.ready.cancel()
        self.thread.shutdown(wait=True)


_makers: dict[str, _DatabaseMaker] = {}


def create_database(admin_url: str) -> str:
    """A new database copied from the migrated template (made ahead in the background when possible)."""
    maker = _makers.get(admin_url)
    return maker.take() if maker is not None else _create_now(admin_url)


def drop_database(admin_url: str, url: str) -> None:
    """Drop a test database now (the caller may rely on it being gone)."""
    from mtaabot.db import close_pools

    close_pools()
    _drop_now(admin_url, url)


def drop_database_later(admin_url: str, url: str) -> None:
    """Drop a test database no one uses any more, without waiting for it (pools to it closed first)."""
    from mtaabot.db import close_pools

    close_pools()
    maker = _makers.get(admin_url)
    if maker is None:
        _drop_now(admin_url, url)
    else:
        maker.drop_later(url)


@pytest.fixture
def db_url(pg_admin_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, migrated database for one test; DATABASE_URL points at it (also for subprocesses)."""
    url = create_database(pg_admin_url)
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    drop_database_later(pg_admin_url, url)


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection]:
    from mtaabot.db import connect

    connection = connect(db_url)
    yield connection
    connection.close()


@pytest.fixture
def run_cli(db_url: str):
    """Run the real `mtaabot` console script in a subprocess against the test database."""

    def _run(*args: str, input: str | None = None, env: dict[str, str] | None = None,
             timeout: float = 300) -> subprocess.CompletedProcess[str]:
        full_env = os.environ | {"DATABASE_URL": db_url} | (env or {})
        exe = Path(sys.executable).parent / "mtaabot"
        return subprocess.run([str(exe), *args], input=input, capture_output=True, text=True,
                              env=full_env, timeout=timeout, cwd=ROOT)

    return _run


# --- Spreading the files over the xdist workers (`make test`: -n 2 --dist loadfile) -------------------------
# tests/file_seconds.json: seconds each file took in a full run (regenerate from a run with
# `--junitxml`; a file not in it counts as DEFAULT_FILE_SECONDS). The longest files are handed out first so no
# worker sits idle at the end while the other runs a long file it picked up late.
FILE_SECONDS = json.loads((ROOT / "tests" / "file_seconds.json").read_text(encoding="utf-8"))
DEFAULT_FILE_SECONDS = 10
# Files that share a session fixture costing tens of seconds (the dashboard's `built` marts) go to one worker
# together, so it is built once and not once on each worker.
FILE_GROUPS = {path: "dashboard-built" for path in (
    "tests/dashboard/test_browser.py", "tests/dashboard/test_language.py", "tests/dashboard/test_mart_pages.py")}


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _scope_seconds(files: list[str]) -> float:
    return sum(FILE_SECONDS.get(f, DEFAULT_FILE_SECONDS) for f in set(files))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under xdist: files (and file groups) in order of how long they take, longest first; the tests inside a
    file keep their order."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    scopes: dict[str, list[str]] = {}
    for item in items:
        path = _file_of(item.nodeid)
        scopes.setdefault(FILE_GROUPS.get(path, path), []).append(path)
    weight = {scope: _scope_seconds(files) for scope, files in scopes.items()}
    first_seen = {scope: i for i, scope in enumerate(scopes)}

    def key(item: pytest.Item) -> tuple[float, int]:
        path = _file_of(item.nodeid)
        scope = FILE_GROUPS.get(path, path)
        return (-weight[scope], first_seen[scope])

    items.sort(key=key)  # stable: the order inside a file is kept


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):  # noqa: ANN201 - xdist's scheduler type
    """`--dist loadfile`, with the grouped files of FILE_GROUPS as one unit."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupedFileScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = _file_of(nodeid)
            return FILE_GROUPS.get(path, path)

    return GroupedFileScheduling(config, log)
