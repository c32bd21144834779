"""`python -m benchmarks` (make bench): run every benchmark with a time cap, collect one table.

Each benchmark runs as its own subprocess (`python -m benchmarks.<name> ... --json FILE`) against a
dedicated embedded PostgreSQL under /tmp (MTAABOT_HOME=/tmp/mtaabot-bench by default), so a run never
touches anyone's working database. A benchmark that is missing, fails or overruns its cap is
recorded as such and the others still run. Results go to `benchmarks/results/latest.json` and
`benchmarks/results/latest.md`; the Markdown table is printed at the end.

    python -m benchmarks [--only NAME ...] [--quick] [--budget-minutes 19]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import RESULTS, cores, machine

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"rate_per_s": 80.0, "ack_p99_ms": 50.0, "e2e_p99_ms": 500.0, "retrieval_p99_ms": 20.0,
           "recall_at_5": 0.95, "cost_ratio": 3.0, "replies_over_plain": 0.6, "asset_over_plain": 0.9,
           "cold_start_s": 5.0, "worker_rss_mb": 700.0}


@dataclass
class Bench:
    key: str
    module: str
    args: list[str] = field(default_factory=list)
    quick_args: list[str] = field(default_factory=list)
    cap_s: int = 300
    json: bool = True  # the script takes --json FILE; otherwise its printed output is kept as text


BENCHES = [
    Bench("engine", "engine_latency", ["--n", "200"], ["--n", "40"], 240),
    Bench("webhook_80", "webhook_load", ["--n", "800", "--rate", "80", "--concurrency", "24", "--workers", "2",
                                         "--customers", "100"],
          ["--n", "160", "--rate", "80", "--concurrency", "24", "--workers", "2", "--customers", "40"], 420),
    Bench("webhook_saturation", "webhook_load", ["--n", "900", "--concurrency", "16", "--workers", "2",
                                                 "--customers", "100"],
          ["--n", "180", "--concurrency", "16", "--workers", "2", "--customers", "60"], 420),
    Bench("retrieval", "retrieval_bench", ["--queries", "400", "--hnsw-queries", "80"],
          ["--queries", "100", "--hnsw-queries", "20"], 600),
    Bench("embedding", "embedding_bench", ["--products", "1000"], ["--products", "300"], 300),
    Bench("dbt", "dbt_bench", ["--messages", "200000", "--new-messages", "2000", "--skip-dashboard"],
          ["--messages", "20000", "--new-messages", "500", "--skip-dashboard"], 300),
    Bench("dashboard", "dashboard_bench", ["--messages", "200000", "--home", "{home}/dashboard"],
          ["--messages", "20000", "--home", "{home}/dashboard"], 300),
    Bench("billing", "billing_gate", ["--n", "300"], ["--n", "50"], 120),
    Bench("eval_dev", "eval_dev", [], [], 180, json=False),
]


def _run(bench: Bench, home: Path, quick: bool, cap_s: float) -> dict[str, Any]:
    script = ROOT / "benchmarks" / f"{bench.module}.py"
    if not script.exists():
        return {"status": "missing", "note": f"benchmarks/{bench.module}.py is not in the tree yet"}
    args = [a.replace("{home}", str(home)) for a in (bench.quick_args if quick else bench.args)]
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out_path = Path(tmp.name)
    out_path.unlink()
    env = _env(home)
    cmd = [sys.executable, "-m", f"benchmarks.{bench.module}", *args, *(["--json", str(out_path)] if bench.json else [])]
    print(f"== {bench.key}: {' '.join(cmd[2:])} (cap {cap_s:.0f} s)", flush=True)
    start = time.monotonic()
    try:
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=cap_s)
    except subprocess.TimeoutExpired as exc:
        tail = (exc.stdout or b"")[-1500:]
        return {"status": "timeout", "seconds": round(time.monotonic() - start, 1),
                "stdout_tail": tail.decode(errors="replace") if isinstance(tail, bytes) else tail}
    seconds = round(time.monotonic() - start, 1)
    print(done.stdout.rstrip()[-3000:], flush=True)
    if done.returncode == 0 and not bench.json:
        return {"status": "ok", "seconds": seconds, "output": done.stdout[-4000:]}
    if done.returncode != 0 or not out_path.exists():
        return {"status": "failed", "seconds": seconds, "returncode": done.returncode,
                "stderr_tail": done.stderr[-1500:], "stdout_tail": done.stdout[-1500:]}
    data = json.loads(out_path.read_text())
    out_path.unlink()
    return {"status": "ok", "seconds": seconds, "result": data}


def _env(home: Path) -> dict[str, str]:
    env = os.environ | {"MTAABOT_HOME": str(home / "main"), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                        "TOKENIZERS_PARALLELISM": "false", "MTAABOT_BENCH_HOME": str(home / "retrieval")}
    env.pop("DATABASE_URL", None)
    return env


def _prepare(home: Path) -> None:
    """Start and migrate the bench home's own embedded database (engine and billing run on it)."""
    exe = Path(sys.executable).parent / "mtaabot"
    done = subprocess.run([str(exe), "db", "up"], cwd=ROOT, env=_env(home), capture_output=True, text=True,
                          timeout=180)
    if done.returncode != 0:
        print(f"warning: `mtaabot db up` for the bench home failed: {done.stderr[-500:]}", flush=True)


