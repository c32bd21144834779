"""The dbt models (staging → intermediate → marts) as Dagster assets via dagster-dbt."""

import os

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.resources import DBT_PROJECT, MtaabotDatabase


@dbt_assets(manifest=DBT_PROJECT.manifest_path, project=DBT_PROJECT, name="mtaabot_dbt_models")
def mtaabot_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, database: MtaabotDatabase):
    """`dbt build` (models, seeds, data and unit tests) against the MtaaBot database."""
    # The profile reads MTAABOT_DBT_*; DbtCliResource passes this process's environment to dbt.
    os.environ.update(database.dbt_env())
    yield from dbt.cli(["build"], context=context).stream()
