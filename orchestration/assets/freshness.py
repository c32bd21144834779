"""Fresh analytics: a sensor that refreshes the marts when new data arrived, and a check that fails when
they fall more than 15 minutes behind.

- `analytics_new_data` (every 2 minutes): when messages were stored or changed (messages.changed_xid,
  the marker int_messages loads by) or orders changed since its last request, it requests the
  incremental `analytics_refresh` run — unless one is still queued or running. A refresh at 10M
  messages takes well under a minute, so the marts stay a few minutes behind the chats.
- `marts_fresh` (asset check on analytics/mart_refresh_log, run by the refresh itself and every 5
  minutes by `analytics_freshness_every_5_minutes`): fails with severity ERROR, and logs an error, when
  messages arrived after the last completed refresh and that refresh started more than 15 minutes ago.
  A quiet night with no messages is not "behind".
"""

from __future__ import annotations

import dagster as dg

from mtaabot.analytics import FRESHNESS_LIMIT, data_as_of_text, data_freshness
from orchestration.resources import MtaabotDatabase

TIMEZONE = "Africa/Nairobi"
REFRESH_LOG = dg.AssetKey(["analytics", "mart_refresh_log"])
ANALYTICS_JOB = "analytics_refresh"
IN_FLIGHT = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
             dg.DagsterRunStatus.STARTED]


def change_marker(database: MtaabotDatabase) -> str | None:
    """What the marts read has changed when this changes: the newest messages.changed_xid (an index probe)
    and the orders table's insert/update/delete counters (statistics, no scan; a writing session publishes
    them within ~10 s of going idle). None without messages."""
    with database.connect() as conn:
        row = conn.execute(
            """SELECT (SELECT max(changed_xid)::text FROM messages) AS messages,
                      (SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables
                       WHERE relid = to_regclass('orders')) AS orders""").fetchone()
    if row["messages"] is None:
        return None
    return f"{row['messages']}|{row['orders'] or 0}"


@dg.sensor(job_name=ANALYTICS_JOB, minimum_interval_seconds=120, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Runs the incremental analytics refresh when messages or orders changed since the "
                       "last run it requested (and none is in flight), so the marts stay minutes behind.")
def analytics_new_data(context: dg.SensorEvaluationContext, database: MtaabotDatabase):
    marker = change_marker(database)
    if marker is None:
        return dg.SkipReason("no messages yet")
    if marker == context.cursor:
        return dg.SkipReason("nothing new since the last refresh request")
    in_flight = context.instance.get_runs(filters=dg.RunsFilter(job_name=ANALYTICS_JOB, statuses=IN_FLIGHT),
                                          limit=1)
    if in_flight:
        return dg.SkipReason(f"refresh {in_flight[0].run_id} still in progress; new data waits for the next tick")
    context.update_cursor(marker)
    return dg.RunRequest(run_key=f"analytics-{marker}", tags={"mtaabot/trigger": "new-data"})


@dg.asset_check(asset=REFRESH_LOG, name="marts_fresh", blocking=False,
                description="The marts are at most 15 minutes behind the newest message (a refresh that "
                            "started within 15 minutes covers everything stored before it).")
def marts_fresh(database: MtaabotDatabase) -> dg.AssetCheckResult:
    with database.connect() as conn:
        fresh = data_freshness(conn)
    limit_min = int(FRESHNESS_LIMIT.total_seconds() // 60)
    metadata = {
        "data_as_of": dg.MetadataValue.text(fresh.data_as_of.isoformat() if fresh.data_as_of else "never"),
        "newest_message_since": dg.MetadataValue.text(
            fresh.newest_message_at.isoformat() if fresh.newest_message_at else "none"),
        "lag_minutes": dg.MetadataValue.float(round(fresh.lag.total_seconds() / 60, 1)),
        "limit_minutes": dg.MetadataValue.int(limit_min),
    }
    if fresh.behind():
        shown = data_as_of_text(fresh.data_as_of) or "never"
        message = (f"analytics are behind: messages arrived after the last refresh (data as of {shown} Nairobi), "
                   f"{fresh.lag.total_seconds() / 60:.0f} min ago; limit {limit_min} min. Is the "
                   f"analytics_new_data sensor running, or is the refresh failing?")
        dg.get_dagster_logger().error(message)
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.ERROR, metadata=metadata,
                                   description=message)
    return dg.AssetCheckResult(passed=True, metadata=metadata)


freshness_job = dg.define_asset_job("analytics_freshness", selection=dg.AssetSelection.checks(marts_fresh),
                                    description="Check that the marts are at most 15 minutes behind.")
freshness_every_5_minutes = dg.ScheduleDefinition(
    name="analytics_freshness_every_5_minutes", job=freshness_job, cron_schedule="*/5 * * * *",
    execution_timezone=TIMEZONE, default_status=dg.DefaultScheduleStatus.RUNNING)

freshness_defs = dg.Definitions(asset_checks=[marts_fresh], jobs=[freshness_job],
                                schedules=[freshness_every_5_minutes], sensors=[analytics_new_data])
