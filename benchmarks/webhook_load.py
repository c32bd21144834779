"""WhatsApp message path under load: signed webhooks -> gunicorn -> worker(s) -> fake Graph API.

Creates a scratch database on the configured server (DATABASE_URL or the embedded one), several
businesses with their own phone_number_id, starts gunicorn (`webhook:create_app()`) and `mtaabot
worker` processes, then posts N signed text messages from many customers with C concurrent senders.
Prints ack latency p50/p99 (HTTP 200 from /webhook), end-to-end p50/p99 (inbound POST -> reply
received by the fake Graph API), sustained replies/second, duplicates, per-customer order violations,
worker RSS and cold start (process start -> first reply). The scratch database is dropped.

The messages are the real customer messages of tests/fixtures/eval/language_dev.jsonl (cycled), and in
the same run, before the load, the baseline encodes exactly those texts with the plain library in its own
process (`SentenceTransformer(...).encode(texts, batch_size=64)`, default torch threads): the result
reports replies/s as a ratio to that. The workers run with MTAABOT_QUERY_CACHE_SIZE=0, so a repeated
text is encoded again like in the baseline (no help from the query cache).

    .venv/bin/python -m benchmarks.webhook_load [--n 300] [--businesses 4] [--customers 150]
        [--concurrency 8] [--workers 1] [--engines 2] [--senders 4] [--rate 80] [--json results/webhook_load.json]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import hmac
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import requests
import urllib3
from psycopg import sql

from benchmarks.common import percentile, plain_encode_baseline, process_cpu_s, summary_ms, write_json
from mtaabot.db import database_url
from mtaabot.db.migrate import migrate
from mtaabot.db.pool import connect
from tests.fakes.fake_graph import FakeGraph

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-app-secret"
MESSAGES = ROOT / "tests" / "fixtures" / "eval" / "language_dev.jsonl"


def questions() -> list[str]:
    """The real customer messages of the language dev set (SHENG / SWA / ENG), in file order."""
    return [json.loads(line)["text"] for line in MESSAGES.read_text(encoding="utf-8").splitlines() if line.strip()]


def _rss_mb(pid: int) -> dict[str, float]:
    """Current and peak resident memory of a process (MB), from /proc."""
    out: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out["rss_mb" if key == "VmRSS" else "peak_rss_mb"] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        pass
    return out


def _cpu_by_part(gunicorn: int, workers: list[int]) -> dict[str, float]:
    """CPU seconds so far of each part of the path: gunicorn (master + its workers), worker processes, the
    PostgreSQL server's processes (all of them: on a quiet machine that is this run) and this process (load
    generator + fake Graph API)."""
    parts = {"webhook": 0.0, "workers": sum(process_cpu_s(w) for w in workers), "postgres": 0.0,
             "load_generator_and_fake_graph": sum(os.times()[:2])}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, rest = text[text.index("(") + 1:text.rindex(")")], text.rsplit(")", 1)[1].split()
        pid, ppid = int(stat.parent.name), int(rest[1])
        if pid == gunicorn or ppid == gunicorn:
            parts["webhook"] += process_cpu_s(pid)
        elif name.startswith("postgres"):
            parts["postgres"] += process_cpu_s(pid)
    return parts


def _checkpoints(conn: psycopg.Connection) -> dict[str, int]:
    """Checkpoints the server has started so far (PostgreSQL 17+: pg_stat_checkpointer; {} otherwise)."""
    try:
        row = conn.execute("SELECT num_timed, num_requested FROM pg_stat_checkpointer").fetchone()
    except psycopg.Error:
        return {}
    return {k: int(v) for k, v in row.items()}


def _stages(rows: list[dict], posted: dict[str, float], received: dict[str, float | None],
            t_start: float) -> dict:
    """Where each answered message's end-to-end time went: webhook POST -> stored (job row committed's
    transaction start), stored -> engine started it (queue + claim + batch encode + earlier jobs of the batch),
    engine (its transaction), done -> POST started (commit, wake-up, sender claim and reads), POST -> received
    by the fake Graph API. p50/p99 of each, and the mean of each over the slowest 1 % (what the tail is made
    of) with the times (s into the run) those messages were offered: a cluster is one stall, a spread is
    steady queueing."""
    per: list[tuple[float, dict[str, float], float]] = []
    for r in rows:
        got = received.get(r["wamid"])
        if got is None or None in (r["stored"], r["started"], r["done"], r["posting"]) or r["wamid"] not in posted:
            continue
        t0 = posted[r["wamid"]]
        points = [t0, float(r["stored"]), float(r["started"]), float(r["done"]), float(r["posting"]), got]
        names = ("webhook", "queue_and_batch", "engine", "outbox_to_post", "post")
        parts = {n: round((b - a) * 1000, 1) for n, a, b in zip(names, points, points[1:], strict=False)}
        per.append(((got - t0) * 1000, parts, t0 - t_start))
    if not per:
        return {"p50_p99_ms": {}, "tail_n": 0, "tail_mean_ms": {}, "tail_offered_at_s": []}
    per.sort(key=lambda x: x[0])
    tail = per[-max(1, len(per) // 100):]
    names = list(per[0][1])
    return {
        "p50_p99_ms": {n: [round(percentile([p[1][n] for p in per], 50), 1),
                           round(percentile([p[1][n] for p in per], 99), 1)] for n in names},
        "tail_n": len(tail),
        "tail_mean_ms": {n: round(sum(p[1][n] for p in tail) / len(tail), 1) for n in names},
        "tail_offered_at_s": sorted(round(p[2], 1) for p in tail),
    }


DB_COUNTERS = ("xact_commit", "xact_rollback", "tup_returned", "tup_fetched", "tup_inserted", "tup_updated",
               "tup_deleted", "blks_hit", "blks_read")


def _db_counters(conn: psycopg.Connection, name: str) -> dict[str, int]:
    """The scratch database's own transaction and row counters (pg_stat_database: every process's work on it,
    none of the other databases'), and its tables' scans and row changes."""
    row = conn.execute(sql.SQL("SELECT {} FROM pg_stat_database WHERE datname = %s").format(
        sql.SQL(", ").join(map(sql.Identifier, DB_COUNTERS))), (name,)).fetchone() or {}
    out = {k: int(v or 0) for k, v in row.items()}
    for r in conn.execute("""SELECT relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0) AS idx_scan,
                                    coalesce(idx_tup_fetch, 0) AS idx_tup_fetch, n_tup_ins, n_tup_upd, n_tup_hot_upd,
                                    n_tup_del FROM pg_stat_user_tables""").fetchall():
        for k in ("seq_scan", "seq_tup_read", "idx_scan", "idx_tup_fetch", "n_tup_ins", "n_tup_upd", "n_tup_hot_upd",
                  "n_tup_del"):
            out[f"{r['relname']}.{k}"] = int(r[k])
    for r in conn.execute("SELECT indexrelname, idx_scan, idx_tup_read FROM pg_stat_user_indexes").fetchall():
        out[f"index {r['indexrelname']}.idx_scan"] = int(r["idx_scan"])
        out[f"index {r['indexrelname']}.idx_tup_read"] = int(r["idx_tup_read"])
    return out


def _oncpu_ns(pid: int) -> int:
    """Nanoseconds a process has run on a CPU (/proc/<pid>/schedstat, finer than the 10 ms ticks of stat)."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


