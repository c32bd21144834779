"""`mtaabot db up|status|stop`."""

from __future__ import annotations

import click
from psycopg import sql

from mtaabot.cli.common import db_connection, echo_json
from mtaabot.db import database_url
from mtaabot.db.migrate import applied_versions, available_migrations, migrate
from mtaabot.db.server import describe, stop_embedded

_TABLES = ("businesses", "api_configs", "products", "product_embeddings", "conversations", "messages",
           "subscriptions", "notifications")


@click.group("db")
def db() -> None:
    """Start the database and manage its schema."""


@db.command("up")
def up() -> None:
    """Start the embedded PostgreSQL (unless DATABASE_URL is set) and apply migrations."""
    url = database_url()
    with db_connection(require_schema=False) as conn:
        applied = migrate(conn)
        level = applied_versions(conn)[-1]
    click.echo(f"database: {describe(url)}")
    click.echo(f"applied {len(applied)} migration(s); schema at {level}" if applied else f"schema up to date at {level}")


@db.command("status")
def status() -> None:
    """Which database, migration level and row counts (JSON)."""
    url = database_url()
    with db_connection(require_schema=False) as conn:
        applied = applied_versions(conn)
        pending = [m.version for m in available_migrations() if m.version not in set(applied)]
        counts = {}
        for table in _TABLES:
            exists = conn.execute("SELECT to_regclass(%s) IS NOT NULL AS e", (table,)).fetchone()["e"]
            if exists:
                query = sql.SQL("SELECT count(*) AS n FROM {}").format(sql.Identifier(table))
                counts[table] = conn.execute(query).fetchone()["n"]
    echo_json({"database": describe(url), "migration": applied[-1] if applied else None,
               "pending": pending, "rows": counts})


@db.command("stop")
def stop() -> None:
    """Stop the embedded PostgreSQL (no-op with DATABASE_URL)."""
    click.echo("stopped" if stop_embedded() else "embedded server was not running")


COMMANDS = [db]
