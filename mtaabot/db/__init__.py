"""Database access: which server (embedded or DATABASE_URL), the pool, and migrations."""

from mtaabot.db.pool import close_pools, connect, connection, get_pool, statement_transaction
from mtaabot.db.server import DatabaseUnavailable, database_url

__all__ = ["DatabaseUnavailable", "close_pools", "connect", "connection", "database_url", "get_pool", "statement_transaction"]
