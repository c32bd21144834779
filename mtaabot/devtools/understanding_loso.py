"""Leave-one-source-out figures for the understanding heads on the shipped classify path (issue 20).

    python -m mtaabot.devtools.understanding_loso                      # 13 earlier sources, table to stdout
    python -m mtaabot.devtools.understanding_loso --fold escalation_v5 # those files scored as folds too
    python -m mtaabot.devtools.understanding_loso --drop escalation_v7 --drop intents_v7   # as if not written
    python -m mtaabot.devtools.understanding_loso --smoke              # two small folds, no outside sets

A source is one training file (`training/understanding/<name>.txt`) or one labelled development file
(`eval/escalation_dev.jsonl`, `eval_v2/messages.jsonl`). The "earlier" sources are the files written before
session 32; the later hand-written files (`LATER` prefixes: escalation_v5*, escalation_v6*, intents_v6*, and any
v7) stay in every fold's training data and are scored only when named with `--fold`. For each fold the
`intent`, `kind`, `kind_vec` and `embedding` heads are retrained without that source's rows (and without any
row whose text, lower-cased, is also in it); the committed `language` head is kept. The fold's heads are swapped
into `mtaabot.understanding_model` and each message is read as `mtaabot eval` reads it: `wants_opt_out` first,
then `intents.classify(text, embed=...)` with the message's query vector exactly as the understanding pass gives
it (none for a query with nothing to search), its intent mapped through `evaluation.INTENT_LABELS`
(price / availability / not_sold as one `product` class).

Reported: escalation precision / recall at the shipped `ESCALATE_AT`, the best recall at precision >= 0.95 over
a threshold sweep, intent macro-F1 over the 12 classes and per-class P / R; and, with heads trained on every
source, the same on the development sets the trainer never reads (`OUTSIDE`; never the held-out sets).
Query vectors are cached in build/understanding_loso/ by encoder version.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from mtaabot.devtools import train_understanding as tu

ROOT = tu.ROOT
CACHE = ROOT / "build" / "understanding_loso"
LATER = ("escalation_v5", "escalation_v6", "intents_v6", "escalation_v7", "intents_v7", "intents_v8", "intents_v9")
DEV_SOURCES = ("eval/escalation_dev.jsonl", "eval_v2/messages.jsonl")
OUTSIDE = ("eval_dev3_intents", "eval_dev4_intents", "eval_dev3", "eval_dev4", "eval_heldout")
CLASSES = ("product", "order", "booking", "haggle", "location_hours", "delivery", "payment", "complaint", "human",
           "greeting", "thanks", "opt_out")
SWEEP = tuple(round(x, 2) for x in np.arange(0.30, 0.81, 0.02))
PRECISION_FLOOR = 0.95


def gold_class(label: str) -> str:
    return tu._KIND_OF.get(label, label)


def file_rows(path: Path) -> list[dict[str, Any]]:
    """One training file's rows (text, intent, escalate), parsed as the trainer parses it."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = tu._LINE.match(line)
        if not m:
            raise ValueError(f"{path.name}:{n}: expected 'LANG intent | text', got {line!r}")
        rows.append({"text": m[3].strip(), "intent": m[2], "escalate": m[2] in ("complaint", "human")})
    return rows


