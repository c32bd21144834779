"""Embedding throughput: the `product_embeddings` Dagster asset (products/s, database round trips
included) against the bare model's `encode` on the same texts, in the same run.

    python -m benchmarks.embedding_bench [--products 1000] [--batch-size 256] [--json FILE]

Runs in its own database (`embedding_bench`, recreated) on DATABASE_URL's server or the embedded one.
"""

from __future__ import annotations

import argparse
import random
import time

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from benchmarks.common import plain_encode_baseline, write_json

DB_NAME = "embedding_bench"
ADJECTIVES = ["Fresh", "Premium", "Budget", "Family", "Mini", "Mega", "Classic", "Original", "Super", "Daily"]


def _bench_url() -> str:
    from mtaabot.db import database_url

    head, _, query = database_url().partition("?")
    admin = head.rsplit("/", 1)[0] + "/postgres" + (f"?{query}" if query else "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    return head.rsplit("/", 1)[0] + f"/{DB_NAME}" + (f"?{query}" if query else "")


def _catalogue(conn: psycopg.Connection, n: int) -> None:
    """n products: the demo catalogues' items in many variants (sizes, brands), spread over the demo shops."""
    from mtaabot.devtools.demo import seed_demo

    seed_demo(conn)
    base = conn.execute("SELECT business_id, name, description, price, metadata FROM products").fetchall()
    rng = random.Random(3)
    rows = []
    for i in range(max(0, n - len(base))):
        p = rng.choice(base)
        rows.append((p["business_id"], f"{rng.choice(ADJECTIVES)} {p['name']} #{i}",
                     f"{p['description']} Variant {i % 7}, pack of {1 + i % 12}.", p["price"] + i % 50,
                     Jsonb({**(p["metadata"] or {}), "variant": i % 7})))
    with conn.cursor() as cur, cur.copy(
            "COPY products (business_id, name, description, price, metadata) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    conn.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    import dagster as dg

    from mtaabot.db import connect
    from mtaabot.db.migrate import migrate
    from mtaabot.embeddings import encode_products, product_text
    from orchestration.assets.embeddings import product_embeddings
    from orchestration.resources import MtaabotDatabase

    url = _bench_url()
    with connect(url) as conn:
        migrate(conn)
        _catalogue(conn, args.products)
        products = conn.execute("SELECT name, description, metadata FROM products").fetchall()
    texts = [product_text(p) for p in products]
    baseline = plain_encode_baseline(texts)
    bare_s, bare_rate = baseline["seconds"], len(texts) / baseline["seconds"]
    print(f"plain SentenceTransformer.encode (own process, default {baseline['threads']} torch threads, "
          f"batch 64): {len(texts):,} texts in {bare_s:.2f} s = {bare_rate:,.1f} texts/s", flush=True)
    encode_products(texts[:64])  # load the project's encoder before timing the asset (as the baseline warms up)

    resources = {"database": MtaabotDatabase(url=url)}
    config = dg.RunConfig(ops={"product_embeddings": {"config": {"batch_size": args.batch_size}}})
    # the throwaway in-memory Dagster instance is made before the clock starts (as the baseline's model is
    # loaded before its clock): the timed part is the whole asset run (launch, resources, step, events)
    instance = dg.DagsterInstance.ephemeral()
    start = time.perf_counter()
    first = dg.materialize([product_embeddings], resources=resources, run_config=config, instance=instance)
    asset_s = time.perf_counter() - start
    meta = {k: v.value for k, v in first.asset_materializations_for_node("product_embeddings")[0].metadata.items()}
    asset_rate = meta["embedded"] / asset_s
    print(f"product_embeddings asset: {meta['embedded']:,} products in {asset_s:.2f} s = {asset_rate:,.1f} "
          f"products/s ({asset_rate / bare_rate:.0%} of bare encode; embedding loop alone "
          f"{meta['products_per_second']:,.1f} products/s)", flush=True)

    start = time.perf_counter()
    second = dg.materialize([product_embeddings], resources=resources, run_config=config, instance=instance)
    noop_s = time.perf_counter() - start
    again = second.asset_materializations_for_node("product_embeddings")[0].metadata["embedded"].value
    print(f"second run (nothing changed): {again} re-embedded in {noop_s:.2f} s", flush=True)
    write_json(args.json, {
        "products": len(texts), "bare_encode_per_s": round(bare_rate, 1), "bare_encode_s": round(bare_s, 2),
        "asset_products_per_s": round(asset_rate, 1), "asset_s": round(asset_s, 2),
        "asset_loop_products_per_s": meta["products_per_second"], "asset_over_bare": round(asset_rate / bare_rate, 3),
        "noop_run_s": round(noop_s, 2), "noop_reembedded": again,
    })


if __name__ == "__main__":
    main()
