"""Shape checks shared by the labelled evaluation sets in tests/fixtures (messages.jsonl + catalogue.csv)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import psycopg

from mtaabot.devtools.evaluation import V2_LABELS, read_jsonl, run_all


def assert_well_formed(directory: Path, *, min_rows: int, every_intent: bool = True) -> list[dict[str, Any]]:
    """Every message is labelled with a known language and intent, written once, and expects only products of
    its own shop; hand-overs are exactly the complaints and person requests; "not sold" expects nothing."""
    rows = read_jsonl(directory / "messages.jsonl")
    assert len(rows) >= min_rows
    assert {r["language"] for r in rows} == {"SHENG", "SWA", "ENG"}
    intents = {r["intent"] for r in rows}
    assert intents == set(V2_LABELS) if every_intent else intents <= set(V2_LABELS)
    assert len({r["text"].lower() for r in rows}) == len(rows)
    with (directory / "catalogue.csv").open(encoding="utf-8") as f:
        stocked = {(row["business"], row["name"]) for row in csv.DictReader(f)}
    assert all((r["business"], e) in stocked for r in rows for e in r["expect"])
    assert all(r["escalate"] == (r["intent"] in ("complaint", "human")) for r in rows)
    assert all(not r["expect"] for r in rows if r["intent"] == "not_sold")
    return rows


def evaluated(conn: psycopg.Connection, directory: Path) -> dict[str, Any]:
    """`mtaabot eval` on one set against the real database: every message was answered and no reply invented a
    price (a sample of any such reply is shown); returns the figures for the set's own floors."""
    m = run_all(conn, directory)
    conn.rollback()
    assert m["failures"] == []
    assert m["invented_prices"]["count"] == 0, json.dumps(m["invented_prices"]["errors"][:3], ensure_ascii=False)
    return m
