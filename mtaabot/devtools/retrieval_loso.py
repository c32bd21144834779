"""Leave-one-set-out (LOSO) harness for retrieval top-1 and "not sold" (issue 20).

    python -m mtaabot.devtools.retrieval_loso            # collect (cached) + HEAD per set + LOSO of the models
    python -m mtaabot.devtools.retrieval_loso --refresh  # re-collect (after retrieval / understanding changes)
    python -m mtaabot.devtools.retrieval_loso --write    # train on every set, write mtaabot/data/retrieval_model.json

For each labelled set (tests/fixtures/eval, eval_v2, eval_heldout, eval_dev3, eval_dev4 and the
intent sets eval_dev3_intents, eval_dev4_intents; never eval_heldout2)
its catalogue is loaded into the database inside one rolled-back transaction and every message that expects a
product or is labelled "not sold" is answered twice:
- by the engine, exactly as `mtaabot eval` does (the HEAD outcome, so the per-set figures reproduce `mtaabot eval`);
- by `understand` + `retrieve`, whose `candidates` / `verdict` give the features of `mtaabot.retrieval_model`.

The engine runs with the rules alone (`MTAABOT_RETRIEVAL_LEARNED=0`) and `retrieve(learned=False)`: HEAD is
the rules, and the features are the rules' whatever model is committed.

A message is *routed* when the engine's answer is that retrieval's answer (its products are the hits, or it said
not sold where retrieval did): only those can be changed by a retrieval model; the others keep HEAD's outcome.

Beside the real messages, catalogue-derived "not sold" questions are generated (`negatives`): for each shop, the
kinds of product (a product name's words without numbers and units) of the *other* sets' catalogues whose head
word no product of this shop has, asked in a few generic frames. They are written by no one, so a model trained
on them cannot fit an author's wording. In LOSO a held-out set's shops and catalogue are never used for training.

The models are trained on every set but the held-out one (generated negatives from the training sets only) and
scored on the held-out set; the table compares them with HEAD per set (mean and worst set).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SETS = ("eval", "eval_v2", "eval_heldout", "eval_dev3", "eval_dev4", "eval_dev3_intents", "eval_dev4_intents")
CACHE = ROOT / "build" / "retrieval_loso" / "features.json"
FRAMES = ("Mnauza {x}?", "Do you have {x}?", "{x} iko?", "Natafuta {x}, mko nayo?")
# 8 per shop: LOSO not sold mean 0.922; 16: 0.927; 32: 0.930 (eval_dev3 0.854 -> 0.896), top-1 and worst set equal
NEGATIVES_PER_SHOP = 32
# Chosen leave-one-set-out over the first five sets (issue 20 note): C 3 and threshold 0.5 held top-1 and lifted
# "not sold" on the mean and the worst set (C 1 gave less; C 10 or a 0.4 threshold cost top-1 on eval_heldout /
# eval_dev4). With the two intent sets as two more folds, against the rules: top-1 mean 0.900 -> 0.904, worst
# 0.750 -> 0.762; not sold mean 0.880 -> 0.910, worst 0.771 -> 0.818.
C_NOT_SOLD = 3.0
THRESHOLD = 0.5


def _messages(directory: Path) -> list[dict[str, Any]]:
    from mtaabot.devtools.evaluation import is_v2, read_jsonl

    if is_v2(directory):
        rows = read_jsonl(directory / "messages.jsonl")
        return [r | {"gold": "product" if r["expect"] else "not_sold"} for r in rows
                if r["expect"] or r["intent"] == "not_sold"]
    return [r | {"gold": "product" if r["expect"] else "not_sold"} for r in read_jsonl(directory / "retrieval_dev.jsonl")]


def _catalogue_csv(directory: Path) -> Path:
    return directory / ("catalogue.csv" if (directory / "catalogue.csv").exists() else "catalogue_dev.csv")


def _shop_names(directory: Path) -> dict[str, list[str]]:
    """{shop: [product name + " | " + its description and metadata]}."""
    out: dict[str, list[str]] = {}
    with _catalogue_csv(directory).open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            text = f"{row['name']} | {row.get('description') or ''} {row.get('metadata') or ''}"
            out.setdefault(row["business"], []).append(text)
    return out


def _kind(name: str) -> tuple[str, str] | None:
    """(phrase, head word) of a product name: "Mountain Bike 26 inch" -> ("mountain bike", "bike")."""
    from mtaabot.orders.quantities import UNITS, VARIANT_UNITS
    from mtaabot.retrieval import _kind_word
    from mtaabot.vocabulary import STOPWORDS

    name = re.sub(r"\([^)]*\)|[-/,].*$", " ", name.split(" | ")[0])
    toks = [w for w in re.findall(r"[a-z][a-z']+", name.lower())
            if w not in UNITS and w not in VARIANT_UNITS and w not in STOPWORDS and len(w) >= 3]
    if not toks or not _kind_word(toks[-1]):
        return None
    return " ".join(toks[-3:]), toks[-1]


def negatives(target: dict[str, list[str]], sources: list[dict[str, list[str]]]) -> list[dict[str, Any]]:
    """Generated "not sold" questions for the `target` shops from the kinds of the `sources` catalogues."""
    from mtaabot.retrieval import _stems
    from mtaabot.vocabulary import WORDS, words

    kinds = sorted({k for src in sources for names in src.values() for n in names if (k := _kind(n))})
    out = []
    for shop, names in sorted(target.items()):
        have: set[str] = set()
        for n in names:  # every word of its names, descriptions and metadata, and what the bridge makes of them
            for w in words(n):
                have |= {w, *_stems(w), *WORDS.get(w, "").split()}
        fresh = [(phrase, head) for phrase, head in kinds
                 if head not in have and _stems(head).isdisjoint(have)]
        # lookalikes first: a kind that shares a word with this shop's catalogue ("school bag" where the shop has
        # school shoes) is the hard case; then the others, in a fixed pseudo-random order
        fresh.sort(key=lambda k: (not (set(k[0].split()[:-1]) & have),
                                  hashlib.sha1(f"{shop}|{k[0]}".encode()).hexdigest()))
        for i, (phrase, _) in enumerate(fresh[:NEGATIVES_PER_SHOP]):
            out.append({"business": shop, "text": FRAMES[i % len(FRAMES)].format(x=phrase), "expect": [],
                        "gold": "not_sold", "generated": True})
    return out


def _head_answer(conn: Any, shop: dict[str, Any], r: dict[str, Any], v2: bool) -> dict[str, Any]:
    from mtaabot.devtools.evaluation import NOT_SOLD_INTENTS, _answer_v2
    from mtaabot.engine import decide
    from mtaabot.language import detect_language

    with conn.transaction():
        if v2:
            a = _answer_v2(conn, shop, r["text"])
            products, intent, escalated = a["products"], a["intent"], a["escalated"]
        else:
            d = decide(conn, shop, r["text"], r.get("language") or detect_language(r["text"]).language)
            products, intent, escalated = [h.name for h in d.hits], d.intent, d.escalate_reason is not None
    if r["gold"] == "product":
        ok = bool(products) and products[0] in r["expect"]
    else:
        ok = not products and (intent in NOT_SOLD_INTENTS or escalated)
    return {"products": products, "intent": intent, "escalated": escalated, "ok": bool(ok)}


def _features(conn: Any, shop: dict[str, Any], text: str) -> dict[str, Any]:
    from mtaabot.language import detect_language
    from mtaabot.retrieval import retrieve
    from mtaabot.retrieval_model import candidate_features, message_features, pool
    from mtaabot.understanding import understand

    u = understand(text, detect_language(text).language)
    if not u.query.has_content:
        return {"searched": False}
    ret = retrieve(conn, shop["id"], search=u.search, price_range=u.budget, learned=False)
    cands = pool(ret, u.search)
    return {"searched": True, "budget": u.budget is not None, "hits": [h.name for h in ret.hits],
            "not_sold": ret.not_sold, "verdict": ret.verdict, "cands": [h.name for h in cands],
            "cand_x": candidate_features(ret, u.search, cands), "msg_x": message_features(ret, u.search, cands[0] if cands else None)}


def collect_set(conn: Any, name: str, generated: list[dict[str, Any]] | None = None,
                head: bool = True) -> list[dict[str, Any]]:
    """HEAD outcome (unless not `head`) and features of every labelled message of one set (and of its generated
    negatives). Inside the caller's transaction, which the caller rolls back."""
    from mtaabot.devtools.evaluation import is_v2, load_catalogue, load_shops_v2

    directory = FIXTURES / name
    v2 = is_v2(directory)
    shops = load_shops_v2(conn, directory) if v2 else load_catalogue(
        conn, _catalogue_csv(directory).read_text(encoding="utf-8"))
    out = []
    for r in _messages(directory):
        shop = shops[r["business"]]
        row = {"set": name, "business": r["business"], "text": r["text"], "expect": r["expect"], "gold": r["gold"]}
        if head:
            row["head"] = _head_answer(conn, shop, r, v2)
        row |= _features(conn, shop, r["text"])
        out.append(row)
    for r in generated or []:
        row = {"set": name, "business": r["business"], "text": r["text"], "expect": [], "gold": "not_sold",
               "generated": True}
        out.append(row | _features(conn, shops[r["business"]], r["text"]))
    return out


