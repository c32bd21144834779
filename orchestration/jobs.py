"""Jobs, schedules and the product-change sensor."""

import dagster as dg

from orchestration.assets.billing import billing_reconciliation
from orchestration.assets.dbt import DbtBuildConfig, mtaabot_dbt_models
from orchestration.assets.embeddings import product_embeddings
from orchestration.assets.owners import owner_followups
from orchestration.resources import MtaabotDatabase

TIMEZONE = "Africa/Nairobi"

analytics_job = dg.define_asset_job(
    "analytics_refresh", selection=dg.AssetSelection.assets(mtaabot_dbt_models),
    description="dbt build, incremental: loads new messages, rebuilds the days they touched, tests what it loaded.")
analytics_full_check_job = dg.define_asset_job(
    "analytics_full_check", selection=dg.AssetSelection.assets(mtaabot_dbt_models),
    config=dg.RunConfig(ops={"mtaabot_dbt_models": DbtBuildConfig(full_checks=True)}),
    description="dbt build with every data test over every row, and the unit tests.")
embeddings_job = dg.define_asset_job("embeddings_refresh", selection=dg.AssetSelection.assets(product_embeddings),
                                     description="Re-embed changed products (all of them after a model change).")
billing_job = dg.define_asset_job("billing_reconcile", selection=dg.AssetSelection.assets(billing_reconciliation),
                                  description="Settle stuck M-Pesa payments, expire ended periods.")
owners_job = dg.define_asset_job("owners_digest_and_reminders", selection=dg.AssetSelection.assets(owner_followups),
                                 description="Owners' morning digests and reminders for unanswered hand-overs.")

analytics_hourly = dg.ScheduleDefinition(name="analytics_hourly", job=analytics_job, cron_schedule="5 * * * *",
                                         execution_timezone=TIMEZONE, default_status=dg.DefaultScheduleStatus.RUNNING)
analytics_nightly_checks = dg.ScheduleDefinition(name="analytics_nightly_checks", job=analytics_full_check_job,
                                                 cron_schedule="15 3 * * *", execution_timezone=TIMEZONE,
                                                 default_status=dg.DefaultScheduleStatus.RUNNING)
embeddings_nightly = dg.ScheduleDefinition(name="embeddings_nightly", job=embeddings_job, cron_schedule="30 2 * * *",
                                           execution_timezone=TIMEZONE,
                                           default_status=dg.DefaultScheduleStatus.RUNNING)
billing_every_10_minutes = dg.ScheduleDefinition(name="billing_every_10_minutes", job=billing_job,
                                                 cron_schedule="*/10 * * * *", execution_timezone=TIMEZONE,
                                                 default_status=dg.DefaultScheduleStatus.RUNNING)

owners_every_5_minutes = dg.ScheduleDefinition(name="owners_every_5_minutes", job=owners_job,
                                               cron_schedule="*/5 * * * *", execution_timezone=TIMEZONE,
                                               default_status=dg.DefaultScheduleStatus.RUNNING)


@dg.sensor(job=embeddings_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Requests re-embedding when any product changed (cursor: latest products.updated_at).")
def products_changed(context: dg.SensorEvaluationContext, database: MtaabotDatabase):
    with database.connect() as conn:
        row = conn.execute("SELECT max(updated_at) AS latest, count(*) AS n FROM products").fetchone()
    latest = row["latest"]
    if latest is None:
        return dg.SkipReason("no products yet")
    cursor = f"{latest.isoformat()}|{row['n']}"  # count too, so an insert with an older timestamp is seen
    if context.cursor == cursor:
        return dg.SkipReason(f"no product changed since {latest.isoformat()}")
    context.update_cursor(cursor)
    return dg.RunRequest(run_key=f"products-{cursor}")
