"""Fine-tune the packaged MiniLM on Swahili/Sheng <-> English pairs the project owns (offline, deterministic).

The pairs come only from things written in this repository: the vocabulary bridge's entries
(`mtaabot.vocabulary.WORDS` / `PHRASES`), product names and descriptions of the shipped catalogues (the demo
catalogue and the dev catalogues under tests/fixtures; never a held-out set), and question templates written
here. Customer messages of the evaluation sets are never read.

Training is a plain torch loop over sentence-transformers' MultipleNegativesRankingLoss (in-batch negatives;
no `datasets`/`accelerate` needed): one epoch, small batches, fixed seed and thread count, so the same inputs
give the same weights on the same machine. `python -m mtaabot.devtools.encoder_tuning [OUT_DIR]` (`make
install`; default build/models/minilm-mtaa) writes a sentence-transformers model directory with a VERSION file.

Measured (benchmarks/encoder_experiment.py, the figures are in its docstring): on eval_v2 retrieval top-1
0.969 -> 0.988 and not sold 0.735 -> 0.765, ../shared/eval unchanged at 1.0 / 1.0.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import shutil
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mtaabot.config import PROJECT_ROOT, offline_models
from mtaabot.retrieval import MODIFIERS
from mtaabot.vocabulary import PHRASES, WORDS, expand_query

offline_models()

RECIPE = "mnrl-v2"  # bump when the pairs or the training settings change: the model version follows
TRAINING: dict[str, float] = {"batch_size": 32, "lr": 2e-5, "epochs": 1, "seed": 20, "threads": 2, "scale": 20.0}
CATALOGUES = (
    "mtaabot/data/demo_catalogue.csv",
    "tests/fixtures/eval/catalogue_dev.csv",
    "tests/fixtures/eval_v2/catalogue.csv",
)

# Question frames written for this file ({x}: a local word or an English product phrase).
LOCAL_FRAMES = (
    "mna {x}?", "bei ya {x} ni ngapi?", "{x} iko?", "mnauza {x}?", "nataka {x}", "niaje, {x} ni pesa ngapi?",
    "kuna {x} leo?", "{x} inapatikana?", "msee, uko na {x}?", "nipe {x} moja", "{x} ni how much?",
    "naomba bei ya {x}", "mko na {x} ya kuuza?", "bro {x} zenu ni ngapi?",
)
ENGLISH_FRAMES = (
    "do you have {x}?", "how much is {x}?", "price of {x}", "I want {x}", "is {x} available?",
    "do you sell {x}?", "need {x} today",
)

_BRACKETED = re.compile(r"\(([^()]{1,60})\)")
_SIZE = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:kg|g|l|ml|litres?|gb|mah|w|inch|pcs)?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Pair:
    anchor: str
    positive: str
    key: str  # pairs with the same key never share a batch (they would be each other's false negatives)


def read_catalogues(paths: Iterable[str] = CATALOGUES, root: Path = PROJECT_ROOT) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for rel in paths:
        with (root / rel).open(encoding="utf-8") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


def evaluation_messages(root: Path = PROJECT_ROOT) -> frozenset[str]:
    """Every message text of the labelled sets (dev, held-out, own), lower-cased: read only so that a templated
    question that happens to be worded like one of them ("mnauza unga?") is left out of training."""
    paths = [*root.glob("tests/fixtures/eval*/*.jsonl"), *root.glob("tests/fixtures/engine/*.jsonl"),
             *(root.parent / "shared" / "eval").glob("*.jsonl")]
    return frozenset(json.loads(line)["text"].strip().lower() for path in paths
                     for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def _product_text(row: dict[str, str]) -> str:
    from mtaabot.embeddings import product_text

    metadata = row.get("metadata") or None
    return product_text({"name": row["name"], "description": row.get("description"),
                         "metadata": json.loads(metadata) if metadata else None})


def _short_name(name: str) -> str:
    """"Jogoo Maize Flour 2kg" -> "maize flour"-like phrase: sizes dropped, lower case, brand kept."""
    return re.sub(r"\s+", " ", _SIZE.sub(" ", name)).strip().lower()


def _stem(w: str) -> str:
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


def _glosses() -> list[tuple[str, str]]:
    """(local word or phrase, English gloss) from the bridge, without entries that only repeat themselves."""
    out = [(k, v) for k, v in {**PHRASES, **WORDS}.items() if k.split() != v.split()[:len(k.split())] or len(v.split()) > 1]
    return [(k, v) for k, v in out if k != v]


def training_pairs(rows: Sequence[dict[str, str]], seed: int = 20, exclude: frozenset[str] | None = None) -> list[Pair]:
    """Anchor/positive pairs: vocabulary glosses in question frames, and catalogue products asked for by
    their name, their bracketed local names, and the local words whose glosses name them. Each local question
    appears raw and as the bridge turns it into English (what the encoder is given at run time). A pair with a
    text of `exclude` (default: every evaluation message) is dropped."""
    rng = random.Random(seed)
    pairs: list[Pair] = []

    def framed(x: str, frames: Sequence[str], k: int) -> list[str]:
        return [f.format(x=x) for f in rng.sample(list(frames), k)]

    for local, english in _glosses():
        pairs.append(Pair(local, english, english))
        for q in framed(local, LOCAL_FRAMES, 2):
            pairs.append(Pair(q, english, english))
        pairs.append(Pair(framed(english, ENGLISH_FRAMES, 1)[0], english, english))
    glosses = _glosses()
    for row in rows:
        text = _product_text(row)
        key = _short_name(row["name"])
        pairs.append(Pair(row["name"], text, key))
        pairs.append(Pair(framed(key, ENGLISH_FRAMES, 1)[0], text, key))
        aliases = [a.strip() for part in _BRACKETED.findall(row.get("description") or "") for a in part.split(",")]
        name_words = {_stem(w) for w in re.findall(r"[a-z]+", (row["name"] + " " + " ".join(aliases)).lower())}
        local_words = [a for a in aliases if a and not a[0].isdigit()]
        # a local word names the product when every thing-word of its gloss is in the product's name
        local_words += [k for k, v in glosses if len(k) > 2 and (named := [_stem(w) for w in v.split()
                        if w not in MODIFIERS]) and all(w in name_words for w in named)]
        for local in sorted(set(local_words))[:12]:
            for q in framed(local, LOCAL_FRAMES, 1):
                pairs.append(Pair(q, text, key))
                bridged = expand_query(q).english
                if bridged != q:
                    pairs.append(Pair(bridged, text, key))
    exclude = evaluation_messages() if exclude is None else exclude
    return [p for p in pairs if p.anchor.strip().lower() not in exclude and p.positive.strip().lower() not in exclude]


def batches(pairs: Sequence[Pair], size: int, seed: int = 20) -> list[list[Pair]]:
    """Shuffled batches in which no key, anchor or positive text repeats."""
    order = list(pairs)
    random.Random(seed).shuffle(order)
    out: list[list[Pair]] = []
    open_: list[tuple[list[Pair], set[str]]] = []
    for p in order:
        marks = {"k:" + p.key, "a:" + p.anchor, "p:" + p.positive}
        for batch, seen in open_:
            if len(batch) < size and not (marks & seen):
                batch.append(p)
                seen |= marks
                break
        else:
            open_.append(([p], set(marks)))
        full = [b for b in open_ if len(b[0]) >= size]
        for b in full:
            out.append(b[0])
            open_.remove(b)
    out.extend(b for b, _ in open_ if len(b) > 1)
    return out


def recipe_digest(pairs: Sequence[Pair], settings: dict[str, object]) -> str:
    h = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for p in pairs:
        h.update(f"{p.anchor}\t{p.positive}\t{p.key}\n".encode())
    return h.hexdigest()[:10]


def version_this_checkout_builds() -> str:
    """The VERSION `make install` writes from this checkout's files with the default settings (no training): the
    committed heads must name it, or a fresh install (CI) builds an encoder they refuse to read."""
    from mtaabot.embeddings import packaged_model_path

    settings = {"base": packaged_model_path().name, **TRAINING}
    return f"mtaa-{RECIPE}-{recipe_digest(training_pairs(read_catalogues(), seed=TRAINING['seed']), settings)}"


def fine_tune(base: Path, out: Path, pairs: Sequence[Pair], *, batch_size: int = 32, lr: float = 2e-5,
              epochs: int = 1, seed: int = 20, threads: int = 2, scale: float = 20.0) -> dict[str, object]:
    """Train `base` on `pairs` with MultipleNegativesRankingLoss and save the model to `out`, with a VERSION
    file naming the recipe and a digest of the pairs and settings (the model version products are stored under)."""
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    from mtaabot.embeddings import quiet_model_loading

    quiet_model_loading()
    digest = recipe_digest(pairs, {"base": base.name, "batch_size": batch_size, "lr": lr, "epochs": epochs,
                                   "seed": seed, "threads": threads, "scale": scale})
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    model = SentenceTransformer(str(base), device="cpu", local_files_only=True)
    model.train()
    loss_fn = MultipleNegativesRankingLoss(model, scale=scale)
    steps = [b for e in range(epochs) for b in batches(pairs, batch_size, seed + e)]
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warmup = max(1, len(steps) // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda i: min((i + 1) / warmup, max(0.0, (len(steps) - i) / max(1, len(steps) - warmup))))
    started = time.perf_counter()
    losses = []
    for batch in steps:
        features = [model.preprocess([p.anchor for p in batch]), model.preprocess([p.positive for p in batch])]
        loss = loss_fn(features, torch.zeros(len(batch)))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(float(loss.detach()))
    model.eval()
    partial = out.with_name(out.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    model.save(str(partial))
    for name in ("vocab.txt", "special_tokens_map.json"):  # the word list mtaabot.language reads, kept as shipped
        if (base / name).exists() and not (partial / name).exists():
            shutil.copyfile(base / name, partial / name)
    if out.exists():
        shutil.rmtree(out)
    (partial / "VERSION").write_text(f"mtaa-{RECIPE}-{digest}\n", encoding="utf-8")  # last: the dir is complete
    partial.replace(out)
    first = sum(losses[:10]) / max(1, len(losses[:10]))
    last = sum(losses[-10:]) / max(1, len(losses[-10:]))
    return {"version": f"mtaa-{RECIPE}-{digest}", "pairs": len(pairs), "steps": len(steps), "seconds": round(time.perf_counter() - started, 1),
            "loss_first10": round(first, 3), "loss_last10": round(last, 3)}


def main(argv: list[str]) -> int:
    import argparse

    from mtaabot.embeddings import TUNED_NAME, models_dir, packaged_model_path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?", help="default: build/models/minilm-mtaa (MTAABOT_ONNX_DIR)")
    parser.add_argument("--catalogues", nargs="*", default=list(CATALOGUES))
    parser.add_argument("--batch-size", type=int, default=int(TRAINING["batch_size"]))
    parser.add_argument("--lr", type=float, default=float(TRAINING["lr"]))
    parser.add_argument("--epochs", type=int, default=int(TRAINING["epochs"]))
    parser.add_argument("--threads", type=int, default=int(TRAINING["threads"]))
    parser.add_argument("--seed", type=int, default=int(TRAINING["seed"]))
    args = parser.parse_args(argv)
    pairs = training_pairs(read_catalogues(args.catalogues), seed=args.seed)
    report = fine_tune(packaged_model_path(), args.out or models_dir() / TUNED_NAME, pairs, batch_size=args.batch_size, lr=args.lr,
                       epochs=args.epochs, threads=args.threads, seed=args.seed)
    print(json.dumps(report), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
