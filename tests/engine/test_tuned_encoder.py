"""The fine-tuned encoder (issue 20): trained only on what the project owns, used for products and queries alike
when the build made it, and stored under its own model version so a shop's products are embedded again."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import psycopg
import pytest

from mtaabot.config import PROJECT_ROOT
from mtaabot.devtools.encoder_tuning import batches, read_catalogues, training_pairs
from mtaabot.vocabulary import expand_query

EVAL_MESSAGES = [*PROJECT_ROOT.glob("tests/fixtures/eval*/*.jsonl"), *PROJECT_ROOT.glob("tests/fixtures/engine/*.jsonl"),
                 *(PROJECT_ROOT.parent / "shared" / "eval").glob("*.jsonl")]


def test_training_pairs_never_contain_an_evaluation_message() -> None:
    pairs = training_pairs(read_catalogues())
    texts = {t.strip().lower() for p in pairs for t in (p.anchor, p.positive)}
    messages = {json.loads(line)["text"].strip().lower() for path in EVAL_MESSAGES
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert len(messages) > 500 and len(pairs) > 1000
    assert not texts & messages


def test_the_committed_models_name_the_encoder_a_fresh_install_builds() -> None:
    """Editing a file the encoder is tuned on (a demo catalogue row, the vocabulary) changes the version `make
    install` writes; the committed heads then name an encoder no fresh install has, so on a clean machine they are
    refused and customers get the n-gram head alone, while a stale build/ here still answered as before."""
    from mtaabot.devtools.encoder_tuning import version_this_checkout_builds
    from mtaabot.retrieval_model import MODEL_PATH
    from mtaabot.understanding_model import MODEL_FILE

    built = version_this_checkout_builds()
    understanding = json.loads((PROJECT_ROOT / "mtaabot" / "data" / MODEL_FILE).read_text(encoding="utf-8"))
    named = {head["encoder"] for head in understanding["heads"].values() if "encoder" in head}
    named.add(json.loads(MODEL_PATH.read_text(encoding="utf-8"))["encoder"])
    assert named and all(n.endswith("+" + built) for n in named), (
        f"the heads name {sorted(named)}, this checkout builds {built}: rebuild the encoder, then retrain the heads")


def test_local_questions_are_taught_raw_and_as_the_bridge_gives_them_to_the_encoder() -> None:
    rows = [{"name": "Kiwi Shoe Polish", "description": "Black shoe polish (rangi ya viatu), 50ml",
             "metadata": ""}]
    pairs = training_pairs(rows)
    about = [p for p in pairs if p.positive.startswith("Kiwi Shoe Polish")]
    anchors = {p.anchor for p in about}
    assert "Kiwi Shoe Polish" in anchors
    assert any("viatu" in a for a in anchors)  # the shop's bracketed local name, in a customer's question
    assert any(expand_query(a).english == b for a in anchors for b in anchors if a != b)  # and bridged
    assert {p.key for p in about} == {"kiwi shoe polish"}


def test_a_batch_never_holds_the_same_product_or_gloss_twice() -> None:
    pairs = training_pairs(read_catalogues())
    out = batches(pairs, 32)
    assert all(len({p.key for p in b}) == len(b) for b in out)
    assert all(len({p.positive for p in b}) == len(b) for b in out)
    assert sum(map(len, out)) >= len(pairs) - 32


def _fake_tuned_build(models: Path, version: str) -> Path:
    """A build directory holding the packaged weights as 'tuned' (the switch is what is under test here)."""
    from mtaabot.embeddings import TUNED_NAME, packaged_model_path

    tuned = models / TUNED_NAME
    tuned.mkdir(parents=True)
    for item in packaged_model_path().iterdir():
        (tuned / item.name).symlink_to(item)
    (tuned / "VERSION").write_text(version + "\n", encoding="utf-8")
    return tuned


def test_products_and_queries_follow_the_built_encoder_and_products_are_embedded_again(
        conn: psycopg.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mtaabot import embeddings
    from tests.engine.conftest import make_shop

    monkeypatch.setenv("MTAABOT_ONNX_DIR", str(tmp_path))
    monkeypatch.setenv("MTAABOT_QUERY_CACHE_SIZE", "0")
    packaged = embeddings.model_version()
    shop = make_shop(conn)
    assert embeddings.count_stale_products(conn, shop["id"]) == 0

    (tmp_path / embeddings.TUNED_NAME).mkdir()  # half built: no VERSION yet, so not used
    assert embeddings.model_path() == embeddings.packaged_model_path()
    (tmp_path / embeddings.TUNED_NAME).rmdir()

    tuned = _fake_tuned_build(tmp_path, "mtaa-test-0123456789")
    assert embeddings.model_path() == tuned
    assert embeddings.model_version() == f"{packaged}+mtaa-test-0123456789"
    assert embeddings.onnx_path().parent == tmp_path and "mtaa-test" in embeddings.onnx_path().name
    n = embeddings.count_stale_products(conn, shop["id"])
    assert n > 10  # a new model version: every product of the shop waits for its new vector
    assert embeddings.embed_stale_products(conn, shop["id"]) == n
    assert embeddings.count_stale_products(conn, shop["id"]) == 0
    monkeypatch.setenv("MTAABOT_TUNED_ENCODER", "0")
    assert embeddings.model_path() == embeddings.packaged_model_path()
    assert embeddings.model_version() == packaged
    assert np.isclose(np.linalg.norm(embeddings.encode_query("unga")), 1.0, atol=1e-5)


def test_the_workers_query_encoder_is_the_encoder_products_were_embedded_with(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What `make install` left in build/models/ (the fine-tuned encoder, exported to ONNX): the worker's query
    vectors are the product pipeline's vectors of the same text, so a tuned query never meets packaged products."""
    from mtaabot import embeddings

    monkeypatch.delenv("MTAABOT_ONNX_DIR", raising=False)
    monkeypatch.delenv("MTAABOT_EMBED_MODEL", raising=False)
    monkeypatch.setenv("MTAABOT_QUERY_CACHE_SIZE", "0")
    if embeddings.query_backend() != "onnx":
        pytest.skip("no ONNX export in build/models (make install not run)")
    texts = ["Niaje, timba ni ngapi?", "Mna mafuta ya kupikia lita mbili", "Do you fix cracked phone screens?"]
    queries = embeddings.encode_queries(texts, cache=False)
    assert (queries * embeddings.encode(texts)).sum(1).min() > 0.9999
