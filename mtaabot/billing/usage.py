"""AI replies used in the current billing period, counted from stored bot messages (author 'ai').

The count is read from `ai_reply_usage` (per shop per UTC hour, kept by triggers on `messages`, migration 0302):
the hours from the one that holds `since` on, less the replies of that first hour stored before `since`. So
it costs at most ~720 counter rows and one hour's replies, whatever the shop's monthly volume, and equals
count(*) of the shop's AI replies at or after `since` exactly."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import psycopg

from mtaabot.billing.status import Entitlement, current_entitlement


def used_since_sql(business: str, since: str) -> str:
    """A SQL expression: the AI replies of `business` stored at or after `since` (both SQL expressions, e.g.
    "%(bid)s" and "period.since"; 0 when `since` is NULL)."""
    first_hour = f"date_trunc('hour', {since}, 'UTC')"
    return (f"(coalesce((SELECT sum(u.replies) FROM ai_reply_usage u WHERE u.business_id = {business}"
            f" AND u.hour >= {first_hour}), 0)"
            f" - (SELECT count(*) FROM messages WHERE business_id = {business} AND role = 'bot' AND author = 'ai'"
            f" AND created_at >= {first_hour} AND created_at < {since}))")


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


_USED_BETWEEN = (f"SELECT greatest({used_since_sql('%(b)s', '%(s)s::timestamptz')}"
                 f" - {used_since_sql('%(b)s', '%(u)s::timestamptz')}, 0) AS n")


def ai_replies_used(conn: psycopg.Connection, business_id: uuid.UUID | str, since: datetime,
                    until: datetime | None = None) -> int:
    """Bot messages written by the engine (author 'ai') for this business in [since, until)."""
    row = conn.execute(_USED_BETWEEN, {"b": str(business_id), "s": since, "u": until}).fetchone()
    return int(row["n"])


def current_usage(conn: psycopg.Connection, business_id: uuid.UUID | str,
                  now: datetime | None = None) -> Usage:
    """Usage in the period that covers now (paid period or trial); 0 used when nothing covers now."""
    ent = current_entitlement(conn, business_id, now)
    used = ai_replies_used(conn, business_id, ent.period_start) if ent.period_start else 0
    return Usage(ent, used)