class PgSampler(threading.Thread):
    """`--pg-breakdown`: a statistical profile of the PostgreSQL server's CPU. Every few ms it reads
    pg_stat_activity (which backend runs or last ran which statement, for which application_name: the bench
    names its gunicorn and worker processes with PGAPPNAME) and each server process's on-CPU time; the CPU a
    backend used since the last sample is credited to the statement it shows now. Approximate (a backend that
    ran several statements between two samples credits them all to the last) and it costs some CPU itself:
    only for finding where the server's time goes, never in a run whose ratio is reported."""

    def __init__(self, url: str, interval: float = 0.005) -> None:
        super().__init__(daemon=True)
        self.url, self.interval, self.stop = url, interval, threading.Event()
        self.by_statement: dict[tuple[str, str], float] = {}
        self.by_backend: dict[str, float] = {}
        self.samples = 0

    def run(self) -> None:
        last: dict[int, int] = {}
        with psycopg.connect(self.url, autocommit=True) as conn:
            own = conn.info.backend_pid
            while not self.stop.is_set():
                rows = conn.execute(
                    "SELECT pid, backend_type, application_name, left(query, 160) FROM pg_stat_activity"
                ).fetchall()
                self.samples += 1
                for pid, kind, app, query in rows:
                    now = _oncpu_ns(pid)
                    before = last.get(pid)
                    last[pid] = now
                    if before is None or now <= before or pid == own:
                        continue
                    ms = (now - before) / 1e6
                    who = (app or kind or "?") if kind == "client backend" else (kind or "?")
                    self.by_backend[who] = self.by_backend.get(who, 0.0) + ms
                    if kind == "client backend":
                        text = " ".join((query or "").split())[:110]
                        key = (who, text)
                        self.by_statement[key] = self.by_statement.get(key, 0.0) + ms
                time.sleep(self.interval)


