"""Retrieval at scale: 100,000 products over 1,000 businesses, HNSW (pgvector 0.8 iterative scans) vs per-tenant exact.

A dedicated embedded PostgreSQL under /tmp (MTAABOT_HOME=/tmp/mtaabot-bench-retrieval by default, kept
between runs so the data is generated once) with the real migrations. Product vectors are
random-but-plausible: 384-d unit vectors clustered around 3,000 "product kinds" (the shape MiniLM
gives a catalogue), shop sizes skewed (most shops carry 20-150 products, a few several thousand).
A query is a product's vector plus noise (a customer asking about it in other words), against
that product's shop.

For each strategy it prints p50/p99 latency (client round trip, one connection) and recall@5
against exact search (the true top 5 within the shop), then which strategy wins and why.

    .venv/bin/python -m benchmarks.retrieval_bench [--queries 400] [--hnsw-queries 80] [--json out.json]
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
from pgvector.psycopg import register_vector
from psycopg import sql
from psycopg.types.json import Jsonb

from benchmarks.common import cores, summary_ms, write_json

DIM = 384
N_BUSINESSES = 1_000
N_PRODUCTS = 100_000
MODEL = "bench-clustered-384"
DATABASE = "retrieval_bench"
SEED = 20261125

EXACT_SQL = """
SELECT product_id FROM (
    SELECT product_id, embedding <=> %(q)s AS d FROM product_embeddings
    WHERE business_id = %(bid)s AND model = %(model)s OFFSET 0) s
ORDER BY d LIMIT 5"""
# pgvector 0.8: the filter is applied while the HNSW graph is walked; relaxed order needs a re-sort.
HNSW_SQL = """
WITH r AS MATERIALIZED (
    SELECT product_id, embedding <=> %(q)s AS d FROM product_embeddings
    WHERE business_id = %(bid)s AND model = %(model)s ORDER BY embedding <=> %(q)s LIMIT 5)
