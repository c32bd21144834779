"""Small helpers shared by CLI modules: JSON output and a migrated database connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
import psycopg

from mtaabot.db import connect
from mtaabot.db.migrate import require_current_schema
from mtaabot.jsonout import dumps


def echo_json(obj: Any) -> None:
    click.echo(dumps(obj))


@contextmanager
def db_connection(*, require_schema: bool = True) -> Iterator[psycopg.Connection]:
    """A connection to the configured database (embedded server started if needed), committed on success.

    Unless `require_schema=False` (the commands that migrate), a database with pending migrations is refused
    with a message that says to run `mtaabot db up`, instead of failing later on a missing column."""
    conn = connect()
    try:
        if require_schema:
            require_current_schema(conn)
        yield conn
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()
