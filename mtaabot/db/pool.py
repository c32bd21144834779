"""Connection pool (psycopg 3) shared by a process; pgvector types registered on every connection."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from pgvector.psycopg import register_vector
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from mtaabot.db.server import database_url

_pools: dict[str, ConnectionPool] = {}
_lock = threading.Lock()


def _configure(conn: psycopg.Connection) -> None:
    try:
        register_vector(conn)
    except psycopg.ProgrammingError:
        pass  # extension not created yet (before the first migration)
    conn.commit()


def get_pool(url: str | None = None, *, max_size: int = 10) -> ConnectionPool:
    """One pool per database URL per process; opened lazily, checked on checkout."""
    url = url or database_url()
    with _lock:
        pool = _pools.get(url)
        if pool is None:
            pool = ConnectionPool(
                url,
                min_size=1,
                max_size=max_size,
                kwargs={"row_factory": dict_row},
                configure=_configure,
                check=ConnectionPool.check_connection,
                open=True,
                name="mtaabot",
            )
            _pools[url] = pool
        return pool


@contextmanager
def connection(url: str | None = None) -> Iterator[psycopg.Connection]:
    """A pooled connection; the block runs in a transaction committed on success."""
    with get_pool(url).connection() as conn:
        yield conn


def connect(url: str | None = None, **kwargs) -> psycopg.Connection:
    """A standalone connection (CLI one-shots, migrations) with dict rows and pgvector."""
    conn = psycopg.connect(url or database_url(), row_factory=dict_row, **kwargs)
    _configure(conn)
    return conn


def close_pools() -> None:
    with _lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()
