"""Deterministic per-function CPU profile of the worker's engine path (issue 21).

Creates a scratch database on the configured server (DATABASE_URL or the embedded one) with a few shops carrying
the demo catalogue, stores N customer messages exactly as the webhook does (`inbound.store_message` on a parsed
Meta payload: message + chat + job), then answers them with the worker's real micro-batch path,
`worker.run_batch` (job claim, `engine.prepare_batch` for the batch's texts, then per job `handle_job` + outbox
row + job status + commit), on one connection set up like a worker's engine connection (synchronous_commit off),
without threads. The messages are the real customer messages of tests/fixtures/eval/language_dev.jsonl (as
`benchmarks.webhook_load` uses), the query cache is off (MTAABOT_QUERY_CACHE_SIZE=0) like the load bench.

Two passes over fresh messages:
1. unprofiled: process CPU (all threads: the encoder's too), wall time and the PostgreSQL backend's CPU (read
   from /proc for this connection's server process) per message: the absolute figures to trust;
2. under cProfile with the process CPU clock: core-ms per message per function, cumulative and own (profiling
   inflates Python-heavy functions, so read its shares, and the unprofiled pass for totals), plus statements
   (psycopg cursor executes) and commits per message.
`--senders`: then the sender path the same way: the answered replies sent by the worker's sender loop body
(`outbox.claim_due_or_wait` + `outbox.send_claimed`, the worker's rate limiter) on one autocommit connection with
asynchronous commits, to the fake Graph API in its own process: sender CPU and the PostgreSQL backends' CPU
(sender + rate limiter connections) per sent reply, then cProfile of pass 2's sends.

    .venv/bin/python -m benchmarks.engine_profile [--n 300] [--businesses 2] [--customers 100] [--top 15]
        [--batch 64] [--senders] [--json out.json] [--dump out.prof]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

from benchmarks.common import write_json

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = ROOT / "tests" / "fixtures" / "eval" / "language_dev.jsonl"
WARM = 24  # messages answered before any measurement (models loaded, caches and plans warm)


def questions() -> list[str]:
    """The real customer messages of the language dev set, in file order."""
    return [json.loads(line)["text"] for line in MESSAGES.read_text(encoding="utf-8").splitlines() if line.strip()]


def _payload(pnid: str, phone: str, wamid: str, text: str) -> dict[str, Any]:
    return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp", "metadata": {"display_phone_number": "254711000000",
                                                          "phone_number_id": pnid},
            "contacts": [{"profile": {"name": "Bench"}, "wa_id": phone}],
            "messages": [{"from": phone, "id": wamid, "timestamp": str(int(time.time())), "type": "text",
                          "text": {"body": text}}]}}]}]}


def _setup(url: str, businesses: int) -> list[tuple[Any, str]]:
    """Shops with their own phone_number_id and the demo catalogue, embedded: [(business id, pnid)]."""
    from mtaabot.businesses import connect_whatsapp, create_business
    from mtaabot.db import connect
    from mtaabot.devtools.demo import demo_catalogue
    from mtaabot.embeddings import embed_stale_products
    from mtaabot.products import import_csv

    catalogue = demo_catalogue()["Mama Njeri Duka"]
    shops = []
    with connect(url) as conn:
        for i in range(businesses):
            shop = create_business(conn, name=f"Bench Duka {i}", tone="mtaa", whatsapp_number=f"07110009{i:02d}",
                                   location="Kawangware 56", opening_hours="Mon-Sun 7am-9pm")
            pnid = f"90000000{i:04d}"
            connect_whatsapp(conn, shop["id"], phone_number_id=pnid, access_token=f"bench-token-{i}",
                             verify_token="bench")
            import_csv(conn, shop["id"], catalogue)
            shops.append((shop["id"], pnid))
        conn.commit()
    with connect(url) as conn:
        embed_stale_products(conn)
        conn.commit()
    return shops


def _store(url: str, shops: list[tuple[Any, str]], texts: list[str], start: int, n: int, customers: int) -> None:
    """Messages start..start+n as the webhook stores them (customer i % customers of shop i % len(shops))."""
    from mtaabot.db import connect
    from mtaabot.whatsapp.inbound import store_message
    from mtaabot.whatsapp.payloads import parse_body

    with connect(url) as conn:
        for i in range(start, start + n):
            business_id, pnid = shops[i % len(shops)]
            phone = f"2547{(i % customers):08d}"
            for batch in parse_body(_payload(pnid, phone, f"wamid.bench.{i}", texts[i % len(texts)])):
                for msg in batch.messages:
                    store_message(conn, business_id, msg)


def _answer_all(conn: psycopg.Connection, batch: int) -> tuple[int, int]:
    """Run the worker's micro-batch path until no job is left: (jobs answered, batches)."""
    from mtaabot.engine import respond
    from mtaabot.whatsapp.worker import run_batch

    jobs = batches = 0
    while outcomes := run_batch(conn, respond, batch, 30.0, notify=False):
        jobs += len(outcomes)
        batches += 1
    return jobs, batches


