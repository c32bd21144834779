"""Asset `product_embeddings`: re-embed only products whose text or the model changed, in batches."""

import math
import time

import dagster as dg

from orchestration.resources import MtaabotDatabase


class EmbeddingConfig(dg.Config):
    batch_size: int = 256


@dg.asset(group_name="engine", kinds={"python", "postgres"},
          description="pgvector embeddings of every product for the current model; only changed products "
                      "(content hash) are re-embedded, all of them when the model version changes.")
def product_embeddings(context: dg.AssetExecutionContext, config: EmbeddingConfig,
                       database: MtaabotDatabase) -> dg.MaterializeResult:
    from mtaabot.embeddings import count_stale_products, embed_stale_products, model_version

    with database.connect() as conn:
        stale = count_stale_products(conn)
        started = time.perf_counter()
        def progress(done: int) -> None:
            elapsed = time.perf_counter() - started
            context.log.info("embedded %s of %s stale products (%.1f products/s)", done, stale,
                             done / elapsed if elapsed > 0 else 0.0)

        embedded = embed_stale_products(conn, batch_size=config.batch_size, on_batch=progress)
        seconds = time.perf_counter() - started
        totals = conn.execute(
            "SELECT count(*) AS products, count(*) FILTER (WHERE is_available) AS available FROM products"
        ).fetchone()
    context.log.info("embedded %s of %s products with %s in %.2fs", embedded, totals["products"],
                     model_version(), seconds)
    return dg.MaterializeResult(metadata={
        "embedded": embedded,
        "stale_before": stale,
        "batches": math.ceil(embedded / config.batch_size) if embedded else 0,
        "products_total": totals["products"],
        "products_available": totals["available"],
        "model": model_version(),
        "seconds": round(seconds, 3),
        "products_per_second": round(embedded / seconds, 1) if embedded and seconds > 0 else 0.0,
    })


@dg.asset_check(asset=product_embeddings, description="Every available product has an embedding for the "
                "current model, made from its current text.")
def every_available_product_embedded(database: MtaabotDatabase) -> dg.AssetCheckResult:
    from mtaabot.embeddings import model_version

    with database.connect() as conn:
        row = conn.execute(
            """SELECT count(*) AS missing FROM products p
               LEFT JOIN product_embeddings e ON e.product_id = p.id AND e.model = %s
               WHERE coalesce(p.is_available, true)
                 AND (e.product_id IS NULL OR e.content_hash IS DISTINCT FROM p.content_hash)""",
            (model_version(),),
        ).fetchone()
    missing = int(row["missing"])
    return dg.AssetCheckResult(passed=missing == 0, metadata={"missing": missing, "model": model_version()})
