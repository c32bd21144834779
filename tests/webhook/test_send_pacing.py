"""A number's send slot (cross-process pacing) is taken in the sender's pre-POST marker transaction: real
database, real Flask webhook over HTTP, real worker path, fake Graph API."""

from __future__ import annotations

from typing import Any

from tests.fakes.fake_graph import FakeGraph
from tests.webhook.conftest import PHONE_NUMBER_ID, App, fixture, query


def _slot(db_url: str) -> Any:
    rows = query(db_url, "SELECT next_slot_at FROM whatsapp_send_slots WHERE phone_number_id = %s",
                 (PHONE_NUMBER_ID,))
    return rows[0]["next_slot_at"] if rows else None


def test_a_send_takes_its_numbers_slot_with_its_marker_or_neither(app: App, shop: dict[str, Any],
                                                                    graph: FakeGraph, db_url: str) -> None:
    """A number paced further ahead than the sender waits: the send is neither marked nor posted and the
    number's slot stays where it was (the row comes back later). Once the slot is near, the send takes the
    next slot, is marked in flight and posted, exactly once."""
    from mtaabot.db import connect
    from mtaabot.whatsapp.client import GraphClient, RateLimiter
    from mtaabot.whatsapp.outbox import PACED_AHEAD_SECONDS, claim_due, send_claimed
    from mtaabot.whatsapp.worker import _default_respond, run_batch

    assert app.post_webhook(fixture("text.json")).status_code == 200
    with connect(db_url) as engine:
        assert run_batch(engine, _default_respond()) == ["answered"]
    client = GraphClient(rate_limiter=RateLimiter(db_url, rate_per_second=5, max_wait=PACED_AHEAD_SECONDS),
                         max_attempts=1)
    try:
        with connect(db_url, autocommit=True) as sender:
            item = claim_due(sender)
            assert item is not None
            # another process's sends have paced this number 5 s ahead since the row was claimed
            sender.execute("""INSERT INTO whatsapp_send_slots (phone_number_id, next_slot_at)
                              VALUES (%s, clock_timestamp() + interval '5 seconds')
                              ON CONFLICT (phone_number_id) DO UPDATE SET next_slot_at = EXCLUDED.next_slot_at""",
                           (PHONE_NUMBER_ID,))
            paced = _slot(db_url)
            assert send_claimed(sender, client, item) == "pending"
            assert graph.requests == []
            [row] = query(db_url, "SELECT status, post_started_at FROM outbox WHERE id = %s", (item["id"],))
            assert row["status"] == "pending" and row["post_started_at"] is None
            assert _slot(db_url) == paced  # nothing taken

            # the number's slot is free again and the row is due
            sender.execute("UPDATE whatsapp_send_slots SET next_slot_at = clock_timestamp() "
                           "WHERE phone_number_id = %s", (PHONE_NUMBER_ID,))
            sender.execute("UPDATE outbox SET next_attempt_at = clock_timestamp() WHERE id = %s", (item["id"],))
            again = claim_due(sender)
            assert again is not None and again["id"] == item["id"]
            [before] = query(db_url, "SELECT clock_timestamp() AS now")
            assert send_claimed(sender, client, again) == "sent"
            assert claim_due(sender) is None
    finally:
        client.close()
    [sent] = graph.wait_for(1)
    [row] = query(db_url, "SELECT status, post_started_at FROM outbox WHERE id = %s", (item["id"],))
    assert row["status"] == "sent" and row["post_started_at"] is not None
    # the send took the next slot: the number's next send is one interval (1/5 s) after it
    assert (_slot(db_url) - before["now"]).total_seconds() >= 0.15
    [bot] = query(db_url, "SELECT * FROM messages WHERE role = 'bot'")
    assert bot["wamid"] == sent.wamid


def _wal_fsyncs(conn: Any) -> int:
    """WAL fsyncs this connection's server process made so far (PostgreSQL 18: per-backend I/O statistics)."""
    conn.execute("SELECT pg_stat_force_next_flush()")
    return int(conn.execute("SELECT coalesce(sum(fsyncs), 0) AS n FROM pg_stat_get_backend_io(pg_backend_pid()) "
                            "WHERE object = 'wal'").fetchone()["n"])


def test_the_pre_post_marker_is_flushed_before_the_post_on_an_asynchronous_sender(
        app: App, shop: dict[str, Any], graph: FakeGraph, db_url: str, fsync_on: None) -> None:
    """The sender's connection commits asynchronously, but the marker saying a POST is in flight must be on
    disk before the POST leaves (else a database crash could forget a reply Meta has and send it again): each
    marker commit flushes the WAL, with or without the number's slot in it, and the connection stays
    asynchronous for what follows."""
    from mtaabot.db import connect
    from mtaabot.whatsapp.client import RateLimiter
    from mtaabot.whatsapp.outbox import PACED_AHEAD_SECONDS, _Marker, claim_due
    from mtaabot.whatsapp.worker import _default_respond, run_batch

    assert app.post_webhook(fixture("text.json")).status_code == 200
    with connect(db_url) as engine:
        assert run_batch(engine, _default_respond()) == ["answered"]
    limiter = RateLimiter(db_url, rate_per_second=1000, max_wait=PACED_AHEAD_SECONDS)
    try:
        with connect(db_url, autocommit=True) as sender:
            sender.execute("SET synchronous_commit = off")  # as the worker's sender connection
            item = claim_due(sender)
            assert item is not None
            marker = _Marker(sender, item["id"])

            before = _wal_fsyncs(sender)
            assert marker.before_post_paced(limiter, PHONE_NUMBER_ID) is True
            assert _wal_fsyncs(sender) > before  # the paced marker's commit was flushed
            [row] = query(db_url, "SELECT post_started_at FROM outbox WHERE id = %s", (item["id"],))
            assert row["post_started_at"] is not None

            sender.execute("UPDATE outbox SET post_started_at = NULL WHERE id = %s", (item["id"],))
            before = _wal_fsyncs(sender)
            marker.before_post()
            assert _wal_fsyncs(sender) > before  # so was the plain marker's
            [row] = query(db_url, "SELECT post_started_at FROM outbox WHERE id = %s", (item["id"],))
            assert row["post_started_at"] is not None

            assert sender.execute("SHOW synchronous_commit").fetchone()["synchronous_commit"] == "off"
    finally:
        limiter.close()
