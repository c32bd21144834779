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


def get_pool(url: str | None = None, *, max_size: int = 10, min_size: int = 1) -> ConnectionPool:
    """One pool per database URL per process; opened lazily, checked on checkout. `min_size`: connections
    kept open (a server opens them at start, in the background, so the first requests do not wait while the
    pool grows one connection at a time)."""
    url = url or database_url()
    min_size = max(1, min(min_size, max_size))
    with _lock:
        pool = _pools.get(url)
        if pool is not None and pool.min_size < min_size:
            pool.resize(min_size, max(max_size, pool.max_size))
        if pool is None:
            pool = ConnectionPool(
                url,
                min_size=min_size,
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


@contextmanager
def statement_transaction(conn: psycopg.Connection) -> Iterator[psycopg.Connection]:
    """For ONE statement that is a transaction by itself (a claim, a lookup): on an idle connection it runs in
    autocommit, so no BEGIN and COMMIT go to the server with it (three statements become one); inside an open
    transaction, or on an autocommit connection, it runs where it is."""
    if conn.autocommit or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        yield conn
        return
    conn.autocommit = True
    try:
        yield conn
    finally:
        if not conn.closed:
            conn.autocommit = False


def close_pools() -> None:
    with _lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()
