"""Reading the dbt marts for one business (charts and key numbers), tolerant of marts not built yet."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import psycopg
from psycopg import sql

log = logging.getLogger(__name__)

MARTS = (
    "mart_daily_business_activity", "mart_token_usage_daily", "mart_token_usage_monthly",
    "mart_language_mix_daily", "mart_confidence_distribution", "mart_escalation_rate_daily",
    "mart_time_to_human", "mart_billing_status", "mart_revenue_monthly", "mart_low_confidence_replies",
)


@dataclass
class MartData:
    """A mart's rows for one business; `missing` explains why there are none when it was not readable."""

    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    missing: str | None = None

    @property
    def empty(self) -> bool:
        return self.frame.empty


def _direct_read(name: str, business_id: str, since: tuple[str, date] | None, order_by: tuple[str, str] | None,
                 limit: int | None) -> pd.DataFrame:
    """Fallback while `mtaabot.analytics` is absent: the same bound, business-scoped query, with the
    date window, order and limit pushed into SQL so big marts are not read whole."""
    from mtaabot.db import connection

    query = sql.SQL("SELECT * FROM {}.{} WHERE business_id = %s").format(
        sql.Identifier("analytics"), sql.Identifier(name))
    params: list[object] = [business_id]
    if since is not None:
        query += sql.SQL(" AND {} >= %s").format(sql.Identifier(since[0]))
        params.append(since[1])
    if order_by is not None:
        direction = sql.SQL("DESC") if order_by[1].lower() == "desc" else sql.SQL("ASC")
        query += sql.SQL(" ORDER BY {} {} NULLS LAST").format(sql.Identifier(order_by[0]), direction)
    if limit is not None:
        query += sql.SQL(" LIMIT %s")
        params.append(int(limit))
    with connection() as conn:
        cur = conn.execute(query, params)
        rows = cur.fetchall()
        columns = [c.name for c in cur.description or []]
    return pd.DataFrame(rows, columns=columns)


def load_mart(name: str, business_id: str, *, since: tuple[str, date] | None = None,
              order_by: tuple[str, str] | None = None, limit: int | None = None) -> MartData:
    """Rows of `analytics.<name>` for this business only (never all businesses); optionally only rows
    with `since[0] >= since[1]`, ordered by `order_by` = (column, 'asc'|'desc') and at most `limit`."""
    if name not in MARTS:
        raise ValueError(f"unknown mart {name!r}")
    if not business_id:
        raise ValueError("a business is required")
    try:
        try:
            from mtaabot.analytics import read_mart
        except ImportError:
            frame = _direct_read(name, str(business_id), since, order_by, limit)
        else:
            frame = _shape(read_mart(name, business_id=str(business_id)), since, order_by, limit)
    except (psycopg.Error, OSError, RuntimeError, ValueError, LookupError) as exc:
        log.warning("mart %s not readable: %s", name, type(exc).__name__)
        return MartData(missing=f"The analytics table `{name}` is not built yet. "
                                "Run `mtaabot dbt build` (Dagster refreshes it on a schedule).")
    if "business_id" in frame.columns and not frame.empty:
        frame = frame[frame["business_id"].astype(str) == str(business_id)]  # belt and braces
    return MartData(frame=frame.reset_index(drop=True))


def _shape(frame: pd.DataFrame, since: tuple[str, date] | None, order_by: tuple[str, str] | None,
           limit: int | None) -> pd.DataFrame:
    if since is not None and not frame.empty:
        frame = frame[pd.to_datetime(frame[since[0]]).dt.date >= since[1]]
    if order_by is not None and not frame.empty:
        frame = frame.sort_values(order_by[0], ascending=order_by[1].lower() != "desc")
    return frame.head(limit) if limit is not None else frame
