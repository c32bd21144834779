"""Nothing waits unseen: an owner's reply to a customer that WhatsApp does not deliver (the customer's 24-hour
window closed, Meta's later "failed" status) comes back to the owner's phone and the dashboard, once.
Real webhook, real worker, fake Graph API."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from mtaabot.owners.registry import add_trusted_owner
from mtaabot.whatsapp.outbox import enqueue_owner_reply
from tests.fakes.fake_graph import FakeGraph
from tests.owners.test_owner_channel import OWNER, say, sent_to, wait_sent
from tests.webhook.conftest import App, fixture, query, wait_until


@pytest.fixture(autouse=True)
def no_quiet_hours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MTAABOT_OWNER_QUIET_HOURS", "off")


@pytest.fixture
def owned(conn: psycopg.Connection, shop: dict[str, Any]) -> dict[str, Any]:
    add_trusted_owner(conn, shop["id"], "0700000999")
    conn.commit()
    return shop


def _failed_status(wamid: str, recipient: str) -> dict[str, Any]:
    body = fixture("status_failed.json")  # error 131047: more than 24 hours since the customer wrote
    item = body["entry"][0]["changes"][0]["value"]["statuses"][0]
    item["id"], item["recipient_id"] = wamid, recipient
    return body


def test_a_jibu_that_meta_later_fails_is_reported_back_to_the_owner_once(app: App, owned: dict[str, Any],
                                                                          worker: Any, graph: FakeGraph,
                                                                          db_url: str) -> None:
    customer = "254722000555"
    say(app, customer, "Nataka kuongea na mtu, mzigo haujafika")
    wait_sent(graph, OWNER, r"#1 ")
    say(app, OWNER, "JIBU 1 Nakuletea kesho asubuhi")
    assert wait_until(lambda: "Nakuletea kesho asubuhi" in sent_to(graph, customer))
    wait_sent(graph, OWNER, r"Imetumwa")
    assert not any("HALIKUFIKA" in t for t in sent_to(graph, OWNER))  # delivered so far: nothing to report
    wamid = wait_until(lambda: query(db_url, "SELECT wamid FROM messages WHERE author = 'owner' AND wamid IS NOT NULL"))
    status = _failed_status(wamid[0]["wamid"], customer)
    assert app.post_webhook(status).status_code == 200
    told = wait_sent(graph, OWNER, r"HALIKUFIKA")
    assert "Nakuletea kesho asubuhi" in told and "#2 " in told  # numbered: the owner sees which reply
    assert app.post_webhook(_failed_status(wamid[0]["wamid"], customer)).status_code == 200  # Meta repeats itself
    wait_until(lambda: query(db_url, "SELECT count(*) AS n FROM messages WHERE delivery_status = 'failed'")[0]["n"])
    notes = query(db_url, "SELECT body FROM notifications WHERE kind = 'undelivered'")
    assert len(notes) == 1 and "24h" in notes[0]["body"]  # on the dashboard too, exactly once


def test_a_dashboard_reply_outside_the_window_is_not_shown_as_sent_and_the_owner_hears_why(
        app: App, owned: dict[str, Any], worker: Any, graph: FakeGraph, conn: psycopg.Connection,
        db_url: str) -> None:
    customer = "254722000666"
    say(app, customer, "Bei ya sukari?")
    wait_sent(graph, customer, r"KES 190")
    conv = query(db_url, "SELECT id FROM conversations WHERE customer_phone = %s", (customer,))[0]["id"]
    conn.execute("UPDATE conversations SET last_customer_message_at = now() - interval '25 hours' WHERE id = %s",
                 (conv,))  # the customer last wrote yesterday
    enqueue_owner_reply(conn, owned["id"], conv, "Sukari imefika, njoo uchukue")
    conn.commit()
    told = wait_sent(graph, OWNER, r"HALIKUFIKA")
    assert "Sukari imefika" in told and "24h" in told
    assert "Sukari imefika, njoo uchukue" not in sent_to(graph, customer)
    assert query(db_url, "SELECT delivery_status FROM messages WHERE author = 'owner'")[0]["delivery_status"] \
        == "failed"


def test_the_owner_who_writes_english_hears_it_in_english(app: App, owned: dict[str, Any], worker: Any,
                                                          graph: FakeGraph, conn: psycopg.Connection,
                                                          db_url: str) -> None:
    say(app, OWNER, "HELP me with the commands please")
    wait_sent(graph, OWNER, r"REPLY")
    customer = "254722000777"
    say(app, customer, "Do you have cooking oil?")
    wait_sent(graph, customer, r"KES 380")
    conv = query(db_url, "SELECT id FROM conversations WHERE customer_phone = %s", (customer,))[0]["id"]
    conn.execute("UPDATE conversations SET opted_out = true WHERE id = %s", (conv,))
    enqueue_owner_reply(conn, owned["id"], conv, "We have a new brand too")
    conn.commit()
    told = wait_sent(graph, OWNER, r"NOT delivered")
    assert "opt-out" in told and "We have a new brand too" in told
