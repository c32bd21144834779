"""The v2 evaluation set (tests/fixtures/eval_v2) on a real database: floors that hold today.

The measured figures are in tests/fixtures/eval_v2/RESULTS.md; the floors sit a little below them so that a
regression fails here and an improvement only needs RESULTS.md (and these floors) raised.
"""

from __future__ import annotations

import json

import psycopg

from mtaabot.devtools.evaluation import INTENT_LABELS, V2_LABELS, format_table, run_all
from tests.conftest import FIXTURES
from tests.eval.labelled_sets import assert_well_formed

V2 = FIXTURES / "eval_v2"
MARGIN = 0.03


def test_v2_set_is_well_formed() -> None:
    assert_well_formed(V2, min_rows=300)
    assert all(labels == () or set(labels) <= set(V2_LABELS) for labels in INTENT_LABELS.values())


def test_v2_metrics_hold_and_leave_nothing_behind(conn: psycopg.Connection) -> None:
    before = conn.execute("SELECT (SELECT count(*) FROM businesses) b, (SELECT count(*) FROM products) p, "
                          "(SELECT count(*) FROM messages) m").fetchone()
    conn.rollback()
    m = run_all(conn, V2)
    conn.rollback()
    after = conn.execute("SELECT (SELECT count(*) FROM businesses) b, (SELECT count(*) FROM products) p, "
                         "(SELECT count(*) FROM messages) m").fetchone()
    assert after == before, "evaluation left rows behind"
    assert m["failures"] == []
    assert m["invented_prices"]["count"] == 0, json.dumps(m["invented_prices"]["errors"][:3], ensure_ascii=False)
    # Measured on 2026-12-04 after the issue-20 understanding work (RESULTS.md): floors = measured - MARGIN.
    assert m["escalation"]["precision"] >= 1.0 - MARGIN
    assert m["escalation"]["recall"] >= 1.0 - MARGIN
    assert m["language"]["macro_f1"] >= 0.897 - MARGIN
    assert m["retrieval"]["top1_accuracy"] >= 0.969 - MARGIN
    assert m["retrieval"]["not_sold_accuracy"] >= 0.912 - MARGIN  # 0.735 before the grounding rules (retrieval)
    assert m["intents"]["accuracy"] >= 0.963 - MARGIN
    per = m["intents"]["per_intent"]
    assert per["greeting"]["recall"] >= 0.9
    assert per["complaint"]["recall"] >= 1.0 - MARGIN
    assert per["human"]["recall"] >= 1.0 - MARGIN
    assert per["opt_out"]["recall"] >= 1.0 - MARGIN
    assert per["booking"]["recall"] >= 1.0 - MARGIN
    assert "intent macro-F1" in format_table(m)
