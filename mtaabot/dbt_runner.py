"""Run dbt in `dbt_project/` against the configured database (DATABASE_URL or the embedded server).

The profile (`dbt_project/profiles.yml`) reads its connection from `MTAABOT_DBT_*` environment
variables; `dbt_env()` fills them from the database URL so nobody hand-edits a profile. For the
embedded server the host is its socket directory, which dbt-postgres (libpq) accepts.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path

import psycopg

from mtaabot.config import PROJECT_ROOT, get_settings

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
        "MTAABOT_DBT_USER": str(info.get("user") or get_settings().pguser or "postgres"),
        "MTAABOT_DBT_PASSWORD": str(info.get("password") or ""),
        "MTAABOT_DBT_DBNAME": str(info.get("dbname") or "postgres"),
        "MTAABOT_DBT_SSLMODE": str(info.get("sslmode") or "prefer"),
    }


def dbt_env(url: str | None = None, args: Sequence[str] = ()) -> dict[str, str]:
    """The environment a dbt process needs: connection variables plus quiet, offline defaults, and
    the saved parse of the project for this connection when there is one (see partial_parse_file)."""
    if url is None:
        from mtaabot.db import database_url

        url = database_url()
    env = connection_env(url)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    settings = get_settings()
    if settings.analytics_salt:
        env["MTAABOT_ANALYTICS_SALT"] = settings.analytics_salt
    if settings.dbt_threads:
        env["MTAABOT_DBT_THREADS"] = str(settings.dbt_threads)
    saved = partial_parse_file(env, args)
    if saved.exists():
        env["DBT_PARTIAL_PARSE_FILE_PATH"] = str(saved)
    return env


PARTIAL_PARSE_DIR = DBT_PROJECT_DIR / "target" / "partial_parse"


def partial_parse_file(env: dict[str, str], args: Sequence[str] = ()) -> Path:
    """Where dbt's partial-parse state for one connection is kept between runs.

    Every run writes its artifacts to a target directory of its own (run_target_path), so without this
    each run would find no `partial_parse.msgpack` and parse the whole project again (~3 s). dbt only
    reuses a saved parse made with the same connection settings and `--vars` (both are part of its state
    check), so there is one file per connection and vars; dbt itself re-parses any project file that
    changed since.
    """
    keys = ("MTAABOT_DBT_HOST", "MTAABOT_DBT_PORT", "MTAABOT_DBT_USER", "MTAABOT_DBT_DBNAME", "MTAABOT_DBT_SSLMODE")
    args = list(args)
    cli_vars = args[args.index("--vars") + 1] if "--vars" in args[:-1] else ""
    parts = [env.get(k, "") for k in keys] + [cli_vars]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
    return PARTIAL_PARSE_DIR / f"{digest}.msgpack"


def keep_partial_parse(target_path: Path, env: dict[str, str], args: Sequence[str] = ()) -> None:
    """After a run: keep the parse it wrote (only written when it had to parse) for the next run.
    Atomic replace, so concurrent runs never read a half-written file."""
    written = Path(target_path) / "partial_parse.msgpack"
    if not written.exists():
        return
    PARTIAL_PARSE_DIR.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=PARTIAL_PARSE_DIR, suffix=".tmp")
    os.close(fd)
    shutil.copyfile(written, tmp)
    os.replace(tmp, partial_parse_file(env, args))


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


KEEP_RUNS = 8
"""Finished run directories kept for inspection (the newest ones)."""
KEEP_MINUTES = 60
"""…and any finished in the last hour, whatever their number: its caller may still read run_results.json."""
RUN_LOCK = ".running"
"""Lock file in a run directory, held (flock) while its dbt process runs; a held one is never pruned."""


def _in_use(run_dir: Path) -> bool:
    """True while some process holds the run directory's lock (its dbt run is in progress)."""
    lock = run_dir / RUN_LOCK
    if not lock.exists():
        return False
    try:
        with lock.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    return False


def prune_runs(runs: Path, keep: int = KEEP_RUNS, keep_minutes: float = KEEP_MINUTES) -> list[Path]:
    """Remove old run directories: never one whose run is still going (its lock is held), nor one of the
    newest `keep`, nor one touched in the last `keep_minutes` (a run that just ended: its caller may not
    have read its artifacts yet). A long run (a full build at 10M takes many minutes while the sensor
    starts others) therefore keeps its own directory. Returns what was removed."""
    dirs = []
    for path in runs.iterdir():
        try:
            dirs.append((path.stat().st_mtime, path))
        except FileNotFoundError:  # another process pruned it meanwhile
            continue
    dirs.sort()
    cutoff = time.time() - keep_minutes * 60
    removed = []
    for mtime, path in dirs[:-keep] if keep else dirs:
        if mtime >= cutoff or not path.is_dir() or _in_use(path):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def run_target_path() -> Path:
    """A target directory of its own for one dbt invocation, so concurrent runs (webhook hosts, tests,
    Dagster, benchmarks) never overwrite each other's artifacts or the manifest Dagster reads. Old ones
    under dbt_project/target/runs/ are pruned (prune_runs: never one in use or recent); the caller holds
    the new one's lock (hold_run) while its dbt process runs."""
    runs = DBT_PROJECT_DIR / "target" / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    prune_runs(runs)
    return Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=runs))


@contextmanager
def hold_run(run_dir: Path) -> Iterator[None]:
    """Hold `run_dir`'s lock for the duration of a dbt run, so prune_runs leaves it alone."""
    with (Path(run_dir) / RUN_LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_dbt(args: Sequence[str], *, url: str | None = None, capture: bool = False,
            timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run `dbt ARGS…` in dbt_project/ with the connection from DATABASE_URL or the embedded server.

    `parse` writes dbt_project/target/ (the manifest Dagster loads); other commands get their own target
    directory (see run_target_path) unless --target-path or DBT_TARGET_PATH says otherwise. The returned
    object carries it as `.target_path` (run_results.json, compiled SQL).
    """
    connection = dbt_env(url, args)
    env = os.environ | connection | {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    target: Path | None = None
    if args and args[0] not in ("parse", "--version", "-h", "--help") and "--target-path" not in args \
            and not get_settings().dbt_target_path:
        target = run_target_path()
        env["DBT_TARGET_PATH"] = str(target)
        env.setdefault("DBT_LOG_PATH", str(target))
    with hold_run(target) if target is not None else nullcontext():
        result = subprocess.run([dbt_executable(), *_with_dirs(args)], cwd=DBT_PROJECT_DIR, env=env, text=True,
                                capture_output=capture, timeout=timeout, check=False)
    result.target_path = target or DBT_PROJECT_DIR / "target"  # type: ignore[attr-defined]
    keep_partial_parse(result.target_path, connection, args)  # type: ignore[attr-defined]
    return result


def build_args(full_checks: bool = False) -> list[str]:
    """`dbt build` as the scheduled refreshes run it. The hourly one tests the rows it loaded (see
    dbt_project/macros/test_scope.sql) and skips dbt's unit tests, whose inputs are fixed, so they only
    change with the code (dbt's own advice: run them in development and CI). `full_checks` runs every
    data test over every row, and the unit tests."""
    if full_checks:
        return ["build", "--vars", json.dumps({"data_test_scope": "all"})]
    return ["build", "--exclude-resource-type", "unit_test"]


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
