"""Asset `billing_reconciliation`: settle stuck M-Pesa payments and bring plan statuses up to date."""

import dagster as dg

from mtaabot.billing.payments import reconcile
from orchestration.resources import MtaabotDatabase


@dg.asset(group_name="billing", kinds={"python", "postgres"},
          description="Queries Daraja for payments still pending, expires ended periods and syncs business "
                      "status (mtaabot.billing.payments.reconcile).")
def billing_reconciliation(context: dg.AssetExecutionContext, database: MtaabotDatabase) -> dg.MaterializeResult:
    with database.connect() as conn:
        report = reconcile(conn)
    metadata = {
        "checked": report.checked,
        "activated": report.activated,
        "failed": report.failed,
        "still_pending": report.still_pending,
        "status_changes": len(report.status_changes),
        "errors": len(report.errors),
    }
    if report.errors:
        # Daraja unreachable or misconfigured: fail the run so it shows red in Dagster.
        raise dg.Failure(description=f"{len(report.errors)} payment(s) could not be checked with M-Pesa",
                         metadata={**metadata, "first_error": report.errors[0][:300]})
    return dg.MaterializeResult(metadata=metadata)
