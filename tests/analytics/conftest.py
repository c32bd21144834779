"""Analytics fixtures: a prepared dbt manifest (as `make` does) and a database with simulated history
built once per module with the real `mtaabot demo simulate` and `mtaabot dbt build`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, create_database, drop_database


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    from mtaabot.dbt_runner import ensure_manifest

    return ensure_manifest()


def mtaabot_cli(url: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "mtaabot"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env=os.environ | {"DATABASE_URL": url})


@pytest.fixture(scope="module")
def built_db(pg_admin_url: str) -> Iterator[dict]:
    """Demo shops + 10 days / 4,000 simulated messages, then `mtaabot dbt build` (all tests)."""
    url = create_database(pg_admin_url)
    try:
        seeded = mtaabot_cli(url, "demo", "seed", "--no-embed")
        assert seeded.returncode == 0, seeded.stderr
        sim = mtaabot_cli(url, "demo", "simulate", "--days", "10", "--messages", "4000", "--seed", "11")
        assert sim.returncode == 0, sim.stderr
        build = mtaabot_cli(url, "dbt", "build")
        assert build.returncode == 0, build.stdout[-5000:] + build.stderr[-2000:]
        yield {"url": url, "simulated": json.loads(sim.stdout), "build_output": build.stdout}
    finally:
        drop_database(pg_admin_url, url)