def _fake_graph() -> tuple[subprocess.Popen[str], str]:
    """The fake Graph API in its own process (its CPU is not the sender's): (process, url)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom tests.fakes.fake_graph import FakeGraph\n"
         "g = FakeGraph().start()\nprint(g.url, flush=True)\nsys.stdin.read()\n"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def _send(conn: psycopg.Connection, client: Any, count: int) -> int:
    """The worker's sender loop body (`claim_due_or_wait` + `send_claimed`) until `count` rows are sent."""
    from mtaabot.whatsapp.outbox import claim_due_or_wait, send_claimed

    sent = 0
    while sent < count:
        item, idle = claim_due_or_wait(conn, 1.0)
        if item is None:
            if idle >= 1.0:  # nothing due within the poll: nothing left
                break
            time.sleep(idle)
            continue
        sent += send_claimed(conn, client, item) == "sent"
    return sent


def _statements(stats: pstats.Stats) -> dict[str, int]:
    """psycopg cursor executes (Connection.execute delegates to one) and commits, from the profile's call counts."""
    counts = {"statements": 0, "commits": 0}
    for (path, _, name), (_, ncalls, *_rest) in stats.stats.items():  # type: ignore[attr-defined]
        if "psycopg" not in path:
            continue
        if path.endswith("cursor.py") and name in ("execute", "executemany", "stream"):
            counts["statements"] += ncalls
        elif path.endswith("connection.py") and name == "commit":
            counts["commits"] += ncalls
    return counts


def _label(key: tuple[str, int, str]) -> str:
    path, line, name = key
    if path == "~":
        return name
    rel = path
    for marker in ("/site-packages/", str(ROOT) + "/"):
        if marker in path:
            rel = path.split(marker, 1)[1]
            break
    return f"{rel}:{line}({name})"


