"""Trains the understanding classifiers (`mtaabot.understanding_model`) from the repository's training files.

    python -m mtaabot.devtools.train_understanding          # writes mtaabot/data/understanding_model.json
    python -m mtaabot.devtools.train_understanding --cv     # 5-fold figures only, writes nothing

Three heads: `language`, `intent` (complaint / human / opt_out / other) and `kind` (the full-intent head over
the everyday intents), and beside them `embedding`: the intent classes over the sentence vector of each message's
expanded query (`Understanding.query.english`) from the running query encoder (build/models/minilm-mtaa, so
`make install` first); the file records that encoder's `model_version()`. Training data, and nothing else (the held-out sets `tests/fixtures/eval_heldout*` are never read):
- `training/understanding/*.txt`: sentences written by hand for this model (`LANG intent | text`);
- the development sets: `tests/fixtures/eval/*.jsonl` (the copy of ../shared/eval) and
  `tests/fixtures/eval_v2/messages.jsonl`;
- the engine's own lexicons (`mtaabot/data/lexicon_*.txt`): every word as a one-word example of its
  register, at a small weight.

Deterministic: fixed feature order, lbfgs from zero, float32 weights. Needs scikit-learn
(dev dependency); the runtime reads the JSON without it.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
HANDWRITTEN = ROOT / "training" / "understanding"
DEV_SETS = (ROOT / "tests" / "fixtures" / "eval", ROOT / "tests" / "fixtures" / "eval_v2")
OUT = ROOT / "mtaabot" / "data" / "understanding_model.json"
LANGUAGE_CLASSES = ("SHENG", "SWA", "ENG")
INTENT_CLASSES = ("complaint", "human", "opt_out", "other")
# The full-intent head: what an everyday message asks for (the eval labels, price/availability/not_sold as one
# `product`; complaints, requests for a person and opt-outs as `other`, the intent head's business).
KIND_CLASSES = ("product", "order", "booking", "haggle", "location_hours", "delivery", "payment", "greeting",
                "thanks", "other")
_KIND_OF = {"price": "product", "availability": "product", "not_sold": "product"}
LEXICON_WEIGHT = 0.3
C_LANGUAGE = 10.0
C_INTENT = 100.0
C_KIND = 30.0
# The sentence-vector head: C and its share of the blended intent probabilities, chosen leave-one-source-out
# (each training file scored by heads trained without it; issue 20 note): escalation P / R at 0.5 over all
# sources 0.940 / 0.916 with the n-gram head alone, 0.951 / 0.921 with this blend (recall at precision >= 0.95:
# 0.902 -> 0.921); blending the full-intent head as well gained nothing (macro-F1 0.851 -> 0.850-0.855 over all
# sources, lower on eval_dev4_intents and eval_heldout), so only the intent head is blended.
# The full-intent head with the sentence vector as 384 more features beside the n-grams (`kind_vec`, read when
# the message's vector is given): leave-one-source-out intent macro-F1 0.847 -> 0.861 (eval_dev3_intents 0.956
# -> 0.964, eval_dev4_intents 0.860 -> 0.869, eval_dev3 0.959 -> 0.970, eval_heldout 0.952 -> 0.951), where
# blending a separate sentence-vector head's probabilities gained nothing.
# Session 32: with the escalation_v5* files in training the n-gram head generalises better by itself and a smaller
# share of the sentence-vector head is best: leave-one-source-out over the 13 earlier sources (the new files are
# trained on, never scored), escalation P / R at 0.5: 0.951 / 0.921 before (blend 0.4), 0.961 / 0.927 with
# escalation_v5 alone, 0.951 / 0.945 with v5 and v5b at blend 0.2 (0.948 / 0.933 at 0.4), 0.958 / 0.941 with all
# three files as committed (0.960 / 0.939 at 0.4, 0.962 / 0.947 at 0.3, 0.949 / 0.945 with the n-gram head alone;
# 0.2 and 0.3 are within a message or two of each other over the three states). kNN to the labelled training
# vectors, a class-balanced or C 16 head and a small MLP over the vector were measured and were not better.
EMBED_C = 4.0
EMBED_BLEND = 0.2
PRUNE_BELOW = 0.005  # weights whose every class is below this are left out of the artefact
HEADS = (("language", LANGUAGE_CLASSES, C_LANGUAGE), ("intent", INTENT_CLASSES, C_INTENT), ("kind", KIND_CLASSES, C_KIND))
_LINE = re.compile(r"^(SHENG|SWA|ENG)\s+(\w+)\s*\|\s*(.+)$")
# Files written for the intent heads only: their language labels follow docs/labelling.md but, read by the
# language head too, they moved its SWA/SHENG line away from the other authors' (language macro-F1 on
# eval_dev3_intents 0.973 -> 0.957, eval_heldout 0.937 -> 0.926; without them both are as before). The
# escalation_v5* files (session 32) were written for the escalation boundary and are kept out of the language head
# the same way, so the language figures do not move with them; so are session 33's escalation_v6* and intents_v6*.
INTENT_ONLY_FILES = ("registers_v4", "escalation_v5", "escalation_v6", "escalation_v7", "escalation_v8", "intents_v6",
                     "intents_v7", "intents_v8", "intents_v9")


def handwritten() -> list[dict[str, Any]]:
    rows = []
    for path in sorted(HANDWRITTEN.glob("*.txt")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = _LINE.match(line)
            if not m:
                raise ValueError(f"{path.name}:{n}: expected 'LANG intent | text', got {line!r}")
            language = None if path.name.startswith(INTENT_ONLY_FILES) else m[1]
            rows.append({"text": m[3].strip(), "language": language, "intent": m[2], "source": "handwritten"})
    return rows


def _jsonl(path: Path) -> list[dict[str, Any]]:
    assert "heldout" not in str(path), "held-out sets are never training data"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def dev_rows() -> list[dict[str, Any]]:
    """Development messages with whatever labels they carry (language, v2 intent, escalate)."""
    from mtaabot.intents import HUMAN
    from mtaabot.vocabulary import normalise

    rows: list[dict[str, Any]] = []
    for directory in DEV_SETS:
        for path in sorted(directory.glob("*.jsonl")):
            for r in _jsonl(path):
                row = {"text": r["text"], "language": r.get("language"), "intent": r.get("intent"),
                       "source": f"{directory.name}/{path.name}"}
                if row["intent"] is None and "escalate" in r:
                    # the shared escalation file says only whether to hand over: a request for a person
                    # (the rules' pattern) or else a complaint
                    row["intent"] = ("human" if HUMAN.search(normalise(r["text"])) else "complaint") \
                        if r["escalate"] else "other"
                rows.append(row)
    return rows


def lexicon_rows() -> list[dict[str, Any]]:
    from mtaabot.language import english_lexicon, sheng_words, swahili_words

    rows = []
    for label, words in (("SHENG", sheng_words()), ("SWA", swahili_words()), ("ENG", english_lexicon())):
        for w in sorted(words):
            if w.replace("-", " ").strip():
                rows.append({"text": w.replace("-", " "), "language": label, "intent": None, "source": "lexicon",
                             "weight": LEXICON_WEIGHT})
    return rows


def intent_class(label: str | None) -> str | None:
    if label is None:
        return None
    return label if label in INTENT_CLASSES else "other"


def kind_class(label: str | None) -> str | None:
    if label is None:
        return None
    label = _KIND_OF.get(label, label)
    return label if label in KIND_CLASSES else "other"


def dataset(head: str, rows: list[dict[str, Any]]) -> tuple[list[str], list[str], list[float]]:
    """Texts, labels and weights for one head; one row per distinct (text, label), first source wins."""
    seen: set[tuple[str, str]] = set()
    texts, labels, weights = [], [], []
    for r in rows:
        label = r["language"] if head == "language" else intent_class(r.get("intent")) if head == "intent" \
            else kind_class(r.get("intent"))
        if not label:
            continue
        key = (r["text"].strip().lower(), label)
        if key in seen:
            continue
        seen.add(key)
        texts.append(r["text"])
        labels.append(label)
        weights.append(r.get("weight", 1.0))
    return texts, labels, weights


def fit(texts: list[str], labels: list[str], weights: list[float], classes: tuple[str, ...], c: float,
        vectors: np.ndarray | None = None) -> dict:
    """A multinomial logistic regression over `features` (and each text's sentence vector as
    `vector_features`, when given); returns the JSON head."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from mtaabot.understanding_model import features, vector_features

    vec = DictVectorizer(sort=True)
    rows = [dict(features(t)) for t in texts]
    if vectors is not None:
        rows = [r | dict(vector_features(v)) for r, v in zip(rows, vectors, strict=True)]
    x = vec.fit_transform(rows)
    clf = LogisticRegression(C=c, max_iter=3000, tol=1e-5)
    clf.fit(x, labels, sample_weight=weights)
    order = [list(clf.classes_).index(k) for k in classes]
    coef = np.asarray(clf.coef_[order].T, dtype="<f4")  # (features, classes)
    names = [str(n) for n in vec.get_feature_names_out()]
    keep = [j for j in range(len(names)) if float(np.abs(coef[j]).max()) >= PRUNE_BELOW]
    return {"classes": list(classes), "intercept": [round(float(clf.intercept_[i]), 6) for i in order],
            "names": "\n".join(names[j] for j in keep),
            "weights": base64.b64encode(np.ascontiguousarray(coef[keep]).tobytes()).decode("ascii"),
            "n_train": len(texts), "n_features": len(keep), "counts": dict(sorted(Counter(labels).items())), "C": c}


