"""The retrieval dev set (tests/fixtures/eval_dev3: phone repairs, boda spares, furniture, nails & spa) on a real
database: retrieval top-1, "not sold" and invented prices hold their floors (measured - 0.03; README.md there).

It is a development set (the not-sold and grounding rules were written while looking at it), so these floors
catch regressions; they say nothing about held-out accuracy (tests/fixtures/eval_heldout2 is the judge).
"""

from __future__ import annotations

import psycopg

from tests.conftest import FIXTURES
from tests.eval.labelled_sets import assert_well_formed, evaluated

DEV3 = FIXTURES / "eval_dev3"
MARGIN = 0.03


def test_dev3_set_is_well_formed() -> None:
    rows = assert_well_formed(DEV3, min_rows=150, every_intent=False)
    assert sum(r["intent"] == "not_sold" for r in rows) >= 40


def test_dev3_retrieval_and_not_sold_hold(conn: psycopg.Connection) -> None:
    m = evaluated(conn, DEV3)
    # Measured 2026-12-04 (README.md): top-1 0.901 -> 0.970, not sold 0.625 -> 0.750.
    assert m["retrieval"]["top1_accuracy"] >= 0.970 - MARGIN
    assert m["retrieval"]["not_sold_accuracy"] >= 0.750 - MARGIN
