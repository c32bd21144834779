"""Per-customer pace through the real webhook and worker: a customer who floods a shop gets at most N answers a
minute (the newest message of a burst is the one answered), every message is stored, the owner is told once,
and another customer of the same shop is answered as usual."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from tests.fakes.fake_graph import FakeGraph
from tests.webhook.conftest import App, query, text_payload, wait_until

FLOODER, OTHER = "254722000777", "254722000888"


def _jobs(db_url: str, phone: str) -> list[dict[str, Any]]:
    return query(db_url, """SELECT j.status, j.not_before, m.content FROM inbound_jobs j
                            JOIN messages m ON m.id = j.message_id JOIN conversations c ON c.id = j.conversation_id
                            WHERE c.customer_phone = %s ORDER BY j.id""", (phone,))


def test_a_flood_is_answered_at_a_sane_pace_and_nothing_is_dropped(
        app: App, shop: dict[str, Any], graph: FakeGraph, db_url: str, warm_model: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from mtaabot.whatsapp.worker import Worker

    monkeypatch.setenv("MTAABOT_CUSTOMER_RATE_PER_MINUTE", "3")
    for i in range(10):  # ten questions in a burst, before the worker takes any
        answer = app.post_webhook(text_payload(f"Bei ya sukari ni ngapi? ({i})", wamid=f"wamid.FLOOD{i:03d}",
                                               phone=FLOODER))
        assert answer.status_code == 200 and answer.json()["stored"] == 1
    assert app.post_webhook(text_payload("Mna unga?", wamid="wamid.OTHER001", phone=OTHER)).status_code == 200

    worker = Worker(db_url, senders=1, poll_seconds=0.1).start()
    try:
        assert worker.ready.wait(300)
        # 3 answers to the flooder (the limit) + 1 to the other customer; the rest wait or are covered
        sent = graph.wait_for(4, timeout=120)
        assert wait_until(lambda: [j["status"] for j in _jobs(db_url, FLOODER)][:9] == ["done"] * 9, timeout=60)
        assert sorted(s.body["to"] for s in sent) == [FLOODER] * 3 + [OTHER]
        jobs = _jobs(db_url, FLOODER)
        assert len(jobs) == 10  # every message stored with its job: nothing dropped
        assert jobs[-1]["status"] == "pending"  # the newest waits for the minute to free
        stored = query(db_url, "SELECT count(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id "
                               "WHERE c.customer_phone = %s AND m.role = 'user'", (FLOODER,))
        assert stored[0]["n"] == 10
        replies = query(db_url, """SELECT m.reply_to, u.content FROM messages m JOIN messages u ON u.id = m.reply_to
                                   JOIN conversations c ON c.id = m.conversation_id
                                   WHERE c.customer_phone = %s AND m.role = 'bot' ORDER BY m.created_at""",
                        (FLOODER,))
        assert [r["content"][-3:] for r in replies] == ["(0)", "(1)", "(2)"]
        notices = query(db_url, "SELECT body FROM notifications WHERE kind = 'rate_limit'")
        assert len(notices) == 1 and "kila ujumbe unahifadhiwa" in notices[0]["body"].lower()  # owner: Swahili

        # the minute passes (moved back in the database rather than waited for): the newest is answered
        with psycopg.connect(db_url, autocommit=True) as c:
            c.execute("UPDATE messages SET created_at = created_at - interval '61 seconds' WHERE role = 'bot'")
            c.execute("UPDATE inbound_jobs SET not_before = now() WHERE status = 'pending'")
        more = graph.wait_for(5, timeout=120)
        assert [s.body["to"] for s in more].count(FLOODER) == 4
        assert wait_until(lambda: _jobs(db_url, FLOODER)[-1]["status"] == "done", timeout=30)
        last = query(db_url, """SELECT u.content FROM messages m JOIN messages u ON u.id = m.reply_to
                                JOIN conversations c ON c.id = m.conversation_id
                                WHERE c.customer_phone = %s AND m.role = 'bot' ORDER BY m.created_at DESC LIMIT 1""",
                     (FLOODER,))
        assert last[0]["content"].endswith("(9)")  # the newest message of the burst got the answer
        assert len(query(db_url, "SELECT 1 FROM notifications WHERE kind = 'rate_limit'")) == 1  # told once
    finally:
        worker.stop()
