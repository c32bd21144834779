"""Run dbt in `dbt_project/` against the configured database (DATABASE_URL or the embedded server).

The profile (`dbt_project/profiles.yml`) reads its connection from `MTAABOT_DBT_*` environment
variables; `dbt_env()` fills them from the database URL so nobody hand-edits a profile. For the
embedded server the host is its socket directory, which dbt-postgres (libpq) accepts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import psycopg

from mtaabot.config import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"


class DbtNotFound(RuntimeError):
    """The dbt executable is not installed next to this Python."""


def connection_env(url: str) -> dict[str, str]:
    """`MTAABOT_DBT_*` variables for the profile, parsed from a libpq URL (socket dirs allowed)."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    host = str(info.get("host") or "localhost")
    return {
        "MTAABOT_DBT_HOST": host,
        "MTAABOT_DBT_PORT": str(info.get("port") or 5432),
        "MTAABOT_DBT_USER": str(info.get("user") or os.environ.get("PGUSER") or "postgres"),
        "MTAABOT_DBT_PASSWORD": str(info.get("password") or ""),
        "MTAABOT_DBT_DBNAME": str(info.get("dbname") or "postgres"),
        "MTAABOT_DBT_SSLMODE": str(info.get("sslmode") or "prefer"),
    }


def dbt_env(url: str | None = None) -> dict[str, str]:
    """The environment a dbt process needs: connection variables plus quiet, offline defaults."""
    if url is None:
        from mtaabot.db import database_url

        url = database_url()
    env = connection_env(url)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return env


def dbt_executable() -> str:
    beside = Path(sys.executable).parent / "dbt"
    if beside.exists():
        return str(beside)
    found = shutil.which("dbt")
    if not found:
        raise DbtNotFound("dbt is not installed in this environment; run `make install`")
    return found


def _with_dirs(args: Sequence[str]) -> list[str]:
    """Point dbt at dbt_project/ for its project and profile unless the caller already did."""
    args = list(args)
    if not args or args[0] in ("--version", "-h", "--help"):
        return args
    extra = []
    if "--project-dir" not in args:
        extra += ["--project-dir", str(DBT_PROJECT_DIR)]
    if "--profiles-dir" not in args:
        extra += ["--profiles-dir", str(DBT_PROJECT_DIR)]
    return [*args, *extra]


def run_target_path() -> Path:
    """A target directory of its own for one dbt invocation, so concurrent runs (webhook hosts, tests,
    Dagster, benchmarks) never overwrite each other's artifacts or the manifest Dagster reads. The last
    few are kept under dbt_project/target/runs/ for inspection."""
    runs = DBT_PROJECT_DIR / "target" / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    old = sorted(runs.iterdir(), key=lambda p: p.stat().st_mtime)[:-KEEP_RUNS]
    for stale in old:
        shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=runs))


KEEP_RUNS = 8


def run_dbt(args: Sequence[str], *, url: str | None = None, capture: bool = False,
            timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run `dbt ARGS…` in dbt_project/ with the connection from DATABASE_URL or the embedded server.

    `parse` writes dbt_project/target/ (the manifest Dagster loads); other commands get their own target
    directory (see run_target_path) unless --target-path or DBT_TARGET_PATH says otherwise. The returned
    object carries it as `.target_path` (run_results.json, compiled SQL).
    """
    env = os.environ | dbt_env(url) | {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    target: Path | None = None
    if args and args[0] not in ("parse", "--version", "-h", "--help") and "--target-path" not in args \
            and not os.environ.get("DBT_TARGET_PATH"):
        target = run_target_path()
        env["DBT_TARGET_PATH"] = str(target)
        env.setdefault("DBT_LOG_PATH", str(target))
    result = subprocess.run([dbt_executable(), *_with_dirs(args)], cwd=DBT_PROJECT_DIR, env=env, text=True,
                            capture_output=capture, timeout=timeout, check=False)
    result.target_path = target or DBT_PROJECT_DIR / "target"  # type: ignore[attr-defined]
    return result


def _newest_source_mtime() -> float:
    newest = 0.0
    for path in DBT_PROJECT_DIR.rglob("*"):
        if path.suffix in (".sql", ".yml", ".yaml", ".csv") and "target" not in path.relative_to(DBT_PROJECT_DIR).parts:
            newest = max(newest, path.stat().st_mtime)
    return newest


def manifest_is_stale() -> bool:
    return not MANIFEST_PATH.exists() or MANIFEST_PATH.stat().st_mtime < _newest_source_mtime()


def ensure_manifest(force: bool = False) -> Path:
    """`dbt parse` when the manifest is missing or older than the project files (build/dev time), so
    Dagster reads a prepared manifest instead of parsing the project on every import."""
    if force or manifest_is_stale():
        # parse never connects, so the profile defaults are enough; no database is started.
        env = os.environ | {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        result = subprocess.run([dbt_executable(), *_with_dirs(["parse", "--quiet"])],
                                cwd=DBT_PROJECT_DIR, env=env, text=True, capture_output=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"dbt parse failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return MANIFEST_PATH