def collect_all(conn: Any, head: bool = True) -> list[dict[str, Any]]:
    """Every set's rows (rolled back after each set), the engine on the rules alone."""
    from mtaabot.config import overridden

    names = {s: _shop_names(FIXTURES / s) for s in SETS}
    rows: list[dict[str, Any]] = []
    with overridden(MTAABOT_RETRIEVAL_LEARNED="0"):  # HEAD = the rules
        try:
            for s in SETS:
                gen = negatives(names[s], [names[o] for o in SETS if o != s])
                rows += collect_set(conn, s, gen, head=head)
                conn.rollback()
        finally:
            conn.rollback()
    return rows


def collect(refresh: bool = False) -> list[dict[str, Any]]:
    if CACHE.exists() and not refresh:
        return json.loads(CACHE.read_text(encoding="utf-8"))
    from mtaabot.db.migrate import require_current_schema
    from mtaabot.db.pool import connect

    conn = connect()
    try:
        require_current_schema(conn)
        rows = collect_all(conn)
    finally:
        conn.close()
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return rows


# --- scoring --------------------------------------------------------------------------------------------------
def routed(r: dict[str, Any]) -> bool:
    """The engine's answer is this retrieval's answer, so a retrieval model could change it."""
    if not r.get("searched") or r.get("budget"):
        return False
    head = r["head"]
    if r["not_sold"]:
        return not head["products"] and head["intent"] == "not_sold"
    return bool(r["hits"]) and head["products"] == r["hits"] and head["intent"] in ("product", "order", "booking")


