"""Reading the dbt marts for one business (charts and key numbers), tolerant of marts not built yet."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import psycopg

log = logging.getLogger(__name__)

MARTS = (
    "mart_daily_business_activity", "mart_token_usage_daily", "mart_token_usage_monthly",
    "mart_language_mix_daily", "mart_confidence_distribution", "mart_escalation_rate_daily",
    "mart_time_to_human", "mart_billing_status", "mart_revenue_monthly", "mart_low_confidence_replies",
    "mart_orders_daily",
)


@dataclass
class MartData:
    """A mart's rows for one business; `missing` explains why there are none when it was not readable."""

    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    missing: str | None = None

    @property
    def empty(self) -> bool:
        return self.frame.empty


def load_mart(name: str, business_id: str, *, since: tuple[str, date] | None = None,
              order_by: tuple[str, str] | None = None, limit: int | None = None) -> MartData:
    """Rows of `analytics.<name>` for this business only (never all businesses), through
    `mtaabot.analytics.read_mart`; optionally only rows on/after `since` = (date column, day), ordered
    by `order_by` = (column, 'asc'|'desc') and at most `limit` rows (all pushed into SQL)."""
    from mtaabot.analytics import DATE_COLUMNS, read_mart

    if name not in MARTS:
        raise ValueError(f"unknown mart {name!r}")
    if not business_id:
        raise ValueError("a business is required")
    if since is not None and DATE_COLUMNS.get(name) != since[0]:
        raise ValueError(f"{name} filters by {DATE_COLUMNS.get(name)}, not {since[0]}")
    order = None if order_by is None else ("-" if order_by[1].lower() == "desc" else "") + order_by[0]
    try:
        frame = read_mart(name, business_id=str(business_id), since=since[1] if since else None,
                          order_by=order, limit=limit)
    except (psycopg.Error, OSError, RuntimeError, LookupError) as exc:
        log.warning("mart %s not readable: %s", name, type(exc).__name__)
        return MartData(missing=f"The analytics table `{name}` is not built yet. "
                                "Run `mtaabot dbt build` (Dagster refreshes it on a schedule).")
    if "business_id" in frame.columns and not frame.empty:
        frame = frame[frame["business_id"].astype(str) == str(business_id)]  # belt and braces
    return MartData(frame=frame.reset_index(drop=True))
