"""Fresh analytics: the new-data sensor requests a refresh only when messages or orders changed (and none
is in flight), a real Dagster refresh makes the marts current, the `marts_fresh` check fails with
severity ERROR when messages wait more than 15 minutes, and the dashboard line says "data as of HH:MM"
in Nairobi time. Dagster's own test utilities (build_sensor_context, an ephemeral instance, materialize)
against the real database and the real dbt."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import psycopg
import pytest

NAIROBI = ZoneInfo("Africa/Nairobi")


@pytest.fixture(scope="module")
def defs(dbt_manifest: Path) -> dg.Definitions:
    from orchestration.definitions import defs

    return defs


def _db(url: str):
    from orchestration.resources import MtaabotDatabase

    return MtaabotDatabase(url=url)


def _new_customer_message(conn: psycopg.Connection, text: str = "Niaje boss, unga iko?") -> None:
    """A customer message arriving now, stored the way the webhook stores it."""
    from mtaabot.conversations import Customer, get_or_create_conversation, store_inbound_message

    business = conn.execute("SELECT id FROM businesses ORDER BY name LIMIT 1").fetchone()["id"]
    conversation = get_or_create_conversation(conn, business, Customer(phone="254712000999"))
    store_inbound_message(conn, business_id=business, conversation_id=conversation["id"], content=text,
                          wamid=f"wamid.fresh{datetime.now().timestamp()}")
    conn.commit()


def test_new_data_sensor_refreshes_only_on_changes_and_never_piles_runs_up(
        defs: dg.Definitions, db_url: str, conn: psycopg.Connection) -> None:
    from mtaabot.devtools.demo import seed_demo
    from mtaabot.devtools.simulate import simulate

    sensor = defs.resolve_sensor_def("analytics_new_data")
    instance = dg.DagsterInstance.ephemeral()
    resources = {"database": _db(db_url)}

    def tick(cursor: str | None = None):
        return sensor.evaluate_tick(dg.build_sensor_context(cursor=cursor, resources=resources, instance=instance))

    empty = tick()
    assert not empty.run_requests and "no messages" in (empty.skip_message or "")

    seed_demo(conn)
    simulate(conn, days=1, messages=60, seed=3)
    first = tick()
    assert len(first.run_requests) == 1 and first.cursor
    assert first.run_requests[0].job_name in (None, "analytics_refresh")
    assert not tick(first.cursor).run_requests  # nothing new: no run

    _new_customer_message(conn)
    second = tick(first.cursor)
    assert len(second.run_requests) == 1 and second.cursor != first.cursor

    # An order paid by M-Pesa (no new message) is new data for fct_orders too.
    order = conn.execute("SELECT id FROM orders WHERE status = 'awaiting_payment' LIMIT 1").fetchone()
    if order is None:
        order = conn.execute("SELECT id FROM orders LIMIT 1").fetchone()
    if order is None:  # the simulator makes orders from ~15% of product questions: a short day can have none
        order = conn.execute(
            """INSERT INTO orders (business_id, number, conversation_id, status)
               SELECT business_id, 1, id, 'awaiting_payment' FROM conversations LIMIT 1 RETURNING id""").fetchone()
        conn.commit()
    conn.execute("UPDATE orders SET status = 'paid', paid_at = now() WHERE id = %s", (order["id"],))
    conn.commit()
    import time

    deadline = time.monotonic() + 25  # a session publishes its table statistics within ~10 s of going idle
    third = tick(second.cursor)
    while not third.run_requests and time.monotonic() < deadline:
        time.sleep(1)
        third = tick(second.cursor)
    assert len(third.run_requests) == 1

    # While a refresh is queued or running, new data waits for the next tick (cursor kept).
    job = defs.resolve_job_def("analytics_refresh")
    instance.create_run_for_job(job_def=job, status=dg.DagsterRunStatus.STARTED)
    _new_customer_message(conn, "Bei ya sukari?")
    waiting = tick(third.cursor)
    assert not waiting.run_requests and "in progress" in (waiting.skip_message or "")
    assert waiting.cursor in (None, third.cursor)


def test_refresh_makes_marts_current_and_the_check_fails_loudly_when_they_fall_behind(
        defs: dg.Definitions, db_url: str, conn: psycopg.Connection) -> None:
    from mtaabot.analytics import data_freshness
    from mtaabot.dashboard.freshness import AsOf, data_as_of
    from mtaabot.devtools.demo import seed_demo
    from mtaabot.devtools.simulate import simulate
    from orchestration.assets.dbt import mtaabot_dbt_models
    from orchestration.assets.freshness import marts_fresh
    from orchestration.resources import dbt_resource

    seed_demo(conn)
    simulate(conn, days=2, messages=400, seed=5)
    never = marts_fresh(database=_db(db_url))
    assert not never.passed and never.severity == dg.AssetCheckSeverity.ERROR  # messages, marts never built

    result = dg.materialize([mtaabot_dbt_models, marts_fresh],
                            resources={"database": _db(db_url), "dbt": dbt_resource()})
    assert result.success
    [check] = [c for c in result.get_asset_check_evaluations() if c.check_name == "marts_fresh"]
    assert check.passed
    log = conn.execute("SELECT data_as_of, messages_loaded FROM analytics.mart_refresh_log").fetchall()
    assert len(log) == 1 and log[0]["messages_loaded"] == 400
    fresh = data_freshness(conn)
    assert fresh.data_as_of == log[0]["data_as_of"] and not fresh.pending

    # The dashboard line under a mart page's title, in Nairobi time; live pages have none.
    shown = fresh.data_as_of.astimezone(NAIROBI).strftime("%H:%M")
    assert data_as_of("overview") == AsOf(time=shown, delayed=False)
    assert data_as_of("products") is None

    # Twenty minutes later with nothing new: still current (a quiet night is not "behind"). Time passes by
    # moving everything that happened 20 minutes into the past.
    conn.execute("UPDATE analytics.mart_refresh_log SET data_as_of = data_as_of - interval '20 minutes'")
    conn.execute("UPDATE messages SET created_at = created_at - interval '20 minutes'")
    conn.commit()
    assert marts_fresh(database=_db(db_url)).passed

    # A customer writes and no refresh follows for 20 minutes: the check fails with severity ERROR.
    _new_customer_message(conn)
    behind = marts_fresh(database=_db(db_url))
    assert not behind.passed and behind.severity == dg.AssetCheckSeverity.ERROR
    assert behind.metadata["lag_minutes"].value >= 19
    assert "behind" in (behind.description or "")

    # The next refresh (incremental) catches up: passes, and the log moves on.
    again = dg.materialize([mtaabot_dbt_models, marts_fresh],
                           resources={"database": _db(db_url), "dbt": dbt_resource()})
    assert again.success
    [check] = [c for c in again.get_asset_check_evaluations() if c.check_name == "marts_fresh"]
    assert check.passed
    newest = conn.execute("SELECT messages_loaded FROM analytics.mart_refresh_log ORDER BY data_as_of DESC "
                          "LIMIT 1").fetchone()
    assert newest["messages_loaded"] >= 1
    assert datetime.now(NAIROBI) - data_freshness(conn).data_as_of < timedelta(minutes=5)