def _stop_servers(home: Path) -> None:
    """Stop the embedded servers this run started (their data stays for the next run)."""
    from mtaabot.db.server import stop_embedded

    for sub in ("main", "retrieval", "dashboard"):
        if (home / sub / "pgdata").exists():
            stop_embedded(home / sub)


def _get(results: dict[str, Any], key: str, *path: str) -> Any:
    node: Any = results.get(key, {}).get("result")
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def derive(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The headline figures (metric, value, target, met) from the raw benchmark results."""
    rows: list[dict[str, Any]] = []

    def add(metric: str, value: Any, unit: str = "", target: str = "", met: bool | None = None) -> None:
        rows.append({"metric": metric, "value": value, "unit": unit, "target": target, "met": met})

    for key, label in (("webhook_80", "80 msg/s offered"), ("webhook_saturation", "saturation")):
        w = _get(results, key, "webhook_load")
        if not w:
            add(f"webhook ({label})", results.get(key, {}).get("status", "not run"))
            continue
        e2e = w.get("end_to_end") or {}
        add(f"webhook ack p50 / p99 ({label})", f"{w['ack']['p50_ms']} / {w['ack']['p99_ms']}", "ms",
            "p99 < 50" if key == "webhook_80" else "", w["ack"]["p99_ms"] < TARGETS["ack_p99_ms"]
            if key == "webhook_80" else None)
        add(f"end-to-end reply p50 / p99 ({label})", f"{e2e.get('p50_ms')} / {e2e.get('p99_ms')}", "ms",
            "p99 < 500" if key == "webhook_80" else "", bool(e2e) and e2e["p99_ms"] < TARGETS["e2e_p99_ms"]
            if key == "webhook_80" else None)
        sustained = w["sustained_replies_per_s"]
        # keeping up = replies at the offered rate of the messages that get one (a chat handed to the owner, or a
        # customer paced for flooding, gets no bot reply: fewer replies than messages by design)
        answerable_rate = TARGETS["rate_per_s"] * w["answered"] / max(1, w["n"])
        add(f"sustained replies/s ({label}, {w['answered']}/{w['n']} answered)", sustained, "msg/s",
            f">= {answerable_rate:.1f} (80 x answered share)" if key == "webhook_80" else "",
            sustained >= 0.97 * answerable_rate if key == "webhook_80" else None)
        add(f"duplicates / order violations ({label})", f"{w['duplicate_replies']} / {w.get('order_violations')}",
            "", "0 / 0", w["duplicate_replies"] == 0 and w.get("order_violations") == 0)
        plain = w.get("baseline_plain_encode")
        if plain and key == "webhook_saturation":
            ratio = w["replies_over_plain_encode"]
            add(f"end-to-end replies/s at saturation / plain batched encode of the same {plain['texts']} messages "
                f"(own process, {plain['torch_threads']} torch threads, same run)",
                f"{sustained} / {plain['texts_per_s']} = {ratio}x", "", ">= 0.6x (stretch 1.0x)",
                ratio >= TARGETS["replies_over_plain"])
        if w.get("worker_memory") and key == "webhook_saturation":
            peak = max(m.get("peak_rss_mb", 0) for m in w["worker_memory"])
            add("worker peak RSS (per process, after the saturation run)", peak, "MB", "< 700",
                peak < TARGETS["worker_rss_mb"])
        if w.get("worker_cold_start_s") is not None and key == "webhook_saturation":
            add("worker cold start (process start -> first reply, 2 processes starting together)",
                w["worker_cold_start_s"], "s", "< 5", w["worker_cold_start_s"] < TARGETS["cold_start_s"])
    engine = _get(results, "engine", "engine")
    sat = _get(results, "webhook_saturation", "webhook_load")
    if engine:
        add("engine-only cost per message (floor, mean of warm runs)", engine.get("mean_ms", engine["p50_ms"]), "ms")
    if engine and sat and sat.get("sustained_replies_per_s"):
        # machine time per message: at saturation every core works on the pipeline (webhook, worker
        # processes, PostgreSQL), so cores x wall time / messages; the floor is the engine alone on one core
        n_cores = (results["webhook_saturation"]["result"].get("machine") or {}).get("cores") or cores()
        per_msg = n_cores * 1000 / sat["sustained_replies_per_s"]
        floor = engine.get("mean_ms", engine["p50_ms"])
        add(f"end-to-end cost per message at saturation ({n_cores} cores x 1000 / replies/s)", round(per_msg, 1),
            "core-ms")
        add("end-to-end / floor", round(per_msg / floor, 2), "x", "<= 3", per_msg / floor <= TARGETS["cost_ratio"])
    retrieval = _get(results, "retrieval")
    if retrieval:
        for name, s in retrieval["strategies"].items():
            chosen = " (chosen)" if name == retrieval["winner"] else ""
            add(f"retrieval {name}{chosen}: p50 / p99, recall@5", f"{s['p50_ms']} / {s['p99_ms']}, "
                f"{s['recall_at_5']}", "ms", "p99 < 20 at recall >= 0.95",
                s["p99_ms"] < TARGETS["retrieval_p99_ms"] and s["recall_at_5"] >= TARGETS["recall_at_5"])
    else:
        add("retrieval", results.get("retrieval", {}).get("status", "not run"))
    emb = _get(results, "embedding")
    if emb:
        add(f"product_embeddings asset products/s / plain encode of the same {emb.get('products')} product texts "
            "(own process, same run)",
            f"{emb.get('asset_products_per_s')} / {emb.get('bare_encode_per_s')} = {emb.get('asset_over_bare')}x",
            "", ">= 0.9x", (emb.get("asset_over_bare") or 0) >= TARGETS["asset_over_plain"])
    else:
        add("embedding", results.get("embedding", {}).get("status", "not run"))
    dbt = _get(results, "dbt")
    if dbt:
        add(f"dbt build full vs incremental ({dbt.get('messages'):,} msgs, +{dbt.get('new_messages'):,})",
            f"{dbt.get('full_build_s')} vs {dbt.get('incremental_build_s')} "
            f"({dbt.get('incremental_over_full', 0):.0%})", "s")
    else:
        add("dbt", results.get("dbt", {}).get("status", "not run"))
    dash = _get(results, "dashboard")
    if dash:
        for page, r in dash.get("pages", {}).items():
            add(f"dashboard {page} (cold / warm p50, {dash.get('messages'):,} msgs)",
                f"{r['cold_s']} / {r['warm_median_s']}", "s", "< 2", max(r["cold_s"], r["warm_max_s"]) < 2)
    else:
        add("dashboard", results.get("dashboard", {}).get("status", "not run"))
    billing = _get(results, "billing", "billing")
    if billing:
        add("billing gate p50 / p99", f"{billing['gate']['p50_ms']} / {billing['gate']['p99_ms']}", "ms")
    return rows


def markdown(rows: list[dict[str, Any]], info: dict[str, Any], results: dict[str, Any]) -> str:
    cores = info["cores"]
    lines = [f"# MtaaBot benchmarks ({info['finished_at']})", "",
             f"Machine: {cores} cores, {info.get('memory_gb')} GB RAM; load average at start "
             f"{info.get('load_start')}, at end {info.get('load_end')} (other processes share the cores). "
             f"Total {info['total_s']} s.", "",
             "| metric | value | unit | target | met | machine |", "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        met = {True: "yes", False: "**no**", None: ""}[r["met"]]
        lines.append(f"| {r['metric']} | {r['value']} | {r['unit']} | {r['target']} | {met} | {cores} cores |")
    lines += ["", "| benchmark | status | seconds |", "| --- | --- | --- |"]
    lines += [f"| {k} | {v['status']} | {v.get('seconds', '')} |" for k, v in results.items()]
    why = _get(results, "retrieval", "why")
    if why:
        lines += ["", why]
    return "\n".join(lines) + "\n"


def _kept_sections(path: Path) -> str:
    """Sections other benchmarks maintain in latest.md between `<!-- name:begin -->` and `<!-- name:end -->`
    markers: carried over when the main table is rewritten."""
    import re

    if not path.exists():
        return ""
    found = re.finditer(r"(?s)<!-- ([\w-]+):begin -->.*?<!-- \1:end -->", path.read_text())
    return "".join("\n" + m.group(0) + "\n" for m in found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="run only these benchmarks (keys: "
                        + ", ".join(b.key for b in BENCHES) + ")")
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run, not for the record)")
    parser.add_argument("--budget-minutes", type=float, default=19.0)
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("MTAABOT_BENCH_ROOT", "/tmp/mtaabot-bench")))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    args.home.mkdir(parents=True, exist_ok=True)
    os.chmod(args.home, 0o755)
    Path(os.environ.setdefault("XDG_RUNTIME_DIR", f"/tmp/mtaabot-runtime-{os.getuid()}")).mkdir(
        mode=0o700, parents=True, exist_ok=True)
    started = time.monotonic()
    _prepare(args.home)
    deadline = started + args.budget_minutes * 60
    load_start = os.getloadavg()[0]
    results: dict[str, Any] = {}
    previous = args.out / "latest.json"
    if args.only and previous.exists():  # re-running some benchmarks keeps the others' last results
        results = json.loads(previous.read_text()).get("benchmarks", {})
    for bench in BENCHES:
        if args.only and bench.key not in args.only:
            continue
        left = deadline - time.monotonic()
        if left < 30:
            results[bench.key] = {"status": "skipped", "note": "time budget used up"}
            continue
        results[bench.key] = _run(bench, args.home, args.quick, min(bench.cap_s, left))
        print(f"   -> {results[bench.key]['status']} in {results[bench.key].get('seconds', 0)} s", flush=True)
    info = machine() | {"finished_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                        "total_s": round(time.monotonic() - started, 1), "quick": args.quick,
                        "load_start": round(load_start, 2), "load_end": round(os.getloadavg()[0], 2)}
    _stop_servers(args.home)
    rows = derive(results)
    table = markdown(rows, info, results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps({"machine": info, "summary": rows, "benchmarks": results},
                                                     indent=2, default=str) + "\n")
    (args.out / "latest.md").write_text(table + _kept_sections(args.out / "latest.md"))
    print()
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
