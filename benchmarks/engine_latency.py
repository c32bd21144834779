"""`mtaabot ask`-path latency once the model is warm: store a customer message, run the engine, commit.

Runs against DATABASE_URL or the embedded server, on a temporary shop that is deleted afterwards.
Prints p50 / p95 / max in milliseconds (target: p50 < 50 ms on the 2-core dev machine).

    .venv/bin/python -m benchmarks.engine_latency [--n 200] [--json out.json]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid

import psycopg

from mtaabot import businesses, products
from mtaabot.conversations import Customer, get_or_create_conversation, store_inbound_message
from mtaabot.db import connect
from mtaabot.devtools import demo
from mtaabot.embeddings import embed_stale_products, encode_query, forget_queries
from mtaabot.engine import respond
from mtaabot.understanding_model import features

MESSAGES = [
    "Niaje, unga ni ngapi?", "Do you have cooking oil?", "Sukari kilo moja bei gani?", "Habari", "Asante sana",
    "Mko wapi?", "Mnauza viatu?", "How much is a tray of eggs?", "Maziwa iko?", "Mko open Sunday?",
    "Nataka gesi refill", "Do you sell solar panels?", "Sabuni ya kufua ni pesa ngapi?", "ok",
    "Rice 1kg how much?", "Chai majani iko boss?",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--json", help="also write the result as JSON here")
    args = parser.parse_args()
    from benchmarks.common import scratch_database

    with scratch_database("engine_latency_bench") as url:
        _run(args, connect(url))


def _run(args: argparse.Namespace, conn: psycopg.Connection) -> None:
    shop = businesses.create_business(conn, name=f"Bench Duka {uuid.uuid4().hex[:6]}", tone="mtaa",
                                      location="Kawangware 56", opening_hours="Mon-Sun 7am-9pm")
    products.import_csv(conn, shop["id"], demo.demo_catalogue()["Mama Njeri Duka"])
    conn.commit()
    try:
        embed_stale_products(conn, shop["id"])
        timings = []
        for i in range(args.n + 10):
            text = MESSAGES[i % len(MESSAGES)]
            forget_queries()  # measure real model calls, not either query cache
            features.cache_clear()  # nor the understanding classifiers' feature cache
            start = time.perf_counter()
            conv = get_or_create_conversation(conn, shop["id"], Customer(bsuid=f"local.{uuid.uuid4().hex}"))
            msg, _ = store_inbound_message(conn, business_id=shop["id"], conversation_id=conv["id"], content=text,
                                           wamid=f"local.{uuid.uuid4().hex}")
            respond(conn, business_id=shop["id"], conversation_id=conv["id"], user_message_id=msg["id"])
            conn.commit()
            if i >= 10:  # the first calls load models and warm caches
                timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[int(0.95 * (len(timings) - 1))]
        print(f"engine ask-path latency over {len(timings)} messages (warm): "
              f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms")
        model_only = []
        for i in range(60):
            forget_queries()
            start = time.perf_counter()
            encode_query(MESSAGES[i % len(MESSAGES)])
            model_only.append((time.perf_counter() - start) * 1000)
        print(f"  of which the query embedding alone: p50 {statistics.median(model_only):.1f} ms; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        ordering = []  # a two-message order (cart + confirmation) per new customer
        for i in range(40):
            who = Customer(phone=f"2547{i:08d}")
            for text in ("Nitumie sukari mbili na unga moja", "ndio"):
                forget_queries()
                start = time.perf_counter()
                conv = get_or_create_conversation(conn, shop["id"], who)
                msg, _ = store_inbound_message(conn, business_id=shop["id"], conversation_id=conv["id"],
                                               content=text, wamid=f"local.{uuid.uuid4().hex}")
                respond(conn, business_id=shop["id"], conversation_id=conv["id"], user_message_id=msg["id"])
                conn.commit()
                ordering.append((time.perf_counter() - start) * 1000)
        ordering.sort()
        print(f"  order messages (cart of two items, confirmation): p50 {statistics.median(ordering):.1f} ms, "
              f"p95 {ordering[int(0.95 * (len(ordering) - 1))]:.1f} ms")
        from benchmarks.common import summary_ms, write_json

        write_json(args.json, {"engine": summary_ms(timings) | {"mean_ms": round(statistics.fmean(timings), 2)},
                               "orders": summary_ms(ordering)})
    finally:
        conn.close()

if __name__ == "__main__":
    main()