_LOG_ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \w+ \[(\d+)\] (\w+):  (.*)$")
_STATEMENT = re.compile(r"^(?:statement|execute [^:]+): (.*)$", re.DOTALL)


def _count_logged_statements(text: str, app_of: dict[int, str]) -> dict[tuple[str, str], int]:
    """`--count-statements`: the statements the server logged (log_statement=all, set for the bench's own
    processes only), counted by application and statement (first 110 characters, whitespace collapsed)."""
    counts: dict[tuple[str, str], int] = {}
    entries: list[list[str]] = []
    for line in text.splitlines():
        m = _LOG_ENTRY.match(line)
        if m:
            entries.append([m.group(1), m.group(2), m.group(3)])
        elif entries:
            entries[-1][2] += "\n" + line
    for pid, level, message in entries:
        if level != "LOG" or not (m := _STATEMENT.match(message)):
            continue
        key = (app_of.get(int(pid), "?"), " ".join(m.group(1).split())[:110])
        counts[key] = counts.get(key, 0) + 1
    return counts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _with_db(url: str, name: str) -> str:
    head, _, query = url.partition("?")
    return head.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")


def _payload(pnid: str, phone: str, wamid: str, text: str) -> bytes:
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp", "metadata": {"display_phone_number": "254711000000",
                                                          "phone_number_id": pnid},
            "contacts": [{"profile": {"name": "Bench"}, "wa_id": phone}],
            "messages": [{"from": phone, "id": wamid, "timestamp": str(int(time.time())), "type": "text",
                          "text": {"body": text}}]}}]}]}).encode()


def _prior_ai_replies(conn: psycopg.Connection, business_id: object, n: int) -> None:
    """A busy shop late in its month: an Enterprise period that began 25 days ago and `n` AI replies stored
    in it (spread evenly, in a chat of their own); the caller vacuums them as autovacuum would have by then."""
    conn.execute("""INSERT INTO subscriptions (business_id, plan_tier, starts_at, ends_at, is_active, status,
                                               amount_kes, paid_at)
                    VALUES (%s, 'enterprise', now() - interval '25 days 20 minutes', now() + interval '5 days',
                            true, 'active', 9999, now())""", (business_id,))
    conn.execute("UPDATE businesses SET status = 'active' WHERE id = %s", (business_id,))
    conv = conn.execute("INSERT INTO conversations (business_id, customer_phone) VALUES (%s, '254799999999') "
                        "RETURNING id", (business_id,)).fetchone()["id"]
    conn.execute("""INSERT INTO messages (conversation_id, business_id, role, author, content, created_at)
                    SELECT %s, %s, 'bot', 'ai', 'jibu', now() - (g::float / %s) * interval '25 days'
                    FROM generate_series(1, %s) AS g""", (conv, business_id, n, n))


