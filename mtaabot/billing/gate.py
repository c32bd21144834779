"""May this business get an AI reply right now? (not suspended by an operator, active plan or trial, and under
the monthly quota). An operator's suspension (`mtaabot.operator`) wins over billing: the reason is then
"suspended" and the customer gets a polite notice; the owner was told when the shop was suspended.

When not allowed, the gate also records the owner's notice as a `notifications` row (kind `billing`,
body = `owner_notice`), at most once a day per business; a caller that stores the same notice again
with the same kind and body de-duplicates against it. Runs in the caller's transaction, never commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from mtaabot.billing.plans import PLANS, format_kes
from mtaabot.billing.status import nairobi_date, sync_business_status
from mtaabot.billing.usage import Usage, current_usage, used_since_sql
from mtaabot.businesses import BusinessNotFound
from mtaabot.config import get_settings

NOTICE_KIND = "billing"
_NOTICE_LOCK = 7_214_006_300  # advisory lock namespace: one billing notice per business per day


@dataclass(frozen=True)
class GateResult:
    allowed: bool
    reason: str | None = None  # "suspended" | "no_active_plan" | "quota_reached"
    customer_message: str | None = None  # hand-over text for the customer when not allowed
    owner_notice: str | None = None  # notification text for the owner when not allowed
    owner_notified: bool = False  # True when this call stored the owner's notification row


def customer_handover_message(shop_name: str) -> str:
    """Short, polite, bilingual: a person from the shop will answer (the catalogue's one hand-over text)."""
    from mtaabot.messages import bilingual

    return bilingual("handover", shop=shop_name)


def suspended_customer_message(shop_name: str) -> str:
    """A suspended shop's customers: kept, told politely, no promise of an automatic answer."""
    return (f"Asante kwa ujumbe wako! {shop_name} haiwezi kujibu hapa kwa sasa; ujumbe wako umehifadhiwa. / "
            f"Thank you for your message! {shop_name} cannot answer here for now; your message has been kept.")


BUDGET_KIND = "ai_budget"
# The start of today in Nairobi (the daily budget's day), as a SQL expression.
_NAIROBI_TODAY = ("(date_trunc('day', CURRENT_TIMESTAMP AT TIME ZONE 'Africa/Nairobi') "
                  "AT TIME ZONE 'Africa/Nairobi')")


def daily_budget(conn: psycopg.Connection, business_id: str) -> int | None:
    """AI replies allowed per Nairobi day: the shop's own cap, else MTAABOT_DAILY_AI_BUDGET, else None (no cap)."""
    own = conn.execute("SELECT daily_ai_budget FROM businesses WHERE id = %s", (business_id,)).fetchone()
    if own and own["daily_ai_budget"]:
        return int(own["daily_ai_budget"])
    budget = get_settings().daily_ai_budget
    return budget if budget and budget > 0 else None


def daily_budget_left(conn: psycopg.Connection, business_id: str) -> int | None:
    budget = daily_budget(conn, business_id)
    if budget is None:
        return None
    used = conn.execute(f"SELECT {used_since_sql('%(b)s', _NAIROBI_TODAY)} AS n", {"b": business_id}).fetchone()["n"]
    return budget - used


def daily_budget_notice(shop_name: str, budget: int, lang: str = "SWA") -> str:
    from mtaabot.owners.alerts import say

    return say("daily_budget", lang, shop=shop_name, budget=f"{budget:,}")


def _prices() -> str:
    return ", ".join(f"{p.name} {format_kes(p.price_kes)}" for p in PLANS.values())


def renewal_notice(shop_name: str, usage: Usage, ended_at: datetime | None, lang: str = "SWA") -> str:
    from mtaabot.owners.alerts import say

    when = say("renewal_when", lang, date=nairobi_date(ended_at)) if ended_at else ""
    return say("renewal", lang, shop=shop_name, when=when, prices=_prices())


def quota_notice(shop_name: str, usage: Usage, lang: str = "SWA") -> str:
    from mtaabot.owners.alerts import say

    plan = usage.entitlement.plan
    assert plan is not None and usage.quota is not None
    until = (nairobi_date(usage.entitlement.period_end) if usage.entitlement.period_end
             else say("period_end", lang))
    return say("quota", lang, shop=shop_name, quota=f"{usage.quota:,}", plan=plan.name,
               monthly=f"{plan.monthly_ai_replies:,}", per=say("per_trial" if plan.code == "trial" else "per_month", lang),
               until=until)


def _owner_lang(conn: psycopg.Connection, business_id: str) -> str:
    """The language the shop's owner last wrote in (notices to the owner follow it)."""
    from mtaabot.owners.alerts import lang_of_owners
    from mtaabot.owners.registry import owner_phones

    return lang_of_owners(conn, business_id, owner_phones(conn, business_id))


def _notify_once_a_day(conn: psycopg.Connection, business_id: str, kind: str, body: str) -> bool:
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, %s))", (f"{business_id}:{kind}", _NOTICE_LOCK))
    recent = conn.execute(
        """SELECT 1 FROM notifications WHERE business_id = %s AND kind = %s
           AND created_at > CURRENT_TIMESTAMP - interval '1 day' LIMIT 1""",
        (business_id, kind),
    ).fetchone()
    if recent:
        return False
    from mtaabot.notifications import notify

    notify(conn, business_id, kind, body)  # dashboard + the owner's WhatsApp
    return True


