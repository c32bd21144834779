"""dbt at scale: full `dbt build` on ~1,000,000 simulated messages, then an incremental build after
10,000 new ones (the incremental should take a small fraction of the full build).

Both runs are the hourly refresh's command (`mtaabot.dbt_runner.build_args()`), the full one with
`--full-refresh`, so they differ only in what they rebuild; the nightly full check (every data test over
every row, and the unit tests) is timed after them. "start-up" is wall time minus dbt's own elapsed time:
the Python start, project parse and connection every dbt command pays.

    python -m benchmarks.dbt_bench [--messages 1000000] [--new-messages 10000] [--days 30] [--json FILE]

Runs in its own database (`dbt_bench`, recreated) on DATABASE_URL's server or the embedded one under
MTAABOT_HOME; prints the timings and, from dbt's run_results.json, model time vs data-test time.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import psycopg
from psycopg import sql

from benchmarks.common import write_json
from mtaabot.dbt_runner import build_args, run_dbt

DB_NAME = "dbt_bench"


def _bench_url(reuse: bool) -> tuple[str, bool]:
    """URL of the bench database; recreated unless `reuse` and it already exists. (url, created)."""
    from mtaabot.db import database_url

    base = database_url()
    head, _, query = base.partition("?")
    admin = head.rsplit("/", 1)[0] + "/postgres" + (f"?{query}" if query else "")
    url = head.rsplit("/", 1)[0] + f"/{DB_NAME}" + (f"?{query}" if query else "")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)).fetchone()
        if reuse and exists:
            return url, False
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    return url, True


def _simulate(url: str, days: int, messages: int, seed: int) -> tuple[float, dict[str, Any]]:
    from mtaabot.db import connect
    from mtaabot.simulate import simulate

    with connect(url) as conn:
        start = time.perf_counter()
        summary = simulate(conn, days=days, messages=messages, seed=seed)
        conn.execute("ANALYZE")
        conn.commit()
    return time.perf_counter() - start, summary


def _build(url: str, args: list[str]) -> dict[str, Any]:
    start = time.perf_counter()
    done = run_dbt([*args, "--quiet"], url=url, capture=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"dbt build failed:\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}")
    run_results = json.loads((done.target_path / "run_results.json").read_text())
    results = run_results["results"]
    by_kind: dict[str, float] = {}
    slowest = sorted(results, key=lambda r: r["execution_time"], reverse=True)[:3]
    for r in results:
        kind = r["unique_id"].split(".")[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + r["execution_time"]
    return {"wall_s": round(seconds, 2), "startup_s": round(seconds - run_results["elapsed_time"], 2),
            "nodes": len(results),
            **{f"{k}_exec_s": round(v, 2) for k, v in sorted(by_kind.items())},
            "slowest": [f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.2f}s" for r in slowest]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--new-messages", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the bench database of a previous run (its history) instead of re-simulating")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    from mtaabot.db import connect
    from mtaabot.db.migrate import migrate
    from mtaabot.demo import seed_demo

    url, created = _bench_url(args.reuse)
    with connect(url) as conn:
        migrate(conn)
        if created:
            seed_demo(conn)
    if created:
        sim_s, sim = _simulate(url, args.days, args.messages, seed=1)
        print(f"simulated {sim['messages']:,} messages in {sim_s:.1f} s ({sim['messages'] / sim_s:,.0f} msg/s)",
              flush=True)
    else:
        with connect(url) as conn:
            sim = {"messages": conn.execute("SELECT count(*) AS n FROM messages").fetchone()["n"]}
        sim_s = 0.0
        print(f"reusing the bench database: {sim['messages']:,} messages", flush=True)
    parsed = run_dbt(["parse", "--quiet"], url=url, capture=True)  # both builds start from a saved parse
    if parsed.returncode != 0:
        raise SystemExit(f"dbt parse failed:\n{parsed.stdout[-4000:]}")
    full = _build(url, [*build_args(), "--full-refresh"])
    print(f"full dbt build on {sim['messages']:,} messages: {full['wall_s']} s wall, {full['nodes']} nodes "
          f"(start-up {full['startup_s']} s, models {full.get('model_exec_s')} s, tests {full.get('test_exec_s')} s); "
          f"slowest: {', '.join(full['slowest'])}", flush=True)
    new_s, new = _simulate(url, 1, args.new_messages, seed=None)
    incremental = _build(url, build_args())
    ratio = incremental["wall_s"] / full["wall_s"]
    model_ratio = incremental.get("model_exec_s", 0) / max(full.get("model_exec_s", 0), 1e-9)
    print(f"incremental dbt build after {new['messages']:,} new messages: {incremental['wall_s']} s wall "
          f"(start-up {incremental['startup_s']} s, models {incremental.get('model_exec_s')} s, "
          f"tests {incremental.get('test_exec_s')} s) = {ratio:.0%} of the full build wall time, "
          f"{model_ratio:.0%} of its model time; slowest: {', '.join(incremental['slowest'])}", flush=True)
    nightly = _build(url, build_args(full_checks=True))
    print(f"nightly full check (every data test over every row + unit tests): {nightly['wall_s']} s wall "
          f"(tests {nightly.get('test_exec_s')} s, unit tests {nightly.get('unit_test_exec_s')} s)", flush=True)
    write_json(args.json, {
        "messages": sim["messages"], "simulate_s": round(sim_s, 1), "new_messages": new["messages"],
        "full_build_s": full["wall_s"], "incremental_build_s": incremental["wall_s"],
        "incremental_over_full": round(ratio, 3), "incremental_model_over_full_model": round(model_ratio, 3),
        "nightly_full_check_s": nightly["wall_s"],
        "full": full, "incremental": incremental, "nightly": nightly,
    })


if __name__ == "__main__":
    main()
