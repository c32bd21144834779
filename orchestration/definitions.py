"""The one Dagster `Definitions` for MtaaBot (workspace.yaml → python_module orchestration.definitions)."""

from __future__ import annotations

import dagster as dg

from orchestration.assets import freshness, retention
from orchestration.assets.billing import billing_reconciliation
from orchestration.assets.dbt import mtaabot_dbt_models
from orchestration.assets.embeddings import every_available_product_embedded, product_embeddings
from orchestration.assets.owners import owner_followups
from orchestration.jobs import (
    analytics_full_check_job,
    analytics_hourly,
    analytics_job,
    analytics_nightly_checks,
    billing_every_10_minutes,
    billing_job,
    embeddings_job,
    embeddings_nightly,
    owners_every_5_minutes,
    owners_job,
    products_changed,
)
from orchestration.resources import MtaabotDatabase, dbt_resource

defs = dg.Definitions(
    assets=[product_embeddings, mtaabot_dbt_models, billing_reconciliation, owner_followups],
    asset_checks=[every_available_product_embedded],
    jobs=[analytics_job, analytics_full_check_job, embeddings_job, billing_job, owners_job],
    schedules=[analytics_hourly, analytics_nightly_checks, embeddings_nightly, billing_every_10_minutes,
               owners_every_5_minutes],
    sensors=[products_changed],
    resources={"database": MtaabotDatabase(), "dbt": dbt_resource()},
)
# Merged from their modules (imported as modules: `dagster definitions validate` refuses a module with
# more than one Definitions object at its top level).
defs = dg.Definitions.merge(defs, retention.retention_defs)  # issue 22: nightly retention
defs = dg.Definitions.merge(defs, freshness.freshness_defs)  # issue 24: refresh on new data, marts_fresh check
