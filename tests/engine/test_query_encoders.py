"""Query encoders (issue 21): the ONNX export made at build time and the worker's batched encoding give the
vectors of the packaged sentence-transformers pipeline, so retrieval compares like with like."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pytest
from pgvector.psycopg import register_vector
from psycopg.rows import dict_row

TEXTS = ["Niaje, unga ni ngapi?", "Do you have cooking oil 1 litre?", "Sukari kilo moja bei gani boss",
         "mna mkate", "Hi, how much is a bag of cement? I need ten bags delivered to Kawangware tomorrow"]


def _reference(texts: list[str]) -> np.ndarray:
    from mtaabot.embeddings import encode

    return encode(texts)


@pytest.mark.slow
def test_onnx_export_from_the_packaged_weights_gives_the_pipelines_vectors(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from mtaabot import embeddings

    monkeypatch.setenv("MTAABOT_ONNX_DIR", str(tmp_path))
    monkeypatch.setenv("MTAABOT_QUERY_CACHE_SIZE", "0")
    assert embeddings.query_backend() != "onnx"  # nothing exported here yet: torch answers
    path = embeddings.export_onnx()
    assert path.parent == tmp_path and path.stat().st_size > 10_000_000
    assert embeddings.query_backend() == "onnx"
    batched = embeddings.encode_queries(TEXTS, cache=False)
    one_by_one = np.stack([embeddings.encode_query(t) for t in TEXTS])
    reference = _reference(TEXTS)
    assert (batched * reference).sum(1).min() > 0.9999
    assert (one_by_one * reference).sum(1).min() > 0.9999
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


def test_the_workers_batched_torch_encoding_matches_the_pipeline(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    from mtaabot import embeddings

    monkeypatch.setenv("MTAABOT_ONNX_DIR", str(tmp_path))  # no export there: the torch encoders
    monkeypatch.setenv("MTAABOT_QUERY_CACHE_SIZE", "0")
    assert embeddings.query_backend() == "int8"
    batched = embeddings.encode_queries(TEXTS * 2, cache=False)  # a batch: fp32, padded, length-sorted
    assert (batched[:5] * _reference(TEXTS)).sum(1).min() > 0.9999
    assert np.allclose(batched[:5], batched[5:])
    single = embeddings.encode_query(TEXTS[0])  # one query alone: the int8 encoder, close to fp32
    assert float(single @ batched[0]) > 0.9


def test_with_the_query_cache_off_a_batchs_vectors_last_through_its_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """MTAABOT_QUERY_CACHE_SIZE=0 means "only within one worker batch": the engine's one-text lookups after the
    batched encode find every message's vector (the first lookup used to trim the cache to one entry, so each
    later message of the batch ran the encoder again)."""
    from mtaabot import embeddings

    monkeypatch.setenv("MTAABOT_QUERY_CACHE_SIZE", "0")
    embeddings.forget_queries()
    batched = embeddings.encode_queries(TEXTS)
    for i, text in enumerate(TEXTS):  # as the engine reads them, one message after the other
        assert all(t in embeddings._batched for t in TEXTS[i:])
        assert np.array_equal(embeddings.encode_queries([text])[0], batched[i])
    nxt = [f"{t} tafadhali" for t in TEXTS[:3]]
    embeddings.encode_queries(nxt)  # the next batch: only its own vectors are kept
    assert sorted(embeddings._batched) == sorted(nxt)
    embeddings.forget_queries()


def test_re_embedding_in_length_order_gives_each_product_its_own_texts_vector(conn: Any) -> None:
    """Re-embedding reads the stale products, encodes them sorted by text length in several batches while a
    writer thread stores the previous batch: every product still gets the vector of its own text (the plain
    pipeline's), committed, and reported batch by batch."""
    from mtaabot.embeddings import embed_stale_products, model_version, product_text
    from tests.engine.conftest import make_shop

    shop = make_shop(conn)
    products = conn.execute("SELECT id, name, description, metadata FROM products WHERE business_id = %s",
                            (shop["id"],)).fetchall()
    assert len(products) >= 8 and len({len(product_text(p)) for p in products}) > 3
    conn.execute("DELETE FROM product_embeddings WHERE business_id = %s", (shop["id"],))
    conn.commit()
    reported: list[int] = []
    assert embed_stale_products(conn, shop["id"], batch_size=3, on_batch=reported.append) == len(products)
    assert reported == sorted(reported) and reported[-1] == len(products) and len(reported) > 2
    with psycopg.connect(conn.info.dsn, row_factory=dict_row) as other:  # committed: another session sees it
        register_vector(other)
        rows = other.execute("SELECT product_id, embedding FROM product_embeddings WHERE business_id = %s "
                             "AND model = %s", (shop["id"], model_version())).fetchall()
    got = {r["product_id"]: np.asarray(r["embedding"].to_list() if hasattr(r["embedding"], "to_list")
                                       else r["embedding"], dtype=np.float32) for r in rows}
    assert set(got) == {p["id"] for p in products}
    reference = _reference([product_text(p) for p in products])
    for p, ref in zip(products, reference, strict=True):
        assert float(got[p["id"]] @ ref) > 0.9999, p["name"]


def test_re_embedding_on_every_core_gives_each_text_its_own_vector(monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-embedding splits a batch into length-sorted chunks run side by side, one per core: however the chunks
    come back, each product gets the pipeline's vector of its own text, not a neighbour's."""
    from mtaabot import embeddings

    if embeddings._onnx(1) is None:
        pytest.skip("the build made no ONNX export here: re-embedding is the plain pipeline itself")
    monkeypatch.setenv("MTAABOT_EMBED_THREADS", "2")
    texts = [f"{TEXTS[i % len(TEXTS)]} {'tafadhali ' * (i % 9)}#{i}" for i in range(5 * embeddings.PRODUCT_CHUNK)]
    got = embeddings.encode_products(texts)
    assert got.shape == (len(texts), embeddings.DIMENSIONS)
    assert (got * _reference(texts)).sum(1).min() > 0.9999


def test_a_messages_query_vector_does_not_depend_on_the_batch_it_arrives_in() -> None:
    """The worker encodes a micro-batch's queries together, ordered by length and cut into small runs: a
    customer's question gets exactly the vector (so the same products and the same reply) whether it arrived
    alone or beside any other messages, short or long."""
    from mtaabot import embeddings

    if embeddings._onnx() is None:
        pytest.skip("the build made no ONNX export here: queries go through torch")
    texts = [f"{TEXTS[i % len(TEXTS)]} {'tafadhali ' * (i % 11)}{'na ' * (i % 5)}#{i}"
             for i in range(3 * embeddings.QUERY_CHUNK + 5)]
    alone = np.stack([embeddings._encode_onnx([t])[0] for t in texts])
    together = embeddings._encode_onnx(texts)
    assert np.array_equal(together, alone)
    assert np.array_equal(embeddings._encode_onnx(texts[::-1]), alone[::-1])
    assert (alone * _reference(texts)).sum(1).min() > 0.9999