def outcome(r: dict[str, Any], not_sold: bool | None, top: str | None) -> bool:
    """Right or wrong for this message when the model says `not_sold` (None: keep the rules) and `top`."""
    if not routed(r):
        return r["head"]["ok"]
    if not_sold is None:
        not_sold = r["not_sold"]
    if top is None:
        top = r["hits"][0] if r["hits"] else (r["cands"][0] if r["cands"] else None)
    if r["gold"] == "not_sold":
        return not_sold or top is None
    return not not_sold and top is not None and top in r["expect"]


def figures(rows: list[dict[str, Any]], decide: Any = None) -> dict[str, float]:
    """top-1 and not-sold accuracy over the real (not generated) messages; `decide(row) -> (not_sold, top)`."""
    real = [r for r in rows if not r.get("generated")]
    res = [outcome(r, *(decide(r) if decide and routed(r) else (None, None))) for r in real]
    prod = [ok for r, ok in zip(real, res, strict=True) if r["gold"] == "product"]
    ns = [ok for r, ok in zip(real, res, strict=True) if r["gold"] == "not_sold"]
    return {"top1": sum(prod) / max(len(prod), 1), "n_top1": len(prod),
            "not_sold": sum(ns) / max(len(ns), 1), "n_not_sold": len(ns)}


def train(rows: list[dict[str, Any]], c_ns: float = 1.0, c_rank: float = 1.0,
          generated: bool = True) -> dict[str, Any]:
    """The not-sold and rerank logistic models from `rows` (deterministic: lbfgs from zero)."""
    from sklearn.linear_model import LogisticRegression

    use = [r for r in rows if r.get("searched") and not r.get("budget") and (generated or not r.get("generated"))]
    x = np.array([r["msg_x"] for r in use], dtype=np.float64)
    y = np.array([r["gold"] == "not_sold" for r in use], dtype=np.int64)
    ns = LogisticRegression(C=c_ns, max_iter=2000).fit(x, y)
    cx, cy = [], []
    for r in use:
        if r["gold"] != "product" or not any(n in r["expect"] for n in r["cands"]):
            continue
        for name, feats in zip(r["cands"], r["cand_x"], strict=True):
            cx.append(feats)
            cy.append(int(name in r["expect"]))
    rank = LogisticRegression(C=c_rank, max_iter=2000).fit(np.array(cx), np.array(cy))
    return {"not_sold": {"w": ns.coef_[0].tolist(), "b": float(ns.intercept_[0])},
            "rerank": {"w": rank.coef_[0].tolist(), "b": float(rank.intercept_[0])}}