# Everything the common answer ("allowed") depends on, in one statement: the shop, the paid period that covers
# now (else the trial), the AI replies stored since that period began and, with a daily budget, today's (both
# from the per-hour counters, `usage.used_since_sql`).
# The same rules as current_entitlement / current_usage / daily_budget_left, which the other answers use.
_ALLOWED_NOW = f"""
WITH shop AS (SELECT status, trial_ends_at, suspended_at, daily_ai_budget FROM businesses WHERE id = %(bid)s),
paid AS (SELECT plan_tier, starts_at FROM subscriptions
         WHERE business_id = %(bid)s AND status = 'active' AND is_active
           AND starts_at <= CURRENT_TIMESTAMP AND ends_at > CURRENT_TIMESTAMP
         ORDER BY starts_at DESC LIMIT 1),
period AS (SELECT CASE WHEN EXISTS (SELECT 1 FROM paid) THEN 'paid'
                       WHEN (SELECT trial_ends_at FROM shop) > CURRENT_TIMESTAMP THEN 'trial' ELSE 'none' END AS kind,
                  coalesce((SELECT starts_at FROM paid),
                           CASE WHEN (SELECT trial_ends_at FROM shop) > CURRENT_TIMESTAMP
                                THEN (SELECT trial_ends_at FROM shop) - make_interval(hours => 24 * %(trial_days)s) END)
                      AS since)
SELECT shop.status, shop.suspended_at, period.kind, (SELECT plan_tier FROM paid) AS plan_tier,
       coalesce(nullif(shop.daily_ai_budget, 0), %(budget)s) AS budget,
       {used_since_sql('%(bid)s', 'period.since')} AS used,
       CASE WHEN coalesce(nullif(shop.daily_ai_budget, 0), %(budget)s) IS NOT NULL THEN
           {used_since_sql('%(bid)s', _NAIROBI_TODAY)} END AS used_today
FROM shop, period
"""


def allowed_now_query(business_id: uuid.UUID | str) -> tuple[str, dict[str, Any]]:
    """The one statement behind the gate's common answer, for a caller that pipelines it with its own reads;
    hand its row to `allowed_now_row`."""
    from mtaabot.billing.plans import TRIAL

    budget = get_settings().daily_ai_budget
    return _ALLOWED_NOW, {"bid": str(business_id), "trial_days": TRIAL.period_days,
                          "budget": budget if budget and budget > 0 else None}


