"""Dagster resources: the MtaaBot database (DATABASE_URL or the embedded server) and the dbt project."""

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import dagster as dg
import psycopg
from dagster_dbt import DbtCliResource, DbtProject

from mtaabot.dbt_runner import DBT_PROJECT_DIR, dbt_executable

# dagster-dbt looks for `dbt` on PATH (also when `dagster dev` prepares the manifest): use this venv's.
_BIN = str(Path(sys.executable).parent)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")

# The manifest is prepared at build/dev time (`make dbt-parse`, `mtaabot dbt parse`, or `dagster dev`
# through prepare_if_dev), never parsed on every import.
DBT_PROJECT = DbtProject(project_dir=Path(DBT_PROJECT_DIR), profiles_dir=Path(DBT_PROJECT_DIR))
DBT_PROJECT.prepare_if_dev()
if not DBT_PROJECT.manifest_path.exists():  # a fresh clone before any `make run`: parse once, here
    from mtaabot.dbt_runner import ensure_manifest

    ensure_manifest()


class MtaabotDatabase(dg.ConfigurableResource):
    """Connections to MtaaBot's PostgreSQL; `url` defaults to DATABASE_URL or the embedded server."""

    url: str | None = None

    def resolved_url(self) -> str:
        from mtaabot.db import database_url

        return self.url or database_url()

    def connect(self) -> psycopg.Connection:
        from mtaabot.db import connect

        return connect(self.resolved_url())

    def dbt_env(self, args: Sequence[str] = ()) -> dict[str, str]:
        """MTAABOT_DBT_* variables the dbt profile reads (password included; never logged), and the
        saved parse for this connection and these dbt arguments."""
        from mtaabot.dbt_runner import dbt_env

        return dbt_env(self.resolved_url(), args)


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=DBT_PROJECT, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable())
