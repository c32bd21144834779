"""Asset `customer_data_retention` and its nightly schedule: anonymise customers' data older than each shop's
retention period (mtaabot.retention; Kenya DPA 2019 s.39). Self-contained Definitions merged into the main
ones, so the schedule lives next to the asset."""

from datetime import UTC, datetime

import dagster as dg

from orchestration.resources import MtaabotDatabase


@dg.asset(group_name="privacy", kinds={"python", "postgres"},
          description="Anonymises messages, raw payloads (messages, unprocessed webhooks, M-Pesa callbacks), owner "
                      "notices and idle customers' identity older than each shop's retention period (default 24 "
                      "months). Counts stay for analytics; the next dbt build reloads the touched messages.")
def customer_data_retention(context: dg.AssetExecutionContext, database: MtaabotDatabase) -> dg.MaterializeResult:
    from mtaabot.retention import apply_retention

    with database.connect() as conn:
        report = apply_retention(conn, datetime.now(UTC))
        conn.commit()
    changed = {shop: sum(counts.values()) for shop, counts in report.items()}
    context.log.info("retention: %d shop(s) had expired data: %s", len(changed), changed)
    return dg.MaterializeResult(metadata={"shops_changed": len(changed),
                                         "rows_anonymised": sum(changed.values())})


retention_job = dg.define_asset_job("privacy_retention", selection=dg.AssetSelection.assets(
    customer_data_retention), description="Anonymise customers' data older than each shop's retention period.")
retention_nightly = dg.ScheduleDefinition(name="retention_nightly", job=retention_job, cron_schedule="45 2 * * *",
                                          execution_timezone="Africa/Nairobi",
                                          default_status=dg.DefaultScheduleStatus.RUNNING)



@dg.asset(group_name="privacy", kinds={"python", "postgres"},
          description="Completes erasures customers confirmed in the chat (\"futa data yangu\" → NDIO): once the "
                      "confirmation message is out, their WhatsApp address goes too.")
def confirmed_erasures(context: dg.AssetExecutionContext, database: MtaabotDatabase) -> dg.MaterializeResult:
    from mtaabot.privacy import complete_erasures

    with database.connect() as conn:
        completed = complete_erasures(conn)
        conn.commit()
    context.log.info("customer erasures completed: %d", completed)
    return dg.MaterializeResult(metadata={"completed": completed})


erasures_job = dg.define_asset_job("privacy_erasures", selection=dg.AssetSelection.assets(confirmed_erasures),
                                   description="Finish customers' confirmed in-chat erasures.")
erasures_every_10_minutes = dg.ScheduleDefinition(name="erasures_every_10_minutes", job=erasures_job,
                                                  cron_schedule="*/10 * * * *", execution_timezone="Africa/Nairobi",
                                                  default_status=dg.DefaultScheduleStatus.RUNNING)

retention_defs = dg.Definitions(assets=[customer_data_retention, confirmed_erasures],
                                jobs=[retention_job, erasures_job],
                                schedules=[retention_nightly, erasures_every_10_minutes])