def model_file(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The shipped model: the not-sold head trained on every set and its generated negatives."""
    from mtaabot.retrieval_model import MESSAGE_FEATURES
    from mtaabot.understanding_model import running_encoder

    head = train(rows, c_ns=C_NOT_SOLD)["not_sold"]
    return {"about": "issue 20: retrieval's not-sold model (python -m mtaabot.devtools.retrieval_loso --write)",
            "encoder": running_encoder(), "message_features": list(MESSAGE_FEATURES), "threshold": THRESHOLD,
            "c": C_NOT_SOLD, "sets": list(SETS),
            "not_sold": {"w": [round(w, 6) for w in head["w"]], "b": round(head["b"], 6)}}


def decider(model: dict[str, Any], threshold: float = 0.5, use_ns: bool = True, use_rank: bool = True,
            hard: frozenset[str] | None = None) -> Any:
    """`decide(row) -> (not_sold, top)` as the runtime does (`hard`: verdicts never overruled to sold)."""
    from mtaabot.retrieval_model import HARD_VERDICTS

    hard = HARD_VERDICTS if hard is None else hard
    wn, bn = np.array(model["not_sold"]["w"]), model["not_sold"]["b"]
    wr = np.array(model["rerank"]["w"])

    def decide(r: dict[str, Any]) -> tuple[bool | None, str | None]:
        ns = None
        if use_ns:
            p = 1.0 / (1.0 + np.exp(-(float(np.dot(wn, r["msg_x"])) + bn)))
            ns = bool(p >= threshold) or not r["cands"] or (r["not_sold"] and r["verdict"] in hard)
        top = None
        if use_rank and r["cands"]:
            scores = np.array(r["cand_x"]) @ wr
            top = r["cands"][int(np.argmax(scores))]
        return ns, top
    return decide


def loso(rows: list[dict[str, Any]], **kw: Any) -> dict[str, dict[str, dict[str, float]]]:
    """{held-out set: {variant: figures}} for HEAD, not-sold model only, reranker only, both."""
    thr = kw.pop("threshold", 0.5)
    out = {}
    for s in SETS:
        model = train([r for r in rows if r["set"] != s], **kw)
        test = [r for r in rows if r["set"] == s]
        out[s] = {"head": figures(test),
                  "not_sold_model": figures(test, decider(model, thr, use_rank=False)),
                  "rerank": figures(test, decider(model, thr, use_ns=False)),
                  "both": figures(test, decider(model, thr))}
    return out


def table(result: dict[str, dict[str, dict[str, float]]]) -> str:
    variants = list(next(iter(result.values())))
    lines = ["| held out | n top-1 / not sold | " + " | ".join(f"{v} top-1 / not sold" for v in variants) + " |",
             "| --- | --- | " + " | ".join("---" for _ in variants) + " |"]
    for s, per in result.items():
        h = per["head"]
        lines.append(f"| {s} | {h['n_top1']} / {h['n_not_sold']} | "
                     + " | ".join(f"{per[v]['top1']:.3f} / {per[v]['not_sold']:.3f}" for v in variants) + " |")
    seen = encoder_sets()
    groups = (("", list(result)), (" out of sample", [s for s in result if s not in seen]),
              (" in sample", [s for s in result if s in seen]))
    for label, sets in groups:
        if not sets:
            continue
        for agg, fn in (("mean", np.mean), ("worst", np.min)):
            lines.append(f"| **{agg}{label}** | | " + " | ".join(
                f"{fn([result[s][v]['top1'] for s in sets]):.3f} / "
                f"{fn([result[s][v]['not_sold'] for s in sets]):.3f}" for v in variants) + " |")
    return "\n".join(lines)


def encoder_sets() -> frozenset[str]:
    """The sets whose catalogue the encoder is trained on (`encoder_tuning.CATALOGUES`): in sample for an
    encoder change; the others are its out-of-sample check."""
    from mtaabot.devtools.encoder_tuning import CATALOGUES

    return frozenset(s for s in SETS if str(_catalogue_csv(FIXTURES / s).relative_to(ROOT)) in CATALOGUES)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--refresh", action="store_true", help="re-collect the features (the database is used)")
    ap.add_argument("--c-ns", type=float, default=C_NOT_SOLD)
    ap.add_argument("--c-rank", type=float, default=10.0)
    ap.add_argument("--threshold", type=float, default=THRESHOLD)
    ap.add_argument("--write", action="store_true", help="train on every set and write the shipped model file")
    ap.add_argument("--no-generated", action="store_true", help="train without the generated negatives")
    args = ap.parse_args(argv)
    rows = collect(args.refresh)
    if args.write:
        from mtaabot.retrieval_model import MODEL_PATH

        MODEL_PATH.write_text(json.dumps(model_file(rows), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH}")
        return
    print("HEAD per set (real messages; routed = a retrieval model could change the answer):")
    for s in SETS:
        test = [r for r in rows if r["set"] == s and not r.get("generated")]
        f = figures(test)
        gen = [r for r in rows if r["set"] == s and r.get("generated")]
        print(f"  {s:13s} top-1 {f['top1']:.3f} (n={f['n_top1']})  not sold {f['not_sold']:.3f} (n={f['n_not_sold']})"
              f"  routed {sum(map(routed, test))}/{len(test)}  generated negatives {len(gen)}, rules say not sold "
              f"{sum(1 for r in gen if r.get('not_sold') or not r.get('searched'))}")
    result = loso(rows, c_ns=args.c_ns, c_rank=args.c_rank, threshold=args.threshold,
                  generated=not args.no_generated)
    print(table(result))


if __name__ == "__main__":
    main()
