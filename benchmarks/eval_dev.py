"""Print the engine's metrics on the labelled dev sets (../shared/eval, or tests/fixtures/eval when absent).

Language ID (accuracy, macro-F1, per class), retrieval (top-1, "not sold" answered as not sold) and
escalation (precision / recall), plus the same on the engine's own held-out sets and the v2 set
(per-intent precision / recall, invented prices). Runs in a transaction
on DATABASE_URL or the embedded server and rolls back.

    .venv/bin/python benchmarks/eval_dev.py
"""

from __future__ import annotations

from pathlib import Path

from mtaabot.db import connect
from mtaabot.devtools.evaluation import (
    format_table,
    language_metrics,
    load_catalogue,
    read_jsonl,
    retrieval_metrics,
    run_all,
)

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval"
OWN = ROOT / "tests" / "fixtures" / "engine"


def main() -> None:
    directory = SHARED_EVAL if SHARED_EVAL.exists() else ROOT / "tests" / "fixtures" / "eval"
    conn = connect()
    try:
        print(f"== dev sets ({directory})")
        print(format_table(run_all(conn, directory)))
        conn.rollback()
        print("\n== own held-out sets (tests/fixtures/engine)")
        lang = language_metrics(read_jsonl(OWN / "language_own.jsonl"))
        shops = load_catalogue(conn, (ROOT / "mtaabot" / "data" / "demo_catalogue.csv").read_text(encoding="utf-8"))
        ret = retrieval_metrics(conn, shops, read_jsonl(OWN / "retrieval_own.jsonl"))
        print(format_table({"language": lang, "retrieval": ret}))
        conn.rollback()
        print("\n== eval v2 (tests/fixtures/eval_v2: intents, escalation, invented prices)")
        print(format_table(run_all(conn, ROOT / "tests" / "fixtures" / "eval_v2")))
    finally:
        conn.rollback()
        conn.close()


if __name__ == "__main__":
    main()
