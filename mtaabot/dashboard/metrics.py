"""Key numbers and chart tables computed from mart rows (pandas), plus the one live count they need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import psycopg

NAIROBI = ZoneInfo("Africa/Nairobi")
WINDOWS = {"today": 1, "last_7": 7, "last_30": 30}
QUOTA_WARN = 0.8


def today_nairobi() -> date:
    return datetime.now(NAIROBI).date()


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_datetime(frame[column]).dt.date


@dataclass(frozen=True)
class ActivityWindow:
    messages: int
    messages_in: int
    replies: int
    escalations: int
    reply_rate: float | None
    customers: int


def activity_windows(frame: pd.DataFrame, customers: dict[str, int], today: date) -> dict[str, ActivityWindow]:
    """Messages, replies, escalations and reply rate for today / 7 / 30 days from the daily mart."""
    out = {}
    dates = _dates(frame, "activity_date") if not frame.empty else pd.Series(dtype=object)
    for key, days in WINDOWS.items():
        start = today - timedelta(days=days - 1)
        part = frame[(dates >= start) & (dates <= today)] if not frame.empty else frame
        msg_in = int(part["messages_in"].sum()) if not part.empty else 0
        msg_out = int(part["messages_out"].sum()) if not part.empty else 0
        replies = int(part["ai_replies"].sum() + part["owner_replies"].sum()) if not part.empty else 0
        esc = int(part["escalations"].sum()) if not part.empty else 0
        rate = None
        if msg_in:
            weighted = (part["reply_rate"].astype(float).fillna(0) * part["messages_in"]).sum()
            rate = float(weighted / msg_in)
        out[key] = ActivityWindow(messages=msg_in + msg_out, messages_in=msg_in, replies=replies,
                                  escalations=esc, reply_rate=rate, customers=customers.get(key, 0))
    return out


def customer_counts(conn: psycopg.Connection, business_id: str, today: date) -> dict[str, int]:
    """Distinct customers who wrote in each window. A customer wrote in a window exactly when their
    last message (conversations.last_customer_message_at) falls in it, so this reads conversations
    through an index instead of scanning messages."""
    start = datetime.combine(today - timedelta(days=29), datetime.min.time(), tzinfo=NAIROBI)
    t7 = datetime.combine(today - timedelta(days=6), datetime.min.time(), tzinfo=NAIROBI)
    t1 = datetime.combine(today, datetime.min.time(), tzinfo=NAIROBI)
    row = conn.execute(
        """SELECT count(*) FILTER (WHERE last_customer_message_at >= %(t1)s) AS today,
                  count(*) FILTER (WHERE last_customer_message_at >= %(t7)s) AS last_7,
                  count(*) AS last_30
           FROM conversations
           WHERE business_id = %(bid)s AND last_customer_message_at >= %(start)s""",
        {"bid": business_id, "start": start, "t7": t7, "t1": t1},
    ).fetchone()
    return {k: int(row[k] or 0) for k in WINDOWS}


def activity_trend(frame: pd.DataFrame, today: date, days: int = 30) -> pd.DataFrame:
    """Daily messages in/out for the chart, one row per day (missing days as zero)."""
    index = pd.date_range(today - timedelta(days=days - 1), today, freq="D")
    if frame.empty:
        return pd.DataFrame({"messages_in": 0, "messages_out": 0}, index=index)
    daily = frame.assign(day=pd.to_datetime(frame["activity_date"])).groupby("day")[
        ["messages_in", "messages_out"]].sum()
    return daily.reindex(index, fill_value=0).rename(
        columns={"messages_in": "From customers · Kutoka kwa wateja", "messages_out": "Sent · Zilizotumwa"})


def language_mix(frame: pd.DataFrame, today: date, days: int = 30) -> pd.DataFrame:
    """Messages per day per language for the last `days` days (missing days as zero), indexed by
    ISO date strings so a bar chart draws one bar per day."""
    if frame.empty:
        return pd.DataFrame()
    pivot = frame.assign(day=pd.to_datetime(frame["activity_date"])).pivot_table(
        index="day", columns="detected_language", values="messages", aggfunc="sum", fill_value=0)
    index = pd.date_range(today - timedelta(days=days - 1), today, freq="D")
    pivot = pivot.reindex(index, fill_value=0)
    pivot.index = pivot.index.strftime("%Y-%m-%d")
    return pivot


def top_language(frame: pd.DataFrame) -> tuple[str, float] | None:
    if frame.empty or frame["messages"].sum() == 0:
        return None
    totals = frame.groupby("detected_language")["messages"].sum()
    lang = str(totals.idxmax())
    return lang, float(totals.max() / totals.sum())


def confidence_histogram(frame: pd.DataFrame) -> pd.DataFrame:
    """Bot replies per confidence bucket (ordered by the bucket's lower bound)."""
    if frame.empty:
        return pd.DataFrame()
    hist = frame.groupby(["bucket_lower", "confidence_bucket"], as_index=False)[
        ["replies", "escalated_replies"]].sum().sort_values("bucket_lower")
    return hist.set_index("confidence_bucket")[["replies", "escalated_replies"]].rename(
        columns={"replies": "Replies · Majibu", "escalated_replies": "Escalated · Zilizopelekwa"})


def mean_confidence(frame: pd.DataFrame) -> float | None:
    """Reply-weighted mean of the buckets' lower bounds plus half a bucket (an estimate)."""
    if frame.empty or frame["replies"].sum() == 0:
        return None
    lowers = sorted(frame["bucket_lower"].astype(float).unique())
    width = (lowers[1] - lowers[0]) if len(lowers) > 1 else 0.1
    mids = frame["bucket_lower"].astype(float) + width / 2
    return float(min(1.0, (mids * frame["replies"]).sum() / frame["replies"].sum()))


def median_minutes_to_human(frame: pd.DataFrame) -> float | None:
    """Median minutes from hand-over to the owner's first reply (answered hand-overs only)."""
    if frame.empty:
        return None
    answered = frame["minutes_to_human"].dropna().astype(float)
    return float(answered.median()) if len(answered) else None


@dataclass(frozen=True)
class QuotaState:
    ai_replies: int
    quota: int | None
    used: float | None  # 0..1+
    tokens: int
    plan: str | None

    @property
    def level(self) -> str:
        """ok | warn (≥ 80 %) | over (≥ 100 %) | unknown."""
        if self.used is None:
            return "unknown"
        if self.used >= 1:
            return "over"
        return "warn" if self.used >= QUOTA_WARN else "ok"


def quota_state(monthly: pd.DataFrame, billing: pd.DataFrame, today: date) -> QuotaState:
    """This month's AI replies against the plan's quota: mart_token_usage_monthly for the month's row,
    mart_billing_status for the plan and quota when the month has no usage yet."""
    plan = quota = None
    replies = tokens = 0
    if not billing.empty:
        b = billing.iloc[0]
        plan = b.get("plan_tier")
        quota = int(b["monthly_reply_quota"]) if pd.notna(b.get("monthly_reply_quota")) else None
        replies = int(b["ai_replies_this_month"]) if pd.notna(b.get("ai_replies_this_month")) else 0
    if not monthly.empty:
        months = pd.to_datetime(monthly["usage_month"])
        row = monthly[(months.dt.year == today.year) & (months.dt.month == today.month)]
        if not row.empty:
            r = row.iloc[0]
            replies = int(r["ai_replies"]) if pd.notna(r["ai_replies"]) else replies
            tokens = int(r["tokens_total"]) if pd.notna(r["tokens_total"]) else 0
            if pd.notna(r.get("reply_quota")):
                quota = int(r["reply_quota"])
            plan = r.get("plan_tier") or plan
    used = (replies / quota) if quota else None
    return QuotaState(replies, quota, used, tokens, plan)
