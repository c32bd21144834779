"""After an erasure, the next `mtaabot dbt build` leaves none of the customer's text in the marts, and the
counts the owner sees stay the same."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row


def _q(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    with psycopg.connect(url, row_factory=dict_row, autocommit=True) as c:
        return c.execute(sql, params).fetchall()


@pytest.mark.slow
def test_erased_text_leaves_the_marts_after_the_next_build(db_url: str, run_cli) -> None:

    assert run_cli("demo", "seed", "--no-embed").returncode == 0
    sim = run_cli("demo", "simulate", "--days", "3", "--messages", "600", "--seed", "7")
    assert sim.returncode == 0, sim.stderr
    build = run_cli("dbt", "build", timeout=900)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-2000:]
    # a customer whose words are in the low-confidence mart (what owners review)
    [row] = _q(db_url, """SELECT b.name AS shop, c.customer_phone AS phone, c.id AS conv, count(*) AS n
                          FROM analytics.mart_low_confidence_replies r JOIN messages m ON m.id = r.message_id
                          JOIN conversations c ON c.id = m.conversation_id JOIN businesses b ON b.id = c.business_id
                          WHERE r.customer_text IS NOT NULL
                          GROUP BY 1, 2, 3 ORDER BY n DESC, 2 LIMIT 1""")
    texts = [r["content"] for r in _q(db_url, "SELECT content FROM messages WHERE conversation_id = %s AND "
                                              "role = 'user'", (row["conv"],))]
    mart_before = _q(db_url, "SELECT count(*) AS n FROM analytics.mart_low_confidence_replies")[0]["n"]
    activity_before = _q(db_url, "SELECT sum(messages_in) AS i, sum(messages_out) AS o, sum(tokens_total) AS t FROM analytics.mart_daily_business_activity")

    erased = run_cli("privacy", "erase", "--business", row["shop"], "--customer", row["phone"], "--yes")
    assert erased.returncode == 0, erased.stderr
    build = run_cli("dbt", "build", timeout=900)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-2000:]

    mine = _q(db_url, """SELECT r.customer_text FROM analytics.mart_low_confidence_replies r
                         JOIN messages m ON m.id = r.message_id WHERE m.conversation_id = %s""", (row["conv"],))
    assert len(mine) == row["n"] and {r["customer_text"] for r in mine} == {"[erased]"}
    assert _q(db_url, "SELECT count(*) AS n FROM analytics.mart_low_confidence_replies")[0]["n"] == mart_before
    assert _q(db_url, "SELECT sum(messages_in) AS i, sum(messages_out) AS o, sum(tokens_total) AS t FROM analytics.mart_daily_business_activity") == activity_before
    others = _q(db_url, """SELECT count(*) AS n FROM analytics.mart_low_confidence_replies
                           WHERE customer_text IS NOT NULL AND customer_text <> '[erased]'""")[0]["n"]
    assert others > 0  # other customers' rows are still there
    distinctive = [t for t in texts if t and len(t) > 25]
    for text in distinctive[:3]:  # nothing the customer wrote is left under their conversation
        assert not _q(db_url, """SELECT 1 FROM messages WHERE conversation_id = %s AND content = %s""",
                      (row["conv"], text))
