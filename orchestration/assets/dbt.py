"""The dbt models (staging → intermediate → marts) as Dagster assets via dagster-dbt."""

import os

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from mtaabot.dbt_runner import build_args, keep_partial_parse
from orchestration.resources import DBT_PROJECT, MtaabotDatabase


class DbtBuildConfig(dg.Config):
    """How much a run checks (mtaabot.dbt_runner.build_args): the hourly refresh tests the rows it
    loaded and skips dbt's unit tests; `full_checks` tests every row and runs the unit tests."""

    full_checks: bool = False


@dbt_assets(manifest=DBT_PROJECT.manifest_path, project=DBT_PROJECT, name="mtaabot_dbt_models")
def mtaabot_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, database: MtaabotDatabase,
                       config: DbtBuildConfig):
    """`dbt build` (models, seed, data tests; unit tests in the full check) against the MtaaBot database."""
    # The profile reads MTAABOT_DBT_*; DbtCliResource passes this process's environment to dbt.
    args = build_args(config.full_checks)
    env = database.dbt_env(args)
    os.environ.pop("DBT_PARTIAL_PARSE_FILE_PATH", None)  # an earlier run's, for other arguments
    os.environ.update(env)
    invocation = dbt.cli(args, context=context)
    yield from invocation.stream()
    keep_partial_parse(invocation.target_path, env, args)
