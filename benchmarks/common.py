"""Helpers shared by the benchmark scripts: machine description, percentiles, JSON result files."""

from __future__ import annotations

import json
import os
import platform
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def cores() -> int:
    """CPU cores this process may use (cgroup/affinity aware where the OS tells us)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - non-Linux
        return os.cpu_count() or 1


def machine() -> dict[str, Any]:
    mem_gb = None
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        mem_gb = round(pages * size / 2**30, 1)
    except (ValueError, OSError, AttributeError):  # pragma: no cover
        pass
    return {"cores": cores(), "memory_gb": mem_gb, "cpu": platform.processor() or platform.machine(),
            "python": platform.python_version()}


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds a process has used (all its threads), from /proc; 0 when it is not readable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty list."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(round(pct / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def summary_ms(values: list[float]) -> dict[str, float]:
    """p50 / p95 / p99 / max of millisecond timings, rounded for reading."""
    return {"n": len(values), "p50_ms": round(statistics.median(values), 2),
            "p95_ms": round(percentile(values, 95), 2), "p99_ms": round(percentile(values, 99), 2),
            "max_ms": round(max(values), 2)}


def write_json(path: str | Path | None, result: dict[str, Any]) -> None:
    """Write a benchmark's result dict (with the machine it ran on) to `path` when given."""
    if not path:
        return
    result = {"machine": machine()} | result
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(result, indent=2, default=str) + "\n")


@contextmanager
def scratch_database(name: str) -> Iterator[str]:
    """A fresh, migrated database `name` on the configured server (DATABASE_URL or the embedded one), dropped
    afterwards: a benchmark never leaves rows in the real database, whatever tables later features add."""
    import psycopg
    from psycopg import sql

    from mtaabot.db import close_pools, connect, database_url
    from mtaabot.db.migrate import migrate

    head, _, query = database_url().partition("?")
    admin = head.rsplit("/", 1)[0] + "/postgres" + (f"?{query}" if query else "")
    url = head.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        with connect(url) as conn:
            migrate(conn)
        yield url
    finally:
        close_pools()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# The baseline every speed figure is a ratio to: the plain library, default settings (default torch threads),
# in its own process, on exactly the texts the project path handles.
_PLAIN = """
import json, sys, time
import torch
from sentence_transformers import SentenceTransformer
texts = json.load(open(sys.argv[2]))
model = SentenceTransformer(sys.argv[1], device="cpu", local_files_only=True)
model.encode(texts[:64], batch_size=64, show_progress_bar=False)
start = time.perf_counter()
model.encode(texts, batch_size=64, show_progress_bar=False)
print(json.dumps({"seconds": time.perf_counter() - start, "threads": torch.get_num_threads()}))
"""


def plain_encode_baseline(texts: list[str]) -> dict[str, Any]:
    """`SentenceTransformer(model).encode(texts, batch_size=64)` in a fresh process: seconds, torch threads,
    texts/s."""
    import subprocess
    import sys
    import tempfile

    from mtaabot.embeddings import model_path

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(texts, fh)
    try:
        done = subprocess.run([sys.executable, "-c", _PLAIN, str(model_path()), fh.name], capture_output=True,
                              text=True, check=True,
                              env=os.environ | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"})
    finally:
        Path(fh.name).unlink(missing_ok=True)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return {"texts": len(texts), "seconds": round(out["seconds"], 3), "threads": out["threads"],
            "torch_threads": out["threads"], "texts_per_s": round(len(texts) / out["seconds"], 1)}