def sources(drop: tuple[str, ...] = ()) -> dict[str, list[dict[str, Any]]]:
    """Every intent-labelled training source by name (hand-written files by stem, dev files by dir/file)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(tu.HANDWRITTEN.glob("*.txt")):
        if not path.stem.startswith(drop):
            out[path.stem] = file_rows(path)
    dev = defaultdict(list)
    for r in tu.dev_rows():
        if r["intent"] is not None:
            dev[r["source"]].append(r)
    for name in DEV_SOURCES:  # the escalate flag as the file gives it (dev_rows keeps only the intent)
        raw = [json.loads(x) for x in (tu.DEV_SETS[0].parent / name).read_text(encoding="utf-8").splitlines()
               if x.strip()]
        flags = {r["text"]: bool(r.get("escalate", r.get("intent") in ("complaint", "human"))) for r in raw}
        out[name] = [{"text": r["text"], "intent": r["intent"], "escalate": flags[r["text"]]} for r in dev[name]]
    return out


def outside_rows(name: str) -> list[dict[str, Any]]:
    assert "heldout2" not in name, "the held-out set is never read here"
    path = ROOT / "tests" / "fixtures" / name / "messages.jsonl"
    return [{"text": r["text"], "intent": r["intent"], "escalate": bool(r["escalate"])}
            for r in map(json.loads, filter(str.strip, path.read_text(encoding="utf-8").splitlines()))]


class Vectors:
    """Query vectors by text, computed once per encoder and kept on disk: `train` is what the trainer reads
    (`train_understanding.query_vectors`), `score` what the understanding pass gives classify (None for a query
    with nothing to search)."""

    def __init__(self) -> None:
        from mtaabot.embeddings import model_version

        self.path = CACHE / (re.sub(r"[^\w.-]", "_", model_version()) + ".npz")
        self.known: dict[str, np.ndarray] = {}
        if self.path.exists():
            data = np.load(self.path, allow_pickle=False)
            self.known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
        self.dirty = False
        self._queries: dict[str, tuple[str, bool]] = {}

    def _english(self, text: str) -> tuple[str, bool]:
        from mtaabot.understanding import _query

        if text not in self._queries:
            q = _query(text)[1]
            self._queries[text] = (q.english, bool(q.has_content and q.english.strip()))
        return self._queries[text]

    def ensure(self, texts: list[str]) -> None:
        from mtaabot.embeddings import encode_queries

        wanted = sorted({self._english(t)[0] for t in texts} - set(self.known))
        for i in range(0, len(wanted), 256):
            chunk = wanted[i:i + 256]
            self.known.update(zip(chunk, encode_queries(chunk, cache=False), strict=True))
            self.dirty = True

    def train(self, texts: list[str]) -> np.ndarray:
        self.ensure(texts)
        return np.stack([self.known[self._english(t)[0]] for t in texts])

    def score(self, text: str) -> np.ndarray | None:
        english, content = self._english(text)
        if not content:
            return None
        self.ensure([text])
        return self.known[english]

    def save(self) -> None:
        if self.dirty:
            CACHE.mkdir(parents=True, exist_ok=True)
            texts = sorted(self.known)
            np.savez(self.path, texts=np.asarray(texts), vectors=np.stack([self.known[t] for t in texts]))
            self.dirty = False


def train_heads(rows: list[dict[str, Any]], vectors: Vectors) -> dict[str, Any]:
    """The intent, kind, kind_vec and embedding heads from `rows` (as `train_understanding.train_all`), with
    the committed language head."""
    from mtaabot.embeddings import model_version
    from mtaabot.understanding_model import _raw

    committed = _raw()
    heads = {"language": committed["heads"]["language"]}
    rows = [r | {"language": None, "source": "loso"} for r in rows]
    for head, classes, c in tu.HEADS[1:]:
        texts, labels, weights = tu.dataset(head, rows)
        heads[head] = tu.fit(texts, labels, weights, classes, c)
    texts, labels, weights = tu.dataset("intent", rows)
    embedding = tu.fit_embedding(vectors.train(texts), labels, weights, tu.INTENT_CLASSES)
    texts, labels, weights = tu.dataset("kind", rows)
    heads["kind_vec"] = tu.fit(texts, labels, weights, tu.KIND_CLASSES, tu.C_KIND, vectors=vectors.train(texts)) | {
        "encoder": model_version()}
    return {"heads": heads, "embedding": embedding}


def use(raw: dict[str, Any]) -> None:
    """Make `raw` the model every classify call reads (as if it were the committed JSON)."""
    from mtaabot import understanding_model as um

    um._raw = lambda: raw  # type: ignore[assignment]
    um.model.cache_clear()
    um._embedding_head.cache_clear()
    um._batch.memo = None


def read(rows: list[dict[str, Any]], vectors: Vectors) -> list[dict[str, Any]]:
    """Each message's predicted class at the shipped threshold and its escalation score: 1 when the patterns
    (or the asked-first rule) escalate whatever `ESCALATE_AT` is, else the blended P(complaint) + P(human) the
    learned step compares with it (0 where that step never escalates)."""
    from mtaabot import intents
    from mtaabot.devtools.evaluation import INTENT_LABELS
    from mtaabot.vocabulary import normalise

    shipped = intents.ESCALATE_AT
    out = []
    for r in rows:
        text = r["text"]
        vector = vectors.score(text)
        embed = (lambda v=vector: v) if vector is not None else (lambda: None)
        if intents.wants_opt_out(text):
            out.append(r | {"pred": "opt_out", "score": 0.0, "esc": False})
            continue
        intent = intents.classify(text, embed=embed)
        labels = INTENT_LABELS.get(intent.name, ())
        pred = gold_class(labels[0]) if labels else "none"
        try:
            intents.ESCALATE_AT = 2.0  # the learned step never fires: what is left escalates at any threshold
            fixed = intents.classify(text, embed=embed).escalate
        finally:
            intents.ESCALATE_AT = shipped
        if fixed:
            score = 1.0
        else:
            t = intents.expand_sms(normalise(text))
            plain = intents._NOT_A_COMPLAINT.sub(" ", t)
            learned = intents._Learned(text, embed)
            score = 0.0 if plain != t or intents._bare_no(t) or not t else \
                sum(learned.full()[c] for c in ("complaint", "human"))
        out.append(r | {"pred": pred, "score": score, "esc": intent.escalate})
    return out


def _pr(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


def summary(scored: list[dict[str, Any]]) -> dict[str, Any]:
    """Escalation P / R at the shipped threshold, the sweep's best recall at P >= 0.95, intent macro-F1 and
    per-class P / R over `scored`."""
    gold = [r["escalate"] for r in scored]
    tp = sum(g and r["esc"] for g, r in zip(gold, scored, strict=True))
    fp = sum(not g and r["esc"] for g, r in zip(gold, scored, strict=True))
    fn = sum(g and not r["esc"] for g, r in zip(gold, scored, strict=True))
    p, rc = _pr(tp, fp, fn)
    best = (0.0, None, None)
    sweep = {}
    for th in SWEEP:
        e = [r["score"] >= th for r in scored]
        sp, sr = _pr(sum(g and x for g, x in zip(gold, e, strict=True)), sum(not g and x for g, x in
                     zip(gold, e, strict=True)), sum(g and not x for g, x in zip(gold, e, strict=True)))
        sweep[th] = (round(sp, 3), round(sr, 3))
        if sp >= PRECISION_FLOOR and sr > best[0]:
            best = (sr, th, sp)
    per = {}
    for c in CLASSES:
        ctp = sum(gold_class(r["intent"]) == c and r["pred"] == c for r in scored)
        cfp = sum(gold_class(r["intent"]) != c and r["pred"] == c for r in scored)
        cfn = sum(gold_class(r["intent"]) == c and r["pred"] != c for r in scored)
        cp, cr = _pr(ctp, cfp, cfn)
        n = ctp + cfn
        per[c] = {"n": n, "precision": round(cp, 3), "recall": round(cr, 3),
                  "f1": round(2 * cp * cr / (cp + cr), 3) if cp + cr and n else None}
    f1s = [v["f1"] for v in per.values() if v["f1"] is not None]
    return {"n": len(scored), "escalation": {"n": sum(gold), "precision": round(p, 3), "recall": round(rc, 3),
                                             "tp": tp, "fp": fp, "fn": fn},
            "best_recall_at_p95": {"recall": round(best[0], 3), "threshold": best[1],
                                   "precision": round(best[2], 3) if best[2] is not None else None},
            "sweep": {str(k): v for k, v in sweep.items()},
            "macro_f1": round(sum(f1s) / len(f1s), 3) if f1s else None, "per_class": per}


def run(folds: list[str], drop: tuple[str, ...], outside: tuple[str, ...]) -> dict[str, Any]:
    vectors = Vectors()
    data = sources(drop)
    missing = [f for f in folds if f not in data]
    assert not missing, f"no such source: {missing}"
    scored: dict[str, list[dict[str, Any]]] = {}
    for fold in folds:
        held = {r["text"].strip().lower() for r in data[fold]}
        train = [r for name, rows in data.items() if name != fold for r in rows
                 if r["text"].strip().lower() not in held]
        use(train_heads(train, vectors))
        seen: set[str] = set()
        rows = [r for r in data[fold] if not (r["text"].lower() in seen or seen.add(r["text"].lower()))]
        scored[fold] = read(rows, vectors)
        vectors.save()
        s = summary(scored[fold])
        print(f"  {fold:28s} n={s['n']:4d} esc P/R {s['escalation']['precision']:.3f}/{s['escalation']['recall']:.3f}"
              f" (n {s['escalation']['n']}) F1 {s['macro_f1']}", flush=True)
    result: dict[str, Any] = {"folds": {f: summary(v) for f, v in scored.items()}, "drop": list(drop)}
    earlier = [f for f in folds if not f.startswith(LATER)]
    result["earlier"] = summary([r for f in earlier for r in scored[f]]) | {"sources": earlier}
    result["all_folds"] = summary([r for f in folds for r in scored[f]]) | {"sources": folds}
    result["misses"] = {f: [{"text": r["text"], "gold": r["intent"], "pred": r["pred"], "score": round(r["score"], 3)}
                            for r in v if r["escalate"] != r["esc"] or gold_class(r["intent"]) != r["pred"]]
                        for f, v in scored.items()}
    if outside:
        use(train_heads([r for rows in data.values() for r in rows], vectors))
        result["outside"] = {name: summary(read(outside_rows(name), vectors)) for name in outside}
        vectors.save()
    return result


def table(result: dict[str, Any]) -> str:
    """The aggregate figures as a Markdown table."""
    lines = ["| set | n | esc P / R at shipped | best R at P>=0.95 (th) | macro-F1 |", "|---|---|---|---|---|"]
    groups = [("earlier sources", result["earlier"]), ("all folds", result["all_folds"])]
    groups += [(f"outside {k}", v) for k, v in result.get("outside", {}).items()]
    for name, s in groups:
        b = s["best_recall_at_p95"]
        lines.append(f"| {name} | {s['n']} | {s['escalation']['precision']:.3f} / {s['escalation']['recall']:.3f} | "
                     f"{b['recall']:.3f} ({b['threshold']}) | {s['macro_f1']} |")
    per = result["earlier"]["per_class"]
    lines += ["", "per class (earlier sources) P / R (n): " + ", ".join(
        f"{c} {v['precision']:.3f}/{v['recall']:.3f} ({v['n']})" for c, v in per.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fold", action="append", default=[], metavar="PREFIX",
                        help="also score the later files starting with PREFIX as folds")
    parser.add_argument("--drop", action="append", default=[], metavar="PREFIX",
                        help="leave files starting with PREFIX out of every fold's training data")
    parser.add_argument("--smoke", action="store_true", help="two small folds, no outside sets (a quick check)")
    parser.add_argument("--json", metavar="FILE", help="write the full result (folds, sweep, misses) to FILE")
    args = parser.parse_args(argv)
    names = list(sources(tuple(args.drop)))
    folds = [n for n in names if not n.startswith(LATER) or n.startswith(tuple(args.fold) or ("\0",))]
    outside = OUTSIDE
    if args.smoke:
        folds, outside = ["eval/escalation_dev.jsonl", "near_misses"], ()
    result = run(folds, tuple(args.drop), outside)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(table(result))


if __name__ == "__main__":
    main()
