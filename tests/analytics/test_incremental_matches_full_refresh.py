"""Incremental analytics loads give the same marts as rebuilding everything.

A simulated history over many shops is built once (full), then it changes the ways production changes
it — new messages (some backdated into yesterday), a customer message the engine fills in later, an
erased customer, orders paid, cancelled and placed — and the hourly incremental `mtaabot dbt build`
runs. Every mart must then hold exactly what `mtaabot dbt build --full-refresh` computes from scratch
(bookkeeping columns aside), and the incremental run must have loaded only the changed rows, even with a
writing transaction left open the whole time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from mtaabot.analytics import MARTS
from tests.analytics.conftest import mtaabot_cli
from tests.conftest import create_database, drop_database

BOOKKEEPING = {"dbt_loaded_at", "loaded_at", "loaded_xmin", "loaded_snapshot", "orders_loaded_at"}
# Marts that read the clock (days left, this period's replies): equal when both builds run the same minute;
# the refresh log records each run, so it differs by design.
CLOCK = {"mart_billing_status"}
RUN_LOG = {"mart_refresh_log"}


def _q(url: str, query: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    with psycopg.connect(url, row_factory=dict_row, autocommit=True) as c:
        cur = c.execute(query, params)
        return cur.fetchall() if cur.description else []


def _snapshot(url: str) -> dict[str, list[str]]:
    """Every mart's rows (without bookkeeping columns) as sorted canonical JSON lines."""
    out = {}
    for mart in sorted(MARTS):
        rows = _q(url, f"SELECT * FROM analytics.{mart}")  # noqa: S608 - names from the fixed MARTS set
        canon = []
        for row in rows:
            kept = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in row.items() if k not in BOOKKEEPING}
            canon.append(json.dumps(kept, sort_keys=True, default=str))
        out[mart] = sorted(canon)
    return out


@pytest.fixture(scope="module")
def history(pg_admin_url: str) -> Iterator[str]:
    url = create_database(pg_admin_url)
    # A writing transaction that stays open through every build (a bulk load, a stuck session): it holds
    # the cluster's oldest-xid horizon back, which must not make an incremental load re-read everything
    # written since it began.
    long_open = psycopg.connect(url)
    long_open.execute("SELECT pg_current_xact_id()")
    try:
        sim = mtaabot_cli(url, "demo", "simulate", "--days", "8", "--messages", "5000", "--shops", "40",
                          "--seed", "21")
        assert sim.returncode == 0, sim.stderr
        build = mtaabot_cli(url, "dbt", "build", timeout=600)
        assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-2000:]
        yield url
    finally:
        long_open.close()
        drop_database(pg_admin_url, url)


