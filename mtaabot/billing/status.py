"""Which plan covers a business right now (paid period or trial), and keeping `businesses.status`
consistent with it: active while a paid period covers now, trial while the trial runs, else suspended."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from mtaabot.billing.plans import TRIAL, Plan, plan_for_tier
from mtaabot.businesses import BusinessNotFound

NAIROBI = ZoneInfo("Africa/Nairobi")


@dataclass(frozen=True)
class Entitlement:
    """What a business may use now. `kind` is "paid", "trial" or "none" (plan is None then)."""

    kind: str
    plan: Plan | None
    period_start: datetime | None
    period_end: datetime | None
    subscription_id: uuid.UUID | None = None
    paid_until: datetime | None = None  # end of the last paid period, renewals included

    @property
    def business_status(self) -> str:
        return {"paid": "active", "trial": "trial"}.get(self.kind, "suspended")


def _now(conn: psycopg.Connection, now: datetime | None) -> datetime:
    if now is not None:
        return now
    return conn.execute("SELECT CURRENT_TIMESTAMP AS now").fetchone()["now"]


def paid_until(conn: psycopg.Connection, business_id: uuid.UUID | str,
               now: datetime | None = None) -> datetime | None:
    """End of the latest paid period that has not ended yet (None when nothing paid covers now)."""
    row = conn.execute(
        """SELECT max(ends_at) AS ends_at FROM subscriptions
           WHERE business_id = %s AND status = 'active' AND is_active AND ends_at > %s""",
        (str(business_id), _now(conn, now)),
    ).fetchone()
    return row["ends_at"] if row else None


def current_entitlement(conn: psycopg.Connection, business_id: uuid.UUID | str,
                        now: datetime | None = None) -> Entitlement:
    now = _now(conn, now)
    bid = str(business_id)
    paid = conn.execute(
        """SELECT id, plan_tier, starts_at, ends_at FROM subscriptions
           WHERE business_id = %s AND status = 'active' AND is_active AND starts_at <= %s AND ends_at > %s
           ORDER BY starts_at DESC LIMIT 1""",
        (bid, now, now),
    ).fetchone()
    if paid is not None:
        return Entitlement("paid", plan_for_tier(paid["plan_tier"]), paid["starts_at"], paid["ends_at"],
                           paid["id"], paid_until(conn, bid, now))
    business = conn.execute("SELECT trial_ends_at FROM businesses WHERE id = %s", (bid,)).fetchone()
    if business is None:
        raise BusinessNotFound(f"no business with id {business_id}")
    trial_end = business["trial_ends_at"]
    if trial_end is not None and trial_end > now:
        return Entitlement("trial", TRIAL, trial_end - timedelta(days=TRIAL.period_days), trial_end)
    return Entitlement("none", None, None, None)


_SYNC_SQL = """
UPDATE businesses b SET status = s.new_status, updated_at = CURRENT_TIMESTAMP
FROM (
    SELECT x.id, CASE
        WHEN EXISTS (SELECT 1 FROM subscriptions s
                     WHERE s.business_id = x.id AND s.status = 'active' AND s.is_active
                       AND s.starts_at <= %(now)s AND s.ends_at > %(now)s) THEN 'active'
        WHEN x.trial_ends_at > %(now)s THEN 'trial'
        ELSE 'suspended' END AS new_status
    FROM businesses x
    WHERE %(bid)s::uuid IS NULL OR x.id = %(bid)s::uuid
) s
WHERE b.id = s.id AND b.status IS DISTINCT FROM s.new_status
RETURNING b.id, b.status
"""


def expire_ended_subscriptions(conn: psycopg.Connection, business_id: uuid.UUID | str | None = None,
                               now: datetime | None = None) -> int:
    """Paid periods that are over become status 'expired', is_active false. Returns how many."""
    cur = conn.execute(
        """UPDATE subscriptions SET status = 'expired', is_active = false, updated_at = CURRENT_TIMESTAMP
           WHERE status = 'active' AND ends_at <= %s AND (%s::uuid IS NULL OR business_id = %s::uuid)""",
        (_now(conn, now), None if business_id is None else str(business_id),
         None if business_id is None else str(business_id)),
    )
    return cur.rowcount


def sync_business_status(conn: psycopg.Connection, business_id: uuid.UUID | str | None = None,
                         now: datetime | None = None) -> list[dict[str, Any]]:
    """Expire ended periods and set businesses.status from subscriptions and trial (one business, or
    all when business_id is None). Returns the businesses whose status changed."""
    now = _now(conn, now)
    expire_ended_subscriptions(conn, business_id, now)
    return conn.execute(_SYNC_SQL, {"now": now, "bid": None if business_id is None else str(business_id)}
                        ).fetchall()


def nairobi_date(moment: datetime) -> str:
    """`25 Nov 2026` in Nairobi time (what an owner reads)."""
    return moment.astimezone(NAIROBI).strftime("%d %b %Y")
