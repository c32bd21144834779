"""AI replies used in the current billing period, counted from stored bot messages (author 'ai')."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import psycopg

from mtaabot.billing.status import Entitlement, current_entitlement


@dataclass(frozen=True)
class Usage:
    entitlement: Entitlement
    used: int

    @property
    def quota(self) -> int | None:
        plan = self.entitlement.plan
        return plan.monthly_ai_replies if plan else None

    @property
    def remaining(self) -> int:
        return max((self.quota or 0) - self.used, 0)

    @property
    def quota_reached(self) -> bool:
        return self.quota is not None and self.used >= self.quota


def ai_replies_used(conn: psycopg.Connection, business_id: uuid.UUID | str, since: datetime,
                    until: datetime | None = None) -> int:
    """Bot messages written by the engine (author 'ai') for this business in [since, until)."""
    row = conn.execute(
        """SELECT count(*) AS n FROM messages
           WHERE business_id = %s AND role = 'bot' AND author = 'ai' AND created_at >= %s
             AND (%s::timestamptz IS NULL OR created_at < %s::timestamptz)""",
        (str(business_id), since, until, until),
    ).fetchone()
    return int(row["n"])


def current_usage(conn: psycopg.Connection, business_id: uuid.UUID | str,
                  now: datetime | None = None) -> Usage:
    """Usage in the period that covers now (paid period or trial); 0 used when nothing covers now."""
    ent = current_entitlement(conn, business_id, now)
    used = ai_replies_used(conn, business_id, ent.period_start) if ent.period_start else 0
    return Usage(ent, used)