def _table(stats: pstats.Stats, n: int, top: int, sort: int) -> list[dict[str, Any]]:
    """Top functions by cumulative (sort=3) or own (sort=2) time: core-ms per message and calls per message."""
    rows = []
    for key, (_, ncalls, own, cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append({"function": _label(key), "calls_per_msg": round(ncalls / n, 2),
                     "own_ms": round(own * 1000 / n, 3), "cum_ms": round(cum * 1000 / n, 3)})
    key = "cum_ms" if sort == 3 else "own_ms"
    return sorted(rows, key=lambda r: r[key], reverse=True)[:top]


def _print(title: str, rows: list[dict[str, Any]], total_ms: float) -> None:
    print(f"\n{title}")
    print(f"{'cum ms/msg':>10} {'cum %':>6} {'own ms/msg':>10} {'own %':>6} {'calls/msg':>9}  function")
    for r in rows:
        print(f"{r['cum_ms']:>10.3f} {100 * r['cum_ms'] / total_ms:>6.1f} {r['own_ms']:>10.3f} "
              f"{100 * r['own_ms'] / total_ms:>6.1f} {r['calls_per_msg']:>9.2f}  {r['function']}")


def _profile_senders(url: str, n: int) -> dict[str, Any]:
    """Send the answered replies as a worker's sender thread does: the warm-up's and pass 1's unprofiled
    (process CPU + the PostgreSQL backends of the sender's and the rate limiter's connections, per sent reply),
    pass 2's under cProfile. Returns the figures and the profile."""
    from benchmarks.common import process_cpu_s
    from mtaabot.config import get_settings
    from mtaabot.db import connect
    from mtaabot.whatsapp.client import GraphClient, RateLimiter
    from mtaabot.whatsapp.outbox import PACED_AHEAD_SECONDS

    graph, graph_url = _fake_graph()
    limiter = RateLimiter(url, get_settings().whatsapp_rate_per_second, max_wait=PACED_AHEAD_SECONDS)
    client = GraphClient(graph_url=graph_url, rate_limiter=limiter, max_attempts=1)
    try:
        with connect(url, autocommit=True) as conn:
            conn.execute("SET synchronous_commit = off")  # as the worker's sender connections
            backends = [conn.info.backend_pid, limiter._connection().info.backend_pid]
            _send(conn, client, WARM)
            cpu0, wall0, pg0 = time.process_time(), time.perf_counter(), sum(map(process_cpu_s, backends))
            sent1 = _send(conn, client, n)
            cpu1, wall1, pg1 = time.process_time(), time.perf_counter(), sum(map(process_cpu_s, backends))
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            sent2 = _send(conn, client, n)
            profiler.disable()
    finally:
        client.close()
        assert graph.stdin is not None
        graph.stdin.close()
        graph.wait(10)
    return {"sent": sent1, "sender_cpu_ms_per_reply": round((cpu1 - cpu0) * 1000 / max(sent1, 1), 2),
            "pg_backends_cpu_ms_per_reply": round((pg1 - pg0) * 1000 / max(sent1, 1), 2),
            "wall_ms_per_reply": round((wall1 - wall0) * 1000 / max(sent1, 1), 2),
            "profiled_sent": sent2, "profile": profiler}


def _report_senders(sending: dict[str, Any], args: argparse.Namespace) -> None:
    stats = pstats.Stats(sending.pop("profile"))
    sent = max(sending["profiled_sent"], 1)
    counted = _statements(stats)
    total = stats.total_tt * 1000 / sent  # type: ignore[attr-defined]
    sending.update(profiled_ms_per_reply=round(total, 3), statements_per_reply=round(counted["statements"] / sent, 2))
    print(f"sender path: {sending['sent']} replies sent unprofiled: sender CPU {sending['sender_cpu_ms_per_reply']} "
          f"core-ms/reply, PostgreSQL backends (sender + rate limiter) {sending['pg_backends_cpu_ms_per_reply']} "
          f"core-ms/reply, wall {sending['wall_ms_per_reply']} ms/reply; profiled {total:.2f} core-ms/reply, "
          f"{sending['statements_per_reply']} statements/reply (psycopg executes)")
    _print(f"sender: top {args.top} by cumulative core-ms per reply", _table(stats, sent, args.top, 3), total)
    _print(f"sender: top {args.top} by own core-ms per reply", _table(stats, sent, args.top, 2), total)
    if args.json:
        sending["cumulative"] = _table(stats, sent, args.top, 3)
        sending["own"] = _table(stats, sent, args.top, 2)
        write_json(args.json.replace(".json", "") + ".senders.json", sending)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="messages per pass (two passes)")
    parser.add_argument("--businesses", type=int, default=2)
    parser.add_argument("--customers", type=int, default=100, help="customers per pass (chats with history)")
    parser.add_argument("--batch", type=int, default=64, help="jobs claimed per micro-batch (the worker's default)")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--project-only", action="store_true", help="cumulative table: mtaabot/ functions only")
    parser.add_argument("--json", help="also write the result as JSON here")
    parser.add_argument("--dump", help="also write the raw profile here (pstats: callers, snakeviz)")
    parser.add_argument("--senders", action="store_true",
                        help="then profile the sender path too: the replies sent to a fake Graph API (own process) "
                             "by the worker's sender loop body on one connection set up like a sender's")
    args = parser.parse_args()
    os.environ["MTAABOT_QUERY_CACHE_SIZE"] = "0"  # every text encoded, as in the load bench's workers

    from benchmarks.common import process_cpu_s, scratch_database
    from mtaabot.db import connect
    from mtaabot.whatsapp.worker import warm_up

    load_at_start = round(os.getloadavg()[0], 2)
    texts = questions()
    with scratch_database("engine_profile_bench") as url:
        shops = _setup(url, args.businesses)
        conn = connect(url)  # the worker's engine connection: async commits, not autocommit
        conn.execute("SET synchronous_commit = off")
        conn.commit()
        backend = conn.info.backend_pid
        try:
            warm_up()
            _store(url, shops, texts, 0, WARM, WARM)
            _answer_all(conn, args.batch)

            # pass 1: unprofiled totals
            offset = WARM
            _store(url, shops, texts, offset, args.n, args.customers)
            cpu0, wall0, pg0 = time.process_time(), time.perf_counter(), process_cpu_s(backend)
            jobs1, batches1 = _answer_all(conn, args.batch)
            cpu1, wall1, pg1 = time.process_time(), time.perf_counter(), process_cpu_s(backend)
            plain = {"jobs": jobs1, "batches": batches1,
                     "worker_cpu_ms_per_msg": round((cpu1 - cpu0) * 1000 / jobs1, 2),
                     "wall_ms_per_msg": round((wall1 - wall0) * 1000 / jobs1, 2),
                     "pg_backend_cpu_ms_per_msg": round((pg1 - pg0) * 1000 / jobs1, 2)}

            # pass 2: the same under cProfile (process CPU clock: the encoder's threads count in its call)
            offset += args.n
            _store(url, shops, texts, offset, args.n, args.customers)
            profiler = cProfile.Profile(time.process_time)
            cpu0 = time.process_time()
            profiler.enable()
            jobs2, batches2 = _answer_all(conn, args.batch)
            profiler.disable()
            profiled_ms = (time.process_time() - cpu0) * 1000 / jobs2
            sending = _profile_senders(url, args.n) if args.senders else None
        finally:
            conn.close()

    if sending is not None:
        _report_senders(sending, args)
    stats = pstats.Stats(profiler)
    if args.dump:
        stats.dump_stats(args.dump)
    counted = _statements(stats)
    total = stats.total_tt * 1000 / jobs2  # type: ignore[attr-defined]
    cumulative = _table(stats, jobs2, 400, 3)
    if args.project_only:
        cumulative = [r for r in cumulative if r["function"].startswith("mtaabot/")]
    cumulative = cumulative[:args.top]
    own = _table(stats, jobs2, args.top, 2)
    print(f"engine path, worker micro-batches of up to {args.batch}, {args.businesses} shops, demo catalogue; "
          f"load average {load_at_start} at start on {os.cpu_count()} CPUs")
    print(f"unprofiled: {plain['jobs']} messages in {plain['batches']} batches: worker CPU "
          f"{plain['worker_cpu_ms_per_msg']} core-ms/msg (all threads), PostgreSQL backend "
          f"{plain['pg_backend_cpu_ms_per_msg']} core-ms/msg, wall {plain['wall_ms_per_msg']} ms/msg")
    print(f"profiled: {jobs2} messages in {batches2} batches: {profiled_ms:.2f} core-ms/msg under cProfile; "
          f"{counted['statements'] / jobs2:.1f} statements/msg (psycopg executes), "
          f"{counted['commits'] / jobs2:.2f} commits/msg")
    _print(f"top {args.top} by cumulative core-ms per message (share of the profiled {total:.2f} ms)",
           cumulative, total)
    _print(f"top {args.top} by own core-ms per message", own, total)
    write_json(args.json, {"load_at_start": load_at_start, "unprofiled": plain,
                           "profiled": {"jobs": jobs2, "batches": batches2, "core_ms_per_msg": round(total, 3),
                                        "statements_per_msg": round(counted["statements"] / jobs2, 2),
                                        "commits_per_msg": round(counted["commits"] / jobs2, 3)},
                           "cumulative": cumulative, "own": own})


if __name__ == "__main__":
    main()
