"""Versioned SQL migrations: files `migrations/NNNN_name.sql` applied once each, in order."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

import psycopg
from psycopg.rows import tuple_row

# A fixed advisory-lock key so two processes running `db up` at once apply each file once.
_LOCK_KEY = 7_214_006_001

_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version VARCHAR(100) PRIMARY KEY,
    checksum TEXT NOT NULL,
    applied_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
)
"""


@dataclass(frozen=True)
class Migration:
    version: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def available_migrations() -> list[Migration]:
    folder = resources.files("mtaabot.db") / "migrations"
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".sql"))
    return [Migration(p.name.removesuffix(".sql"), p.read_text(encoding="utf-8")) for p in files]


def applied_versions(conn: psycopg.Connection) -> list[str]:
    cur = conn.cursor(row_factory=tuple_row)
    (exists,) = cur.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone() or (False,)
    if not exists:
        return []
    return [r[0] for r in cur.execute("SELECT version FROM schema_migrations ORDER BY version")]


class MigrationChanged(RuntimeError):
    """A migration that was already applied has been edited since: never edit a committed migration,
    add a new one (CONTRIBUTING.md)."""


class SchemaBehind(RuntimeError):
    """The database has migrations this version of MtaaBot needs but has not applied yet."""


def pending_versions(conn: psycopg.Connection) -> list[str]:
    done = set(applied_versions(conn))
    return [m.version for m in available_migrations() if m.version not in done]


def require_current_schema(conn: psycopg.Connection) -> None:
    """Raise SchemaBehind (naming the command that fixes it) when migrations are pending."""
    pending = pending_versions(conn)
    conn.rollback()  # leave no transaction open behind a read-only check
    if pending:
        shown = ", ".join(pending[:4]) + (" …" if len(pending) > 4 else "")
        raise SchemaBehind(f"the database schema is behind this version of MtaaBot ({len(pending)} migration(s) "
                           f"pending: {shown}); run `mtaabot db up` first")


def migrate(conn: psycopg.Connection) -> list[str]:
    """Apply pending migrations; returns the versions applied now (empty when up to date).

    Raises MigrationChanged when an applied migration's file no longer matches its stored checksum."""
    applied_now: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        conn.execute(_CREATE_TABLE)
        done = set(applied_versions(conn))
        stored = dict(conn.cursor(row_factory=tuple_row).execute("SELECT version, checksum FROM schema_migrations"))
        available = available_migrations()
        edited = [m.version for m in available if m.version in stored and stored[m.version] != m.checksum]
        if edited:
            raise MigrationChanged(f"migration(s) {', '.join(edited)} changed after being applied; restore the "
                                   "original file and put the change in a new migration")
        for migration in available:
            if migration.version in done:
                continue
            conn.execute(migration.sql)  # type: ignore[arg-type]  # trusted file from the package
            conn.execute(
                "INSERT INTO schema_migrations (version, checksum) VALUES (%s, %s)",
                (migration.version, migration.checksum),
            )
            applied_now.append(migration.version)
    return applied_now