def query_vectors(texts: list[str]) -> np.ndarray:
    """The query encoder's vector of each message's expanded query, as the understanding pass gives it."""
    from mtaabot.embeddings import encode_queries
    from mtaabot.understanding import understand

    return encode_queries([understand(t, "ENG").query.english for t in texts], cache=False)


def fit_embedding(vectors: np.ndarray, labels: list[str], weights: list[float], classes: tuple[str, ...],
                  c: float = EMBED_C, blend: float = EMBED_BLEND) -> dict:
    """A multinomial logistic regression over sentence vectors; returns the JSON head."""
    from sklearn.linear_model import LogisticRegression

    from mtaabot.embeddings import model_version

    clf = LogisticRegression(C=c, max_iter=3000, tol=1e-6)
    clf.fit(np.asarray(vectors, dtype=np.float64), labels, sample_weight=weights)
    order = [list(clf.classes_).index(k) for k in classes]
    coef = np.asarray(clf.coef_[order].T, dtype="<f4")  # (dimensions, classes)
    return {"classes": list(classes), "intercept": [round(float(clf.intercept_[i]), 6) for i in order],
            "dimensions": int(coef.shape[0]), "encoder": model_version(), "blend": blend, "C": c,
            "weights": base64.b64encode(np.ascontiguousarray(coef).tobytes()).decode("ascii"),
            "n_train": len(labels), "counts": dict(sorted(Counter(labels).items()))}