def test_an_incremental_load_after_changes_equals_a_full_refresh(history: str) -> None:
    url = history
    loaded_before = _q(url, "SELECT count(*) AS n FROM analytics_int.int_messages")[0]["n"]
    # New traffic over the last day (so late arrivals land in yesterday too), on many shops.
    more = mtaabot_cli(url, "demo", "simulate", "--days", "1", "--messages", "700", "--seed", "22")
    assert more.returncode == 0, more.stderr
    # The engine fills in a customer message after it was first loaded.
    [old] = _q(url, "SELECT id, detected_language FROM messages WHERE role = 'user' ORDER BY created_at, id LIMIT 1")
    _q(url, "UPDATE messages SET detected_language = %s, confidence_score = 0.11 WHERE id = %s",
       ("ENG" if old["detected_language"] != "ENG" else "SWA", old["id"]))
    # A customer with low-confidence answers is erased (their text must leave the review mart).
    [victim] = _q(url, """SELECT b.name AS shop, c.customer_phone AS phone, c.id AS conversation_id
                          FROM analytics.mart_low_confidence_replies r JOIN messages m ON m.id = r.message_id
                          JOIN conversations c ON c.id = m.conversation_id JOIN businesses b ON b.id = c.business_id
                          ORDER BY r.created_at LIMIT 1""")
    erased_chat = _q(url, "SELECT count(*) AS n FROM messages WHERE conversation_id = %s",
                     (victim["conversation_id"],))[0]["n"]
    erased = mtaabot_cli(url, "privacy", "erase", "--business", victim["shop"], "--customer", victim["phone"],
                         "--yes")
    assert erased.returncode == 0, erased.stderr
    # Orders change state days after they were placed: one awaiting payment is paid, a paid one cancelled.
    _q(url, """UPDATE orders SET status = 'paid', paid_at = created_at + interval '3 minutes',
                                 paid_amount_kes = total_kes
               WHERE id = (SELECT id FROM orders WHERE status = 'awaiting_payment' ORDER BY created_at, id LIMIT 1)""")
    _q(url, """UPDATE orders SET status = 'cancelled', cancelled_at = now()
               WHERE id = (SELECT id FROM orders WHERE status = 'paid' ORDER BY created_at DESC, id LIMIT 1)""")

    incremental = mtaabot_cli(url, "dbt", "build", timeout=600)
    assert incremental.returncode == 0, incremental.stdout[-4000:] + incremental.stderr[-2000:]
    raw = _q(url, "SELECT count(*) AS n FROM messages")[0]["n"]
    last = _q(url, """SELECT count(*) AS n FROM analytics_int.int_messages
                      WHERE loaded_at = (SELECT max(loaded_at) FROM analytics_int.int_messages)""")[0]["n"]
    assert raw == loaded_before + 700 == _q(url, "SELECT count(*) AS n FROM analytics_int.int_messages")[0]["n"]
    assert 700 <= last <= 700 + 1 + erased_chat  # the new rows, the changed and erased ones; not the history
    # the owner-reply partial index exists once, however many loads ran (its hook creates it only when missing)
    owner_indexes = _q(url, """SELECT count(*) AS n FROM pg_indexes
                                WHERE schemaname = 'analytics_int' AND tablename = 'int_messages'
                                  AND indexdef LIKE '%%WHERE %%owner%%'""")
    assert owner_indexes[0]["n"] == 1
    events = _q(url, """SELECT count(*) AS n FROM analytics_int.int_conversation_events
                         WHERE loaded_at = (SELECT max(loaded_at) FROM analytics_int.int_conversation_events)""")
    assert events[0]["n"] < 400  # new chats, hand-overs and chats that got messages; not every chat
    after_incremental = _snapshot(url)
    chat_days = [f"SELECT business_id, activity_date, conversation_id FROM analytics_int.{t} ORDER BY 3, 2"
                 for t in ("int_chat_days", "int_asking_chat_days")]
    chat_days_incremental = [_q(url, q) for q in chat_days]

    full = mtaabot_cli(url, "dbt", "build", "--full-refresh", timeout=600)
    assert full.returncode == 0, full.stdout[-4000:] + full.stderr[-2000:]
    after_full = _snapshot(url)
    # the chat-days the daily marts count distinct customers from (appended to, never rewritten)
    assert chat_days_incremental == [_q(url, q) for q in chat_days]

    assert set(after_full) == set(MARTS)
    assert len(after_incremental["mart_refresh_log"]) == 2 and len(after_full["mart_refresh_log"]) == 1
    for mart in sorted(MARTS - CLOCK - RUN_LOG):
        assert after_full[mart], f"{mart} is empty"
        missing = set(after_full[mart]) - set(after_incremental[mart])
        extra = set(after_incremental[mart]) - set(after_full[mart])
        assert not missing and not extra, (mart, sorted(missing)[:3], sorted(extra)[:3])
    billing_keys = {"business_id", "plan_tier", "subscription_status", "ai_replies_this_month"}
    assert [{k: v for k, v in json.loads(r).items() if k in billing_keys} for r in after_incremental[
        "mart_billing_status"]] == [{k: v for k, v in json.loads(r).items() if k in billing_keys}
                                    for r in after_full["mart_billing_status"]]
    # the erased customer's words are gone from the review mart in both
    assert any("[erased]" in line for line in after_incremental["mart_low_confidence_replies"])