def _allowed_now(conn: psycopg.Connection, bid: str) -> bool:
    """True when this business may get an AI reply now and nothing needs recording (the common case), in one
    round trip; False means "ask the full gate" (not allowed, or a status to bring up to date)."""
    query, params = allowed_now_query(bid)
    return allowed_now_row(conn.execute(query, params).fetchone())


def allowed_now_row(row: dict[str, Any] | None) -> bool:
    """`_allowed_now` on the row of `allowed_now_query`."""
    from mtaabot.billing.plans import TRIAL, plan_for_tier

    if row is None or row["suspended_at"] is not None or row["kind"] == "none":
        return False
    if row["status"] != {"paid": "active", "trial": "trial"}[row["kind"]]:
        return False  # the full gate records the new status
    plan = plan_for_tier(row["plan_tier"]) if row["kind"] == "paid" else TRIAL
    if row["used"] >= plan.monthly_ai_replies:
        return False
    return not row["budget"] or row["used_today"] < row["budget"]


def check_ai_allowed(conn: psycopg.Connection, business_id: uuid.UUID | str, *,
                     allowed_now: bool | None = None) -> GateResult:
    """Allowed while a paid period or the trial covers now and fewer AI replies than the quota were
    stored in that period (so with quota N the Nth reply is allowed and the N+1th is not).
    `allowed_now`: `allowed_now_row` of the caller's own read in this transaction (False: the full gate)."""
    bid = str(business_id)
    if allowed_now if allowed_now is not None else _allowed_now(conn, bid):
        return GateResult(allowed=True)
    shop = conn.execute("SELECT name, status, trial_ends_at, suspended_at, suspension_reason FROM businesses "
                        "WHERE id = %s", (bid,)).fetchone()
    if shop is None:
        raise BusinessNotFound(f"no business with id {business_id}")
    if shop["suspended_at"] is not None:  # an operator's suspension wins over any plan (mtaabot.operator)
        from mtaabot.operator import suspension_owner_notice

        return GateResult(allowed=False, reason="suspended", customer_message=suspended_customer_message(shop["name"]),
                          owner_notice=suspension_owner_notice(shop["name"], shop["suspension_reason"] or "suspended",
                                                               _owner_lang(conn, bid)),
                          owner_notified=False)  # told once, when the operator suspended the shop
    usage = current_usage(conn, bid)
    if shop["status"] != usage.entitlement.business_status:
        sync_business_status(conn, bid)  # a period or the trial just ended (or began): record it
    if usage.entitlement.kind != "none" and not usage.quota_reached:
        budget = daily_budget_left(conn, bid)
        if budget is None or budget > 0:
            return GateResult(allowed=True)
        notice = daily_budget_notice(shop["name"], daily_budget(conn, bid) or 0, _owner_lang(conn, bid))
        notified = _notify_once_a_day(conn, bid, BUDGET_KIND, notice)
        return GateResult(allowed=False, reason="daily_budget", customer_message=customer_handover_message(shop["name"]),
                          owner_notice=notice, owner_notified=notified)
    name = shop["name"]
    if usage.entitlement.kind == "none":
        reason = "no_active_plan"
        last_paid = conn.execute(
            """SELECT max(ends_at) AS e FROM subscriptions
               WHERE business_id = %s AND status IN ('active', 'expired') AND paid_at IS NOT NULL""",
            (bid,)).fetchone()["e"]
        ended = max((d for d in (last_paid, shop["trial_ends_at"]) if d), default=None)
        notice = renewal_notice(name, usage, ended, _owner_lang(conn, bid))
    else:
        reason = "quota_reached"
        notice = quota_notice(name, usage, _owner_lang(conn, bid))
    notified = _notify_once_a_day(conn, bid, NOTICE_KIND, notice)
    return GateResult(allowed=False, reason=reason, customer_message=customer_handover_message(name),
                      owner_notice=notice, owner_notified=notified)
