"""Operator accounts: one per person who runs MtaaBot, password hashed with argon2id (`argon2-cffi`).

Operators sign in to the dashboard with their own name and password, so every suspension or reactivation they
make there is recorded under their name. `MTAABOT_OPERATOR_PASSWORD` (the old shared password) is only a
bootstrap: it signs in as `operator (bootstrap)` while no account exists, and stops working as soon as the first
account is added (`mtaabot operator add NAME`). Adding, removing and signing in are audited (names only).
Nothing here commits, except where a function says so.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from mtaabot.operator import OperatorError

MIN_PASSWORD_LENGTH = 12
BOOTSTRAP_NAME = "operator (bootstrap)"
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,59}")
_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH = _HASHER.hash("not-a-real-password-only-for-timing")


class OperatorAccountError(OperatorError):
    """An account request that cannot be done as asked (bad name, short password, unknown operator)."""


def clean_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not _NAME.fullmatch(name):
        raise OperatorAccountError(f"{username!r} is not a valid operator name: 2-60 characters, lowercase letters, "
                                   "digits, '.', '_' or '-', starting with a letter or digit")
    return name


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise OperatorAccountError(f"an operator password needs at least {MIN_PASSWORD_LENGTH} characters")
    return password


def accounts_exist(conn: psycopg.Connection) -> bool:
    return conn.execute("SELECT 1 FROM operator_accounts WHERE disabled_at IS NULL LIMIT 1").fetchone() is not None


def add_operator(conn: psycopg.Connection, username: str, password: str, *, actor: str | None = None
                 ) -> dict[str, Any]:
    """A new operator account (argon2id hash of the password); audited. Raises OperatorAccountError."""
    from mtaabot.operator import audit, current_operator

    name = clean_username(username)
    check_password(password)
    who = (actor or current_operator())[:100]
    row = conn.execute(
        """INSERT INTO operator_accounts (username, password_hash, created_by) VALUES (%s, %s, %s)
           ON CONFLICT (username) DO NOTHING RETURNING id, username, created_by, created_at""",
        (name, _HASHER.hash(password), who)).fetchone()
    if row is None:
        raise OperatorAccountError(f"an operator named {name} already exists (remove it first to replace it)")
    audit(conn, "operator_add", subject=name, actor=who)
    return row


def list_operators(conn: psycopg.Connection) -> list[dict[str, Any]]:
    return conn.execute(
        """SELECT username, created_by, created_at, last_login_at FROM operator_accounts
           WHERE disabled_at IS NULL ORDER BY username""").fetchall()


def remove_operator(conn: psycopg.Connection, username: str, *, actor: str | None = None) -> dict[str, Any]:
    """Delete an account (their dashboard session ends at its next page load); audited."""
    from mtaabot.operator import audit

    name = clean_username(username)
    row = conn.execute("DELETE FROM operator_accounts WHERE username = %s RETURNING username",
                       (name,)).fetchone()
    if row is None:
        raise OperatorAccountError(f"no operator named {name}")
    audit(conn, "operator_remove", subject=name, actor=actor)
    return row


def verify(conn: psycopg.Connection, username: str, password: str) -> str | None:
    """The operator's name when the password matches their account, else None (same work either way, so the
    answer time does not tell whether the name exists). Records the sign-in (or the failed attempt)."""
    from mtaabot.operator import audit

    try:
        name = clean_username(username)
    except OperatorAccountError:
        name = None
    row = conn.execute("SELECT id, password_hash FROM operator_accounts WHERE username = %s AND disabled_at IS NULL",
                       (name,)).fetchone() if name else None
    try:
        _HASHER.verify(row["password_hash"] if row else _DUMMY_HASH, password or "")
        ok = row is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok:
        if name:
            audit(conn, "operator_login_failed", subject=name, actor=name)
        return None
    if _HASHER.check_needs_rehash(row["password_hash"]):
        conn.execute("UPDATE operator_accounts SET password_hash = %s WHERE id = %s",
                     (_HASHER.hash(password), row["id"]))
    conn.execute("UPDATE operator_accounts SET last_login_at = CURRENT_TIMESTAMP WHERE id = %s", (row["id"],))
    audit(conn, "operator_login", subject=name, actor=name)
    return name


def still_active(conn: psycopg.Connection, username: str) -> bool:
    """An operator session stays valid while the account exists (bootstrap: while no account exists)."""
    if username == BOOTSTRAP_NAME:
        return not accounts_exist(conn)
    return conn.execute("SELECT 1 FROM operator_accounts WHERE username = %s AND disabled_at IS NULL",
                        (username,)).fetchone() is not None
