"""dbt run directories: pruning old ones never removes the directory of a run still in progress (a long
full build while other runs start) nor one that just finished (its caller still reads run_results.json)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from mtaabot.dbt_runner import KEEP_RUNS, prune_runs

HOLDER = """
import sys, time
from pathlib import Path
from mtaabot.dbt_runner import hold_run
with hold_run(Path(sys.argv[1])):
    print("holding", flush=True)
    time.sleep(60)
"""


def _run_dir(runs: Path, name: str, age_minutes: float) -> Path:
    path = runs / name
    path.mkdir()
    (path / "run_results.json").write_text("{}")
    then = time.time() - age_minutes * 60
    os.utime(path, (then, then))
    return path


def test_pruning_keeps_a_long_run_in_progress_and_recent_runs(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    # the oldest directory belongs to a full build that started 3 hours ago and is still running
    long_run = _run_dir(runs, "long", age_minutes=180)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(long_run)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        os.utime(long_run, (time.time() - 180 * 60,) * 2)
        finished_old = [_run_dir(runs, f"old{i}", age_minutes=120 - i) for i in range(KEEP_RUNS + 4)]
        just_finished = [_run_dir(runs, f"new{i}", age_minutes=5) for i in range(KEEP_RUNS + 2)]

        removed = set(prune_runs(runs))

        assert long_run.exists() and (long_run / "run_results.json").exists()
        assert all(p.exists() for p in just_finished), "a run that ended minutes ago lost its artifacts"
        assert removed == set(finished_old), "old finished runs beyond the newest few are pruned"
    finally:
        holder.kill()
        holder.wait()
    # once that run has ended and is old, it goes like any other
    os.utime(long_run, (time.time() - 180 * 60,) * 2)
    assert long_run in prune_runs(runs)
