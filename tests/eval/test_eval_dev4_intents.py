"""The new-registers intents-and-escalation set (tests/fixtures/eval_dev4_intents) on a real database.

Written before this session's model changes and never trained on or read miss by miss (README); it measures how
the understanding pass generalises to a new author's wording: SMS spelling, code-switching, indirect requests
for a person, polite complaints, haggling without the usual words. The floors are the figures measured after
the issue-20 generalisation work minus a margin (README): a regression fails here.
"""

from __future__ import annotations

from tests.conftest import FIXTURES
from tests.eval.labelled_sets import assert_well_formed

DEV4 = FIXTURES / "eval_dev4_intents"


def test_dev4_set_is_well_formed() -> None:
    assert_well_formed(DEV4, min_rows=200)
