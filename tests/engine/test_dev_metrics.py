"""Acceptance thresholds on the labelled dev sets (copied from ../shared/eval into tests/fixtures/eval)."""

from __future__ import annotations

from mtaabot.devtools.evaluation import run_all
from tests.conftest import FIXTURES, ROOT

EVAL = FIXTURES / "eval"


def test_dev_set_metrics_meet_acceptance_thresholds(conn):
    metrics = run_all(conn, EVAL)
    conn.rollback()
    lang, ret, esc = metrics["language"], metrics["retrieval"], metrics["escalation"]
    assert lang["macro_f1"] >= 0.92, lang["errors"]
    assert all(c["f1"] >= 0.88 for c in lang["per_class"].values()), lang["per_class"]
    assert ret["top1_accuracy"] >= 0.90, ret["errors"]
    assert ret["not_sold_accuracy"] >= 0.80, ret["errors"]
    assert esc["recall"] >= 0.95, esc["errors"]
    assert esc["precision"] >= 0.85, esc["errors"]


def test_retrieval_on_our_own_questions_about_other_shops(conn):
    """42 questions written for this test against the demo shops (a grocery, a shoe stall, a phone shop)."""
    from mtaabot.devtools.evaluation import load_catalogue, read_jsonl, retrieval_metrics

    text = (ROOT / "mtaabot" / "data" / "demo_catalogue.csv").read_text(encoding="utf-8")
    shops = load_catalogue(conn, text)
    metrics = retrieval_metrics(conn, shops, read_jsonl(FIXTURES / "engine" / "retrieval_own.jsonl"))
    conn.rollback()
    assert metrics["top1_accuracy"] >= 0.9, metrics["errors"]
    assert metrics["not_sold_accuracy"] >= 0.8, metrics["errors"]


def test_escalation_on_our_own_messages(conn):
    """30 messages written for this test: requests for a person, refunds, fraud, anger, and ordinary chat."""
    from mtaabot.devtools.evaluation import escalation_metrics, load_catalogue, read_jsonl

    shops = load_catalogue(conn, (ROOT / "mtaabot" / "data" / "demo_catalogue.csv").read_text(encoding="utf-8"))
    metrics = escalation_metrics(conn, shops, read_jsonl(FIXTURES / "engine" / "escalation_own.jsonl"))
    conn.rollback()
    assert metrics["recall"] >= 0.95 and metrics["precision"] >= 0.85, metrics["errors"]