def train_all() -> dict[str, Any]:
    rows = handwritten() + dev_rows() + lexicon_rows()
    heads = {}
    for head, classes, c in HEADS:
        texts, labels, weights = dataset(head, rows)
        heads[head] = fit(texts, labels, weights, classes, c)
    texts, labels, weights = dataset("intent", rows)
    embedding = fit_embedding(query_vectors(texts), labels, weights, INTENT_CLASSES)
    texts, labels, weights = dataset("kind", rows)
    from mtaabot.embeddings import model_version

    heads["kind_vec"] = fit(texts, labels, weights, KIND_CLASSES, C_KIND, vectors=query_vectors(texts)) | {
        "encoder": model_version()}
    return {"about": "mtaabot.understanding_model weights; made by python -m mtaabot.devtools.train_understanding "
                     "from training/understanding/*.txt, tests/fixtures/eval*/ (dev sets) and the lexicons",
            "heads": heads, "embedding": embedding}


def write(model: dict[str, Any], path: Path = OUT) -> None:
    path.write_text(json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                    encoding="utf-8")


def cross_validate(folds: int = 5, c_override: float | None = None) -> dict[str, Any]:
    """Out-of-fold probabilities for every training message (grouped so a text's copies share a fold)."""
    from mtaabot.understanding_model import Head

    rows = handwritten() + dev_rows()
    extra = lexicon_rows()
    out: dict[str, Any] = {}
    for head, classes, c in HEADS:
        texts, labels, weights = dataset(head, rows)
        sources = [next(r["source"] for r in rows if r["text"] == t) for t in texts]
        fold_of = [i % folds for i in range(len(texts))]
        probs: list[dict[str, float]] = [{} for _ in texts]
        for k in range(folds):
            train = [i for i in range(len(texts)) if fold_of[i] != k]
            t_texts = [texts[i] for i in train]
            t_labels = [labels[i] for i in train]
            t_weights = [weights[i] for i in train]
            if head == "language":
                e_texts, e_labels, e_weights = dataset(head, extra)
                t_texts, t_labels, t_weights = t_texts + e_texts, t_labels + e_labels, t_weights + e_weights
            h = fit(t_texts, t_labels, t_weights, classes, c_override or c)
            model = Head.from_json(h)
            for i in range(len(texts)):
                if fold_of[i] == k:
                    probs[i] = model.proba(texts[i])
        out[head] = [{"text": t, "gold": g, "source": s, "proba": p}
                     for t, g, s, p in zip(texts, labels, sources, probs, strict=True)]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv", metavar="FILE", help="write 5-fold out-of-fold probabilities to FILE instead")
    parser.add_argument("--c", type=float, help="with --cv: try this inverse regularisation strength")
    args = parser.parse_args(argv)
    if args.cv:
        Path(args.cv).write_text(json.dumps(cross_validate(c_override=args.c), ensure_ascii=False), encoding="utf-8")
        return
    model = train_all()
    write(model)
    for name, h in model["heads"].items():
        print(f"{name}: {h['n_train']} examples {h['counts']}, {h['n_features']} weighted features")
    e = model["embedding"]
    print(f"embedding: {e['n_train']} examples, {e['dimensions']} dimensions, encoder {e['encoder']}")
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
