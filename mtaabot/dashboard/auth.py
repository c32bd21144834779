"""Dashboard sign-in: owners with their business API key, an operator with a password from the env.

Every page asks `business_scope` which business it may show; an owner always gets their own business,
whatever the page or widget asks for, so one shop never sees another's numbers.
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

    @property
    def is_operator(self) -> bool:
        return self.role == "operator"


def sign_in_owner(conn: psycopg.Connection, api_key: str) -> DashboardUser | None:
    """The owner of the business this API key belongs to, or None for an unknown key."""
    business = business_for_api_key(conn, (api_key or "").strip())
    if business is None:
        return None
    return DashboardUser(role="owner", display_name=business["name"], business_id=str(business["id"]))


def sign_in_operator(password: str) -> DashboardUser | None:
    """The operator, when MTAABOT_OPERATOR_PASSWORD is set and matches (constant-time comparison)."""
    configured = get_settings().operator_password
    if not configured or not password:
        return None
    given = hashlib.sha256(password.encode()).digest()
    expected = hashlib.sha256(configured.encode()).digest()
    if not hmac.compare_digest(given, expected):
        return None
    return DashboardUser(role="operator", display_name="Operator")


def operator_enabled() -> bool:
    return bool(get_settings().operator_password)


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
