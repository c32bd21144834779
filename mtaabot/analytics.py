"""Read the dbt marts (schema `analytics`) into pandas for dashboards and notebooks.

`read_mart(name, business_id=None, **filters)` only accepts the mart names below and known columns,
and binds every value, so a dashboard can pass user input straight through. With a business_id it
returns that business's rows only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import psycopg
from psycopg import sql

SCHEMA = "analytics"
MARTS: frozenset[str] = frozenset({
    "mart_daily_business_activity",
    "mart_token_usage_daily",
    "mart_token_usage_monthly",
    "mart_language_mix_daily",
    "mart_confidence_distribution",
    "mart_escalation_rate_daily",
    "mart_time_to_human",
    "mart_billing_status",
    "mart_revenue_monthly",
    "mart_low_confidence_replies",
    "mart_language_mix_hourly",
    "mart_tokens_by_language",
    "fct_orders",
    "mart_orders_daily",
    "mart_refresh_log",
})
# Column used for `since=`/`until=` filters and for ordering, per mart.
DATE_COLUMNS = {
    "mart_daily_business_activity": "activity_date", "mart_token_usage_daily": "usage_date",
    "mart_token_usage_monthly": "usage_month", "mart_language_mix_daily": "activity_date",
    "mart_confidence_distribution": "activity_date", "mart_escalation_rate_daily": "activity_date",
    "mart_time_to_human": "escalated_at", "mart_billing_status": None, "mart_revenue_monthly": "revenue_month",
    "mart_low_confidence_replies": "created_at", "mart_language_mix_hourly": "activity_date",
    "mart_tokens_by_language": "usage_date", "fct_orders": "order_date", "mart_orders_daily": "order_date",
    "mart_refresh_log": "data_as_of",
}


class UnknownMart(ValueError):
    """A mart name or filter column that read_mart does not serve."""


class MartsNotBuilt(RuntimeError):
    """The marts have not been built yet in this database."""


def _columns(conn: psycopg.Connection, name: str) -> list[str]:
    rows = conn.execute(
        """SELECT column_name FROM information_schema.columns
           WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position""",
        (SCHEMA, name),
    ).fetchall()
    return [r[0] if isinstance(r, tuple) else r["column_name"] for r in rows]


def read_mart(name: str, business_id: uuid.UUID | str | None = None, *, conn: psycopg.Connection | None = None,
              since: date | datetime | str | None = None, until: date | datetime | str | None = None,
              limit: int | None = None, order_by: str | None = None, columns: list[str] | None = None,
              **filters: Any) -> pd.DataFrame:
    """Rows of one mart as a DataFrame.

    - `business_id`: only that business's rows (always pass it for an owner's view).
    - `since`/`until`: inclusive bounds on the mart's date column.
    - other keyword filters: `column=value` (equality) or `column=[v1, v2]` (any of), on known columns.
    - `order_by`: a column name, `-column` for descending; default the date column.
    - `columns`: only these columns (default all); a wide read of a large mart costs per value.
    - `limit`: at most this many rows (after ordering).
    For platform-wide sums use read_mart_totals, which adds up in the database.
    Uses `conn` when given, else a pooled connection to DATABASE_URL / the embedded server.
    """
    if name not in MARTS:
        raise UnknownMart(f"unknown mart {name!r}; choose one of {', '.join(sorted(MARTS))}")
    if conn is None:
        from mtaabot.db import connection

        with connection() as pooled:
            return read_mart(name, business_id, conn=pooled, since=since, until=until, limit=limit,
                             order_by=order_by, columns=columns, **filters)
    known = _columns(conn, name)
    if not known:
        raise MartsNotBuilt(f"{SCHEMA}.{name} does not exist yet; run `mtaabot dbt build` first")
    where, params = _where(name, known, business_id, since, until, filters)
    date_col = DATE_COLUMNS.get(name)
    for column in columns or ():
        if column not in known:
            raise UnknownMart(f"{name} has no column {column!r}")
    selected = sql.SQL(", ").join(map(sql.Identifier, columns)) if columns else sql.SQL("*")
    query = sql.SQL("SELECT {} FROM {}.{}").format(selected, sql.Identifier(SCHEMA), sql.Identifier(name))
    if where:
        query += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(where)
    order = order_by or date_col
    if order:
        desc = order.startswith("-")
        order = order.lstrip("-")
        if order not in known:
            raise UnknownMart(f"{name} has no column {order!r} to order by")
        query += sql.SQL(" ORDER BY {} " + ("DESC" if desc else "ASC")).format(sql.Identifier(order))
    if limit is not None:
        query += sql.SQL(" LIMIT %s")
        params.append(int(limit))
    return _frame(conn, query, params)


def read_mart_totals(name: str, by: list[str] | tuple[str, ...], sums: list[str] | tuple[str, ...],
                     business_id: uuid.UUID | str | None = None, *, conn: psycopg.Connection | None = None,
                     since: date | datetime | str | None = None, until: date | datetime | str | None = None,
                     **filters: Any) -> pd.DataFrame:
    """Sums of the `sums` columns of one mart per distinct `by` values, added up in the database.

    The same filters as read_mart (business_id, since/until on the date column, column=value). For a
    platform-wide view (every shop) this returns a few hundred rows instead of a row per shop, day, hour
    and language: at 10M messages the hourly language mix alone has ~800K rows, several seconds to load
    into pandas, where its sums per hour and language take a fraction of a second. `by=[]` gives one row
    of grand totals. Sums of integer counts come back as float64 (like read_mart's numbers).
    """
    if name not in MARTS:
        raise UnknownMart(f"unknown mart {name!r}; choose one of {', '.join(sorted(MARTS))}")
    if conn is None:
        from mtaabot.db import connection

        with connection() as pooled:
            return read_mart_totals(name, by, sums, business_id, conn=pooled, since=since, until=until,
                                    **filters)
    columns = _columns(conn, name)
    if not columns:
        raise MartsNotBuilt(f"{SCHEMA}.{name} does not exist yet; run `mtaabot dbt build` first")
    for column in (*by, *sums):
        if column not in columns:
            raise UnknownMart(f"{name} has no column {column!r}")
    if not sums:
        raise UnknownMart("read_mart_totals needs at least one column to sum")
    where, params = _where(name, columns, business_id, since, until, filters)
    keys = [sql.Identifier(c) for c in by]
    totals = [sql.SQL("sum({0}) AS {0}").format(sql.Identifier(c)) for c in sums]
    query = sql.SQL("SELECT {} FROM {}.{}").format(sql.SQL(", ").join([*keys, *totals]), sql.Identifier(SCHEMA),
                                                   sql.Identifier(name))
    if where:
        query += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(where)
    if keys:
        query += sql.SQL(" GROUP BY {0} ORDER BY {0}").format(sql.SQL(", ").join(keys))
    return _frame(conn, query, params)


def _where(name: str, columns: list[str], business_id: uuid.UUID | str | None, since: Any, until: Any,
           filters: dict[str, Any]) -> tuple[list[sql.Composable], list[Any]]:
    """WHERE terms (bound parameters) for read_mart's filters."""
    where: list[sql.Composable] = []
    params: list[Any] = []
    filters = dict(filters)
    if business_id is not None:
        filters["business_id"] = str(uuid.UUID(str(business_id)))
    date_col = DATE_COLUMNS.get(name)
    for bound, op in ((since, ">="), (until, "<=")):
        if bound is not None:
            if date_col is None:
                raise UnknownMart(f"{name} has no date column for since/until")
            where.append(sql.SQL("{} " + op + " %s").format(sql.Identifier(date_col)))
            params.append(bound)
    for column, value in filters.items():
        if column not in columns:
            raise UnknownMart(f"{name} has no column {column!r}")
        if isinstance(value, (list, tuple, set, frozenset)):
            where.append(sql.SQL("{} = ANY(%s)").format(sql.Identifier(column)))
            params.append([str(v) if isinstance(v, uuid.UUID) else v for v in value])
        elif value is None:
            where.append(sql.SQL("{} IS NULL").format(sql.Identifier(column)))
        else:
            where.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
            params.append(str(value) if isinstance(value, uuid.UUID) else value)
    return where, params


def _frame(conn: psycopg.Connection, query: sql.Composable, params: list[Any]) -> pd.DataFrame:
    """Run a mart query into a DataFrame. Numbers (numeric) load as floats and UUIDs as text straight from
    the wire: building a Decimal or UUID object per value and converting it afterwards took most of the
    time of a large read."""
    with conn.cursor(row_factory=psycopg.rows.tuple_row) as cur:
        cur.adapters.register_loader("numeric", psycopg.types.numeric.FloatLoader)
        cur.adapters.register_loader("uuid", psycopg.types.string.TextLoader)
        cur.execute(query, params)
        names = [d.name for d in cur.description or []]
        rows = cur.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=names)
    return _tidy(frame)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers as floats (not Decimal) and UUIDs as strings, so pandas and charts behave."""
    for col in frame.columns:
        if frame[col].dtype == object and len(frame):
            sample = frame[col].dropna()
            first = sample.iloc[0] if len(sample) else None
            if first is None:
                continue
            if isinstance(first, uuid.UUID):
                frame[col] = frame[col].map(lambda v: None if v is None else str(v))
            elif type(first).__name__ == "Decimal":
                frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame


def list_marts() -> list[str]:
    return sorted(MARTS)


def resolve_business_id(id_or_name: str) -> str:
    """A business id from an id or a name (notebook parameters accept either)."""
    from mtaabot.businesses import resolve_business
    from mtaabot.db import connection

    with connection() as conn:
        return str(resolve_business(conn, id_or_name)["id"])


# ---- freshness ------------------------------------------------------------------------------------

NAIROBI = ZoneInfo("Africa/Nairobi")
FRESHNESS_LIMIT = timedelta(minutes=15)  # marts may be at most this far behind the newest message


@dataclass(frozen=True)
class Freshness:
    """How current the marts are. `data_as_of`: start of the last refresh that rebuilt them (every message
    stored before it is in); `newest_message_at`: the newest message since then (None when nothing has
    arrived since, i.e. the marts are current); `lag`: how long the oldest unrefreshed arrival has waited."""

    data_as_of: datetime | None
    newest_message_at: datetime | None
    checked_at: datetime

    @property
    def pending(self) -> bool:
        return self.newest_message_at is not None

    @property
    def lag(self) -> timedelta:
        if self.data_as_of is None or not self.pending:
            return timedelta(0)
        return max(timedelta(0), self.checked_at - self.data_as_of)

    def behind(self, limit: timedelta = FRESHNESS_LIMIT) -> bool:
        """True when messages arrived after the last refresh and it is older than `limit` (or the marts
        were never built while messages exist)."""
        if self.data_as_of is None:
            return self.pending
        return self.pending and self.lag > limit


def data_freshness(conn: psycopg.Connection, now: datetime | None = None) -> Freshness:
    """The marts' freshness: the last refresh (analytics.mart_refresh_log) and whether messages arrived
    after it. Two index probes (the refresh log's data_as_of; messages by (business_id, created_at),
    which PostgreSQL 18 skip-scans), so dashboards and Dagster can ask every minute at any size."""
    checked_at = now or datetime.now(UTC)
    as_of = None
    with conn.cursor(row_factory=psycopg.rows.tuple_row) as cur:
        built = cur.execute("SELECT to_regclass('analytics.mart_refresh_log') IS NOT NULL").fetchone()
        if built and built[0]:
            as_of = cur.execute("SELECT max(data_as_of) FROM analytics.mart_refresh_log").fetchone()[0]
        # (an owner's own chat with the shop is not analysed, but it is rare enough not to matter here)
        if as_of is None:
            newest = cur.execute("SELECT max(created_at) FROM messages").fetchone()[0]
        else:
            newest = cur.execute("SELECT max(created_at) FROM messages WHERE created_at > %s", (as_of,)).fetchone()[0]
    return Freshness(data_as_of=as_of, newest_message_at=newest, checked_at=checked_at)


def data_as_of_text(as_of: datetime | None, today: date | None = None) -> str | None:
    """"HH:MM" in Nairobi time, with the day ("3 Dec HH:MM") when it is not today; None when never built."""
    if as_of is None:
        return None
    local = as_of.astimezone(NAIROBI)
    today = today or datetime.now(NAIROBI).date()
    return local.strftime("%H:%M") if local.date() == today else f"{local.day} {local.strftime('%b %H:%M')}"
