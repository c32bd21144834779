"""One business's billing at a glance: status, plan, period, days left, AI replies used, payments."""

from __future__ import annotations

import math
import uuid
from typing import Any

import psycopg

from mtaabot.billing.payments import list_payments
from mtaabot.billing.status import sync_business_status
from mtaabot.billing.usage import current_usage


def billing_summary(conn: psycopg.Connection, business_id: uuid.UUID | str) -> dict[str, Any]:
    bid = str(business_id)
    sync_business_status(conn, bid)
    usage = current_usage(conn, bid)
    ent = usage.entitlement
    row = conn.execute("SELECT name, status, trial_ends_at, CURRENT_TIMESTAMP AS now FROM businesses WHERE id = %s",
                       (bid,)).fetchone()
    end = ent.paid_until or ent.period_end
    days_left = max(math.ceil((end - row["now"]).total_seconds() / 86400), 0) if end else 0
    return {
        "business_id": bid, "business": row["name"], "status": row["status"],
        "plan": ent.plan.code if ent.plan else None, "plan_kind": ent.kind,
        "period_start": ent.period_start, "period_end": ent.period_end, "paid_until": ent.paid_until,
        "trial_ends_at": row["trial_ends_at"], "days_left": days_left,
        "ai_replies_used": usage.used, "ai_reply_quota": usage.quota, "ai_replies_remaining": usage.remaining,
        "payments": list_payments(conn, bid, limit=10),
    }
