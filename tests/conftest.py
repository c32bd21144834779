"""Shared fixtures: one embedded PostgreSQL (pgvector) per test session, a fresh migrated database per test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
import warnings
from collections.abc import Iterator
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
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE_DB)))
    with psycopg.connect(_db(admin, TEMPLATE_DB)) as conn:
        migrate(conn)
    yield admin
    from mtaabot.db import close_pools

    close_pools()
    stop_embedded(home)
    shutil.rmtree(home, ignore_errors=True)


def _db(admin_url: str, name: str) -> str:
    head, _, query = admin_url.partition("?")
    return head.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")


def create_database(admin_url: str) -> str:
    """A new database copied from the migrated template (fast: file-level copy)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name),
                                                                      sql.Identifier(TEMPLATE_DB)))
    return _db(admin_url, name)


def drop_database(admin_url: str, url: str) -> None:
    from mtaabot.db import close_pools

    close_pools()
    name = url.partition("?")[0].rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def db_url(pg_admin_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, migrated database for one test; DATABASE_URL points at it (also for subprocesses)."""
    url = create_database(pg_admin_url)
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    drop_database(pg_admin_url, url)


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