def _setup(url: str, businesses: int, prior_ai_replies: int = 0) -> list[str]:
    from mtaabot.businesses import connect_whatsapp, create_business
    from mtaabot.devtools.demo import demo_catalogue
    from mtaabot.embeddings import embed_stale_products
    from mtaabot.products import import_csv

    catalogue = demo_catalogue()["Mama Njeri Duka"]
    pnids = []
    with connect(url) as conn:
        migrate(conn)
        for i in range(businesses):
            shop = create_business(conn, name=f"Bench Duka {i}", tone="mtaa", whatsapp_number=f"07110009{i:02d}")
            pnid = f"90000000{i:04d}"
            connect_whatsapp(conn, shop["id"], phone_number_id=pnid, access_token=f"bench-token-{i}",
                             verify_token="bench")
            import_csv(conn, shop["id"], catalogue)
            if prior_ai_replies:
                _prior_ai_replies(conn, shop["id"], prior_ai_replies)
            pnids.append(pnid)
        conn.commit()
        if prior_ai_replies:
            conn.autocommit = True  # only the tables written here: an ANALYZE of the empty queues would
            conn.execute("VACUUM ANALYZE messages")  # change the load's plans (the outbox read by a seq scan)
            if conn.execute("SELECT to_regclass('ai_reply_usage') AS t").fetchone()["t"]:
                conn.execute("VACUUM ANALYZE ai_reply_usage")
    with connect(url) as conn:  # a new connection: pgvector types exist only after the migration
        embed_stale_products(conn)
        conn.commit()
    return pnids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="messages to send")
    parser.add_argument("--businesses", type=int, default=4)
    parser.add_argument("--customers", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent webhook deliveries")
    parser.add_argument("--workers", type=int, default=1, help="`mtaabot worker` processes")
    parser.add_argument("--engines", type=int, default=2, help="engine threads per worker process")
    parser.add_argument("--senders", type=int, default=4, help="sender threads per worker process")
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=0.0,
                        help="offered load in messages/s (open loop); 0 = as fast as --concurrency allows")
    parser.add_argument("--json", help="write the result here")
    parser.add_argument("--keep-db", action="store_true", help="keep the scratch database (its name is printed)")
    parser.add_argument("--prior-ai-replies", type=int, default=0,
                        help="each shop is on Enterprise, 25 days into its period, with this many AI replies stored")
    parser.add_argument("--count-statements", action="store_true",
                        help="count the statements each part sends per reply (log_statement=all for the bench's own "
                             "processes, read from the embedded server's log; costs CPU: not for ratio runs)")
    parser.add_argument("--pg-breakdown", action="store_true",
                        help="also sample where the PostgreSQL server's CPU goes, by application and statement "
                             "(costs CPU itself: not for runs whose ratio is reported)")
    args = parser.parse_args()

    load_at_start = round(os.getloadavg()[0], 2)
    texts = questions()
    jobs_text = [texts[i % len(texts)] for i in range(args.n)]
    baseline = plain_encode_baseline(jobs_text)  # same texts, own process, right before the load
    print(f"baseline: plain SentenceTransformer.encode(batch_size=64, {baseline['torch_threads']} torch threads) "
          f"of the same {baseline['texts']} message texts: {baseline['texts_per_s']} texts/s", flush=True)

    admin = database_url()
    name = db_name = f"mtaabot_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = _with_db(admin, name)
    procs: list[subprocess.Popen] = []
    workers: list[subprocess.Popen] = []
    graph = FakeGraph().start()
    try:
        pnids = _setup(url, args.businesses, args.prior_ai_replies)
        env = os.environ | {"DATABASE_URL": url, "WHATSAPP_APP_SECRET": SECRET, "WHATSAPP_GRAPH_URL": graph.url,
                            "WHATSAPP_RETRY_BASE_SECONDS": "0.1", "HF_HUB_OFFLINE": "1",
                            "MTAABOT_QUERY_CACHE_SIZE": "0"}
        if args.count_statements:
            env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + " -c log_statement=all").strip()
        from mtaabot.db.server import pgdata_dir

        server_log = pgdata_dir() / "log"
        port = _free_port()
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers",
             str(args.gunicorn_workers), "--threads", "8", "--worker-class", "gthread", "--no-control-socket",
             "webhook:create_app()"],
            cwd=ROOT, env=env | {"PGAPPNAME": "bench-webhook"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        exe = Path(sys.executable).parent / "mtaabot"
        base = f"http://127.0.0.1:{port}"
        session = requests.Session()
        local = threading.local()

        def post(pnid: str, phone: str, wamid: str, text: str) -> tuple[str, float, float, int]:
            body = _payload(pnid, phone, wamid, text)
            sig = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            if not hasattr(local, "http"):  # one keep-alive connection per sending thread, as Meta does; a
                # plain urllib3 pool: the load generator shares the 2 cores with the path it measures
                local.http = urllib3.HTTPConnectionPool("127.0.0.1", port, maxsize=1, retries=False,
                                                        timeout=urllib3.Timeout(60))
            start = time.time()
            t0 = time.perf_counter()
            resp = local.http.urlopen("POST", "/webhook", body=body,
                                      headers={"Content-Type": "application/json", "X-Hub-Signature-256": sig})
            return wamid, start, (time.perf_counter() - t0) * 1000, resp.status

        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if session.get(base + "/healthz", timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.3)
        # cold start: a message is waiting; worker processes start now; time until the first reply is out
        for w in range(args.workers):
            post(pnids[0], f"25479900{w:04d}", f"wamid.WARM{w}", "Habari")
        spawned = time.time()
        for _ in range(args.workers):
            workers.append(subprocess.Popen([str(exe), "worker", "--senders", str(args.senders),
                                             "--engines", str(args.engines)], cwd=ROOT,
                                            env=env | {"PGAPPNAME": "bench-worker"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs += workers
        first = graph.wait_for(1, timeout=300)
        cold_start_s = round(first[0].at - spawned, 2) if first else None
        graph.wait_for(args.workers, timeout=300)
        time.sleep(1.0)  # every worker process has loaded its models
        warm = len(graph.sent)

        jobs = [(pnids[i % len(pnids)], f"2547{(i % args.customers):08d}", f"wamid.BENCH{i}", jobs_text[i])
                for i in range(args.n)]
        with connect(url, autocommit=True) as conn:
            checkpoints_before = _checkpoints(conn)
            counters_before = _db_counters(conn, db_name)
        log_from = server_log.stat().st_size if args.count_statements and server_log.exists() else None
        sampler = PgSampler(admin) if args.pg_breakdown else None
        if sampler:
            sampler.start()
        cpu_before = _cpu_by_part(procs[0].pid, [w.pid for w in workers])
        t_start = time.time()

        def paced(i: int) -> tuple[str, float, float, int]:
            if args.rate:  # open loop: message i is offered at t_start + i/rate whatever came before
                time.sleep(max(0.0, t_start + i / args.rate - time.time()))
            return post(*jobs[i])

        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(paced, range(len(jobs))))
        t_acked = time.time()
        with connect(url, autocommit=True) as conn:  # every job done and every reply out (a chat handed to
            deadline = time.time() + max(120, args.n)  # the owner stays silent: fewer replies than messages)
            while time.time() < deadline and len(graph.sent) < warm + args.n and conn.execute(
                    """SELECT (SELECT count(*) FROM inbound_jobs WHERE status = 'pending')
                              + (SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')) AS n"""
            ).fetchone()["n"]:
                time.sleep(0.1)
        cpu_after = _cpu_by_part(procs[0].pid, [w.pid for w in workers])
        statement_counts: dict[tuple[str, str], int] = {}
        if log_from is not None:
            with connect(url, autocommit=True) as conn:
                app_of = {r["pid"]: r["application_name"] for r in conn.execute(
                    "SELECT pid, application_name FROM pg_stat_activity WHERE datname = %s", (db_name,)).fetchall()}
            with server_log.open("rb") as fh:
                fh.seek(log_from)
                statement_counts = _count_logged_statements(fh.read().decode("utf-8", "replace"), app_of)
        if sampler:
            sampler.stop.set()
            sampler.join()
        sent = graph.sent
        t_done = max((s.at for s in sent), default=time.time())
        memory = [_rss_mb(w.pid) for w in workers]
        statuses = {r[3] for r in results}
        with connect(url, autocommit=True) as conn:
            settle = time.time() + 15  # the last wamids may still be committing after the fake got them
            while time.time() < settle and conn.execute(
                    "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')").fetchone()["count"]:
                time.sleep(0.1)
            rows = conn.execute(
                """SELECT u.wamid AS inbound, o.wamid AS outbound FROM outbox o
                   JOIN messages b ON b.id = o.message_id JOIN messages u ON u.id = b.reply_to
                   WHERE u.wamid LIKE 'wamid.BENCH%%' AND o.status = 'sent'""").fetchall()
            order_rows = conn.execute(
                """SELECT o.id, u.wamid FROM outbox o JOIN messages b ON b.id = o.message_id
                   JOIN messages u ON u.id = b.reply_to WHERE u.wamid LIKE 'wamid.BENCH%%'""").fetchall()
            stage_rows = conn.execute(
                """SELECT u.wamid, extract(epoch FROM j.created_at) AS stored, extract(epoch FROM o.created_at) AS started,
                          extract(epoch FROM j.done_at) AS done, extract(epoch FROM o.post_started_at) AS posting
                   FROM outbox o JOIN messages b ON b.id = o.message_id JOIN messages u ON u.id = b.reply_to
                   JOIN inbound_jobs j ON j.message_id = u.id
                   WHERE u.wamid LIKE 'wamid.BENCH%%' AND o.status = 'sent'""").fetchall()
            checkpoints_after = _checkpoints(conn)
            if sampler:  # backends report their counters at most once a second while busy, within 10 s when idle
                time.sleep(11)
            counters_after = _db_counters(conn, db_name)
        wamid_of = {f"outbox:{r['id']}": r["wamid"] for r in order_rows}
        last_of: dict[tuple[str, str], int] = {}
        order_violations = 0
        for s in sent:  # in the order the fake Graph API received them
            inbound = wamid_of.get(str(s.body.get("biz_opaque_callback_data")))
            if inbound is None:
                continue
            i = int(inbound.removeprefix("wamid.BENCH"))
            customer = (jobs[i][0], jobs[i][1])  # a chat: one customer of one shop
            if i < last_of.get(customer, -1):
                order_violations += 1  # a reply to an earlier message arrived after a later one's
            last_of[customer] = max(i, last_of.get(customer, -1))
        start_of = {r[0]: r[1] for r in results}
        at_of = {s.wamid: s.at for s in sent}
        e2e = [(at_of[r["outbound"]] - start_of[r["inbound"]]) * 1000 for r in rows if r["outbound"] in at_of]
        ack = [r[2] for r in results]
        stages = _stages(stage_rows, start_of, {r["inbound"]: at_of.get(r["outbound"]) for r in rows}, t_start)
        answered = len(e2e)
        cpu = {part: round(cpu_after[part] - cpu_before[part], 2) for part in cpu_before}
        cpu_ms_per_reply = {part: round(1000 * seconds / max(answered, 1), 2) for part, seconds in cpu.items()}
        per_reply = {k: round((counters_after.get(k, 0) - v) / max(answered, 1), 2)
                     for k, v in counters_before.items() if counters_after.get(k, 0) != v}
        result = {
            "n": args.n, "businesses": args.businesses, "customers": args.customers,
            "concurrency": args.concurrency, "worker_processes": args.workers, "engine_threads": args.engines,
            "sender_threads": args.senders, "offered_rate_per_s": args.rate or None,
            "prior_ai_replies_per_shop": args.prior_ai_replies,
            "http_statuses": sorted(statuses), "answered": answered,
            "ack": summary_ms(ack), "end_to_end": summary_ms(e2e) if e2e else None,
            "ack_rate_per_s": round(args.n / (t_acked - t_start), 1),
            "sustained_replies_per_s": round(answered / (t_done - t_start), 1),
            "duplicate_replies": len(sent) - warm - answered,
            "not_answered": args.n - answered,  # mostly chats handed to the owner earlier (the bot keeps quiet)
            "order_violations": order_violations,
            "baseline_plain_encode": baseline,
            "replies_over_plain_encode": round(answered / (t_done - t_start) / baseline["texts_per_s"], 3),
            "worker_cold_start_s": cold_start_s,
            "worker_memory": memory,
            "cpu_seconds": cpu, "cpu_ms_per_reply": cpu_ms_per_reply,
            "load_average": round(os.getloadavg()[0], 2),
            "load_average_at_start": load_at_start,
            "stages": stages,
            "checkpoints_during_run": {k: checkpoints_after.get(k, 0) - checkpoints_before.get(k, 0)
                                       for k in checkpoints_after},
            "database_per_reply": per_reply,  # transactions, rows, table scans on the bench database, all processes
        }
        if statement_counts:
            by_app: dict[str, float] = {}
            for (app, _), n in statement_counts.items():
                by_app[app] = by_app.get(app, 0) + n
            result["statements_per_reply"] = {
                "by_application": {a: round(n / max(answered, 1), 2) for a, n in sorted(by_app.items())},
                "by_statement": [{"app": a, "statement": q, "per_reply": round(n / max(answered, 1), 3)}
                                 for (a, q), n in sorted(statement_counts.items(), key=lambda kv: -kv[1])[:40]]}
        if sampler:
            result["pg_cpu_ms_per_reply"] = {
                "samples": sampler.samples,
                "by_process": {k: round(v / max(answered, 1), 3) for k, v in
                               sorted(sampler.by_backend.items(), key=lambda kv: -kv[1])},
                "by_statement": [{"app": a, "statement": q, "ms": round(v / max(answered, 1), 3)} for (a, q), v in
                                 sorted(sampler.by_statement.items(), key=lambda kv: -kv[1])[:40]]}
        print(f"webhook load: {args.n} messages, {args.customers} customers, {args.businesses} businesses, "
              f"concurrency {args.concurrency}, {args.workers} worker process(es)")
        print(f"  ack latency      p50 {result['ack']['p50_ms']} ms   p99 {result['ack']['p99_ms']} ms   "
              f"({result['ack_rate_per_s']} deliveries/s acked; statuses {sorted(statuses)})")
        if e2e:
            print(f"  end-to-end       p50 {result['end_to_end']['p50_ms']} ms   p99 {result['end_to_end']['p99_ms']} ms")
        print(f"  sustained        {result['sustained_replies_per_s']} replies/s  ({answered}/{args.n} answered, "
              f"{result['duplicate_replies']} extra sends, {order_violations} order violations)")
        print(f"  vs plain encode  {result['replies_over_plain_encode']}x of {baseline['texts_per_s']} texts/s "
              f"(same texts, own process, same run)")
        print(f"  workers          cold start {cold_start_s} s (process start -> first reply); memory {memory}")
        print(f"  CPU ms per reply {cpu_ms_per_reply} (total {round(sum(cpu.values()), 1)} s over "
              f"{round(t_done - t_start, 1)} s on {os.cpu_count()} cores)")
        for name, st in stages["p50_p99_ms"].items():
            print(f"  stage {name:<22} p50 {st[0]} ms   p99 {st[1]} ms")
        print(f"  slowest 1% ({stages['tail_n']}): mean ms by stage {stages['tail_mean_ms']}; "
              f"offered at {stages['tail_offered_at_s']} s into the run")
        print(f"  checkpoints during the load: {result['checkpoints_during_run']}")
        print("  bench database per reply (all processes): " + ", ".join(
            f"{k} {v}" for k, v in per_reply.items() if "." not in k))
        rows_read = sorted(((k, v) for k, v in per_reply.items() if k.endswith(("tup_read", "tup_fetch"))),
                           key=lambda kv: -kv[1])
        print("  rows read per reply, most first: " + ", ".join(f"{k} {v}" for k, v in rows_read[:12]))
        if statement_counts:
            sp = result["statements_per_reply"]
            print(f"  statements per reply by application: {sp['by_application']}")
            for row in sp["by_statement"][:30]:
                print(f"    {row['per_reply']:7.3f}  {row['app']:<14} {row['statement']}")
        if sampler:
            pg = result["pg_cpu_ms_per_reply"]
            print(f"  PostgreSQL CPU ms per reply by process ({pg['samples']} samples): {pg['by_process']}")
            for row in pg["by_statement"][:25]:
                print(f"    {row['ms']:7.3f}  {row['app']:<14} {row['statement']}")
        write_json(args.json, {"webhook_load": result})
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        graph.stop()
        from mtaabot.db import close_pools

        close_pools()
        if args.keep_db:
            print(f"  kept the scratch database {db_name}")
        else:
            with psycopg.connect(admin, autocommit=True) as c:
                c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db_name)))


if __name__ == "__main__":
    main()