SELECT product_id FROM r ORDER BY d"""


def _sizes(rng: np.random.Generator) -> np.ndarray:
    raw = rng.lognormal(mean=0.0, sigma=1.1, size=N_BUSINESSES)
    sizes = np.maximum(5, np.round(raw / raw.sum() * N_PRODUCTS)).astype(int)
    sizes[np.argmax(sizes)] += N_PRODUCTS - sizes.sum()  # exactly N_PRODUCTS in all
    return sizes


def _vectors(rng: np.random.Generator, n: int, centroids: np.ndarray) -> np.ndarray:
    kinds = rng.integers(0, len(centroids), size=n)
    vecs = centroids[kinds] + 0.045 * rng.standard_normal((n, DIM)).astype(np.float32)
    return (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)


def _server(home: Path) -> str:
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp/xdg0")
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, parents=True, exist_ok=True)
    from mtaabot.db.server import start_embedded

    admin = start_embedded(home)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
    head, _, query = admin.partition("?")
    return head.rsplit("/", 1)[0] + f"/{DATABASE}" + (f"?{query}" if query else "")


def _load(conn: psycopg.Connection) -> dict[str, Any]:
    """Generate the data set once (kept in the bench home); returns load/index timings."""
    from mtaabot.db.migrate import migrate

    migrate(conn)
    conn.commit()
    register_vector(conn)
    have = conn.execute("SELECT count(*) FROM product_embeddings WHERE model = %s", (MODEL,)).fetchone()[0]
    if have == N_PRODUCTS:
        first = conn.execute("SELECT info FROM bench_setup LIMIT 1").fetchone() \
            if conn.execute("SELECT to_regclass('bench_setup')").fetchone()[0] else None
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE product_embeddings")
        conn.autocommit = False
        return {"generated": False} | ({"first_run": first[0]} if first else {})
    for table in ("product_embeddings", "products", "businesses"):
        conn.execute(sql.SQL("TRUNCATE {} CASCADE").format(sql.Identifier(table)))
    conn.execute("DROP INDEX IF EXISTS idx_product_embeddings_hnsw")
    rng = np.random.default_rng(SEED)
    centroids = rng.standard_normal((3_000, DIM)).astype(np.float32)
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    sizes = _sizes(rng)
    bids = [uuid.uuid4() for _ in range(N_BUSINESSES)]
    t0 = time.perf_counter()
    with conn.cursor().copy("COPY businesses (id, name) FROM STDIN") as copy:
        for i, bid in enumerate(bids):
            copy.write_row((bid, f"Bench duka {i:04d}"))
    vecs = _vectors(rng, N_PRODUCTS, centroids)
    owners = np.repeat(np.arange(N_BUSINESSES), sizes)
    pids = [uuid.uuid4() for _ in range(N_PRODUCTS)]
    with conn.cursor().copy("COPY products (id, business_id, name, price) FROM STDIN") as copy:
        for i, pid in enumerate(pids):
            copy.write_row((pid, bids[owners[i]], f"product {i}", 100 + i % 900))
    with conn.cursor().copy("COPY product_embeddings (product_id, business_id, model, content_hash, embedding) "
                            "FROM STDIN WITH (FORMAT BINARY)") as copy:
        copy.set_types(["uuid", "uuid", "varchar", "text", "vector"])
        for i, pid in enumerate(pids):
            copy.write_row((pid, bids[owners[i]], MODEL, "bench", vecs[i]))
    conn.commit()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    conn.execute("SET maintenance_work_mem = '1GB'")
    conn.execute("SET max_parallel_maintenance_workers = 1")
    conn.execute("CREATE INDEX idx_product_embeddings_hnsw ON product_embeddings USING hnsw "
                 "(embedding vector_cosine_ops)")
    conn.commit()
    index_s = time.perf_counter() - t0
    conn.autocommit = True
    conn.execute("VACUUM ANALYZE product_embeddings")
    conn.autocommit = False
    setup = {"generated": True, "load_s": round(load_s, 1), "hnsw_build_s": round(index_s, 1)}
    conn.execute("CREATE TABLE IF NOT EXISTS bench_setup (info JSONB)")
    conn.execute("INSERT INTO bench_setup VALUES (%s)", (Jsonb(setup),))
    conn.commit()
    return setup


def _queries(conn: psycopg.Connection, n: int) -> list[tuple[Any, np.ndarray]]:
    """n (business, query vector) pairs: a random shop, one of its products, asked in other words."""
    rng = np.random.default_rng(SEED + 1)
    rows = conn.execute(
        "SELECT business_id, embedding FROM product_embeddings WHERE model = %s ORDER BY random() LIMIT %s",
        (MODEL, n)).fetchall()
    out = []
    for bid, emb in rows:
        q = np.asarray(emb.to_numpy() if hasattr(emb, "to_numpy") else emb, dtype=np.float32)
        q = q + 0.035 * rng.standard_normal(DIM).astype(np.float32)
        out.append((bid, (q / np.linalg.norm(q)).astype(np.float32)))
    return out


def _run(conn: psycopg.Connection, query: str, settings: dict[str, str], qs: list[tuple[Any, np.ndarray]],
         truth: list[list[Any]] | None) -> tuple[dict[str, Any], list[list[Any]]]:
    timings, results = [], []
    for i, (bid, q) in enumerate([*qs[:20], *qs]):  # the first 20 warm caches and prepared plans
        start = time.perf_counter()
        with conn.transaction():
            for name, value in settings.items():
                conn.execute(sql.SQL("SET LOCAL {} = {}").format(sql.Identifier(*name.split(".")),
                                                                 sql.Literal(value)))
            ids = [r[0] for r in conn.execute(query, {"q": q, "bid": bid, "model": MODEL}, prepare=True)]
        if i >= 20:
            timings.append((time.perf_counter() - start) * 1000)
            results.append(ids)
    out: dict[str, Any] = summary_ms(timings)
    if truth is not None:
        hits = sum(len(set(got) & set(want)) for got, want in zip(results, truth, strict=True))
        out["recall_at_5"] = round(hits / sum(len(w) for w in truth), 4)
    return out, results


def _plan(conn: psycopg.Connection, query: str, settings: dict[str, str], bid: Any, q: np.ndarray) -> str:
    with conn.transaction():
        for name, value in settings.items():
            conn.execute(sql.SQL("SET LOCAL {} = {}").format(sql.Identifier(*name.split(".")), sql.Literal(value)))
        rows = conn.execute("EXPLAIN " + query, {"q": q, "bid": bid, "model": MODEL}).fetchall()
    text = " ".join(r[0] for r in rows)
    return "hnsw" if "idx_product_embeddings_hnsw" in text else "exact"


def run(queries: int = 400, hnsw_queries: int = 80, home: Path | None = None) -> dict[str, Any]:
    home = home or Path(os.environ.get("MTAABOT_BENCH_HOME", "/tmp/mtaabot-bench-retrieval"))
    url = _server(home)
    with psycopg.connect(url) as conn:
        setup = _load(conn)
        version = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()[0]
        sizes = [r[0] for r in conn.execute("SELECT count(*) FROM product_embeddings WHERE model = %s "
                                            "GROUP BY business_id", (MODEL,))]
        qs = _queries(conn, queries)
        exact, truth = _run(conn, EXACT_SQL, {}, qs, None)
        exact["recall_at_5"] = 1.0
        strategies: dict[str, Any] = {"per_tenant_exact": exact | {"plan": _plan(conn, EXACT_SQL, {}, *qs[0])}}
        n_hnsw = min(len(qs), hnsw_queries)  # HNSW with a 0.1% filter is slow: fewer queries keep the run short
        for mode, ef in (("relaxed_order", "40"), ("relaxed_order", "200"), ("strict_order", "40")):
            settings = {"hnsw.iterative_scan": mode, "hnsw.ef_search": ef, "enable_sort": "off"}
            res, _ = _run(conn, HNSW_SQL, settings, qs[:n_hnsw], truth[:n_hnsw])
            strategies[f"hnsw_{mode}_ef{ef}"] = res | {"plan": _plan(conn, HNSW_SQL, settings, *qs[0])}
        # the big shops are where exact search costs most: measure them on their own
        big = conn.execute("SELECT business_id FROM product_embeddings WHERE model = %s GROUP BY business_id "
                           "ORDER BY count(*) DESC LIMIT 10", (MODEL,)).fetchall()
        big_ids = {r[0] for r in big}
        rng = np.random.default_rng(SEED + 2)
        big_qs = []
        for bid in big_ids:
            for (emb,) in conn.execute("SELECT embedding FROM product_embeddings WHERE business_id = %s "
                                       "ORDER BY random() LIMIT 20", (bid,)):
                v = np.asarray(emb.to_numpy(), dtype=np.float32) + 0.035 * rng.standard_normal(DIM).astype(np.float32)
                big_qs.append((bid, v / np.linalg.norm(v)))
        big_exact, _ = _run(conn, EXACT_SQL, {}, big_qs, None)
    ok = [(name, s) for name, s in strategies.items() if s.get("recall_at_5", 0) >= 0.95]
    best_name, best = min(ok, key=lambda kv: kv[1]["p99_ms"]) if ok else ("none", {})
    why = (f"{best_name} wins: recall@5 {best.get('recall_at_5')} at p99 {best.get('p99_ms')} ms. "
           "A shop holds at most a few thousand products, so scoring all of them with the "
           "(business_id, model) b-tree is cheap and exact; a global HNSW graph must walk past ~99.9% "
           "of other shops' vectors to find five of this shop's, so it is slower and, unless "
           "ef_search/max_scan_tuples grow, misses some.")
    return {
        "pgvector": version, "cores": cores(), "businesses": len(sizes), "products": sum(sizes),
        "shop_size": {"median": int(np.median(sizes)), "max": int(max(sizes)), "min": int(min(sizes))},
        "queries": len(qs), "setup": setup, "strategies": strategies,
        "largest_shops_exact": big_exact | {"shops": len(big_ids)},
        "winner": best_name, "why": why,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--hnsw-queries", type=int, default=80)
    parser.add_argument("--json", help="also write the results as JSON to this file")
    args = parser.parse_args()
    result = run(args.queries, args.hnsw_queries)
    print(f"retrieval over {result['products']} products / {result['businesses']} shops "
          f"(pgvector {result['pgvector']}, {result['cores']} cores, shop size median "
          f"{result['shop_size']['median']}, max {result['shop_size']['max']}); setup {result['setup']}")
    for name, s in result["strategies"].items():
        print(f"  {name:34s} p50 {s['p50_ms']:7.2f} ms  p99 {s['p99_ms']:7.2f} ms  "
              f"recall@5 {s['recall_at_5']:.3f}  plan={s['plan']}")
    big = result["largest_shops_exact"]
    print(f"  per-tenant exact on the {big['shops']} largest shops: p50 {big['p50_ms']:.2f} ms, "
          f"p99 {big['p99_ms']:.2f} ms")
    print(result["why"])
    write_json(args.json, result)


if __name__ == "__main__":
    main()
