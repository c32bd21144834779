"""The intents-and-escalation development set (tests/fixtures/eval_dev3_intents) on a real database.

The set is not training data for the understanding classifiers. Its floors are the issue's escalation target
(recall >= 0.97 at precision >= 0.95) and the intent figures measured on 2026-12-04 minus a margin (RESULTS.md):
a regression fails here. Retrieval figures are reported but not held here (they belong to the retrieval work).
"""

from __future__ import annotations

import json

import psycopg

from tests.conftest import FIXTURES
from tests.eval.labelled_sets import assert_well_formed, evaluated

DEV3 = FIXTURES / "eval_dev3_intents"
MARGIN = 0.03


def test_dev3_set_is_well_formed() -> None:
    assert_well_formed(DEV3, min_rows=150)


def test_escalation_and_intents_hold_on_the_dev3_set(conn: psycopg.Connection) -> None:
    m = evaluated(conn, DEV3)
    misses = json.dumps(m["escalation"]["errors"], ensure_ascii=False)
    # the target, on a set full of everyday messages that use complaint, person and stop words
    assert m["escalation"]["precision"] >= 0.95, misses
    assert m["escalation"]["recall"] >= 0.97, misses
    per = m["intents"]["per_intent"]
    assert per["opt_out"]["precision"] == 1.0  # "sitaki ile", "stop, I meant four", "remove X from my order"
    assert per["opt_out"]["recall"] >= 1.0 - MARGIN
    # measured 0.936-0.939 (0.845 before the issue-20 escalation and intent work), see RESULTS.md
    assert m["intents"]["macro_f1"] >= 0.936 - MARGIN
    assert per["haggle"]["recall"] >= 1.0 - MARGIN - 0.1  # 11 messages: one miss is 0.909
    assert m["language"]["macro_f1"] >= 0.973 - MARGIN
