"""The "data as of HH:MM" line under a dashboard page title: when the analytics marts were last refreshed
(Africa/Nairobi), for the pages whose numbers come from the marts. Streamlit-free (app/ui.py words it from
the catalogue, keys `freshness.*`); cached for 30 s per database, so a page render costs at most two index
probes (see mtaabot.analytics.data_freshness)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from mtaabot.analytics import data_as_of_text, data_freshness

# Pages whose charts and numbers come from the dbt marts (products and billing are read live).
MART_PAGES = frozenset({"overview", "conversations", "languages", "usage", "orders"})
_TTL_S = 30.0


@dataclass(frozen=True)
class AsOf:
    time: str | None  # "14:05" (today) or "3 Dec 14:05", Nairobi; None when the marts were never built
    delayed: bool  # messages have waited more than 15 minutes for a refresh


_cache: dict[str, tuple[float, AsOf]] = {}


def data_as_of(page: str) -> AsOf | None:
    """How current the numbers on `page` are; None for a page that reads live data."""
    if page not in MART_PAGES:
        return None
    from mtaabot.db import connection, database_url

    key = database_url()
    hit = _cache.get(key)
    if hit and time.monotonic() - hit[0] < _TTL_S:
        return hit[1]
    with connection() as conn:
        fresh = data_freshness(conn)
    result = AsOf(time=data_as_of_text(fresh.data_as_of), delayed=fresh.behind())
    _cache[key] = (time.monotonic(), result)
    return result
