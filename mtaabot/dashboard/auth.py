"""Dashboard sign-in: owners with their business API key, operators with their own account.

Every page asks `business_scope` which business it may show; an owner always gets their own business,
whatever the page or widget asks for, so one shop never sees another's numbers.

Operators sign in with a name and password (`mtaabot operator add`, argon2id hashes in `operator_accounts`);
`MTAABOT_OPERATOR_PASSWORD` only works while no account exists (bootstrap). A session ends (`session_valid` is
False at the next page load) when the owner's API key is rotated or the operator's account is removed.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Literal

import psycopg

from mtaabot.businesses import business_for_api_key, list_businesses
from mtaabot.config import get_settings

Role = Literal["owner", "operator"]


class NotAllowed(PermissionError):
    """The signed-in user may not see the requested business."""


@dataclass(frozen=True)
class DashboardUser:
    """Who is signed in: an owner (bound to one business) or the operator (sees every business)."""

    role: Role
    display_name: str
    business_id: str | None = None
    key_hash: str | None = None  # owners: the hash of the API key they signed in with
    operator_name: str | None = None  # operators: the account name (audited as the actor)

    @property
    def is_operator(self) -> bool:
        return self.role == "operator"


def sign_in_owner(conn: psycopg.Connection, api_key: str) -> DashboardUser | None:
    """The owner of the business this API key belongs to, or None for an unknown key."""
    from mtaabot.businesses import hash_api_key

    business = business_for_api_key(conn, (api_key or "").strip())
    if business is None:
        return None
    return DashboardUser(role="owner", display_name=business["name"], business_id=str(business["id"]),
                         key_hash=hash_api_key((api_key or "").strip()))


def sign_in_operator(password: str, username: str | None = None,
                     conn: psycopg.Connection | None = None) -> DashboardUser | None:
    """An operator: by account (name + password, argon2id), or, while no account exists, by the bootstrap
    MTAABOT_OPERATOR_PASSWORD (constant-time comparison). None when it does not match."""
    from mtaabot import operator_accounts

    if conn is None:
        from mtaabot.db import connection

        with connection() as own:
            return sign_in_operator(password, username, own)
    if (username or "").strip():
        name = operator_accounts.verify(conn, username or "", password)
        conn.commit()  # the sign-in (or the failed attempt) is audited either way
        return DashboardUser(role="operator", display_name=name, operator_name=name) if name else None
    configured = get_settings().operator_password
    if not configured or not password or operator_accounts.accounts_exist(conn):
        return None
    given = hashlib.sha256(password.encode()).digest()
    expected = hashlib.sha256(configured.encode()).digest()
    if not hmac.compare_digest(given, expected):
        return None
    return DashboardUser(role="operator", display_name="Operator", operator_name=operator_accounts.BOOTSTRAP_NAME)


def operator_enabled(conn: psycopg.Connection | None = None) -> bool:
    """Operator sign-in is on when an account exists or the bootstrap password is set."""
    if get_settings().operator_password:
        return True
    from mtaabot import operator_accounts

    if conn is None:
        from mtaabot.db import connection

        with connection() as own:
            return operator_accounts.accounts_exist(own)
    return operator_accounts.accounts_exist(conn)


def session_valid(conn: psycopg.Connection, user: DashboardUser) -> bool:
    """Is this signed-in session still good? Owners: their API key was not rotated since they signed in.
    Operators: their account still exists (bootstrap: still no account)."""
    from mtaabot import operator_accounts

    if user.is_operator:
        return operator_accounts.still_active(conn, user.operator_name or operator_accounts.BOOTSTRAP_NAME)
    row = conn.execute("SELECT mtaabot_api_key FROM api_configs WHERE business_id = %s",
                       (user.business_id,)).fetchone()
    if row is None:
        return False
    if user.key_hash is None:  # a session opened without a key (dashboard sign-up): nothing to compare
        return True
    return bool(row["mtaabot_api_key"] and hmac.compare_digest(row["mtaabot_api_key"], user.key_hash))


def visible_businesses(conn: psycopg.Connection, user: DashboardUser) -> list[dict[str, Any]]:
    """Businesses this user may switch between: all for the operator, only their own for an owner."""
    if user.is_operator:
        return [{"id": str(b["id"]), "name": b["name"]} for b in list_businesses(conn)]
    row = conn.execute("SELECT id, name FROM businesses WHERE id = %s", (user.business_id,)).fetchone()
    return [{"id": str(row["id"]), "name": row["name"]}] if row else []


def business_scope(conn: psycopg.Connection, user: DashboardUser, requested: str | None = None) -> str | None:
    """The business id a page shows. Owners: always their own (asking for another raises NotAllowed).
    Operator: the requested business if it exists, else the first one (None when there are none)."""
    if not user.is_operator:
        if requested is not None and str(requested) != user.business_id:
            raise NotAllowed("owners can only see their own business")
        return user.business_id
    ids = [b["id"] for b in visible_businesses(conn, user)]
    if requested is not None and str(requested) in ids:
        return str(requested)
    return ids[0] if ids else None
