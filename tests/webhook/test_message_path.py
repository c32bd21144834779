"""The WhatsApp message path over real HTTP: signed webhook -> stored once -> worker -> fake Graph API."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest

from tests.fakes.fake_graph import FakeGraph
from tests.webhook.conftest import (
    ACCESS_TOKEN,
    PHONE_NUMBER_ID,
    VERIFY_TOKEN,
    App,
    fixture,
    query,
    text_payload,
    wait_until,
)


def _status_payload(wamid: str, status: str, code: int | None = None,
                    callback_data: str | None = None) -> dict[str, Any]:
    body = fixture("status_failed.json" if code else "status_delivered.json")
    item = body["entry"][0]["changes"][0]["value"]["statuses"][0]
    item["id"], item["status"] = wamid, status
    if callback_data:  # Meta echoes the send's biz_opaque_callback_data in its statuses
        item["biz_opaque_callback_data"] = callback_data
    if code:
        item["errors"][0]["code"] = code
    return body


def test_verification_handshake(app: App, shop: dict[str, Any]) -> None:
    import requests

    ok = requests.get(app.url + "/webhook", params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                                    "hub.challenge": "1158201444"}, timeout=10)
    assert ok.status_code == 200 and ok.text == "1158201444"
    bad = requests.get(app.url + "/webhook", params={"hub.mode": "subscribe", "hub.verify_token": "nope",
                                                     "hub.challenge": "1"}, timeout=10)
    assert bad.status_code == 403


def test_bad_or_missing_signature_is_refused_and_nothing_stored(app: App, shop: dict[str, Any],
                                                                 db_url: str) -> None:
    body = json.dumps(fixture("text.json")).encode()
    assert app.post_webhook(body, signature=None).status_code == 401
    assert app.post_webhook(body, signature="sha256=" + "0" * 64).status_code == 403
    assert app.post_webhook(body, signature="garbage").status_code == 403
    tampered = body.replace(b"unga", b"UNGA")
    from tests.webhook.conftest import sign

    assert app.post_webhook(tampered, signature=sign(body)).status_code == 403
    assert query(db_url, "SELECT count(*) AS n FROM messages")[0]["n"] == 0


def test_text_in_one_reply_out_with_language_confidence_tokens(app: App, shop: dict[str, Any], worker: Any,
                                                               graph: FakeGraph, db_url: str) -> None:
    resp = app.post_webhook(fixture("text.json"))
    assert resp.status_code == 200 and resp.json()["stored"] == 1
    [sent] = graph.wait_for(1)
    assert sent.body["to"] == "254722123456" and "recipient" not in sent.body
    assert sent.phone_number_id == PHONE_NUMBER_ID and sent.token == ACCESS_TOKEN + "Mam"
    assert "KES 210" in sent.body["text"]["body"]  # the maize flour price from this shop's catalogue
    rows = wait_until(lambda: query(db_url, "SELECT * FROM messages WHERE role = 'bot' AND wamid IS NOT NULL"))
    [bot] = rows
    assert bot["wamid"] == sent.wamid and bot["delivery_status"] == "sent"
    assert bot["content"] == sent.body["text"]["body"]
    [user] = query(db_url, "SELECT * FROM messages WHERE role = 'user'")
    assert user["detected_language"] in ("SHENG", "SWA") and 0 <= float(user["confidence_score"]) <= 1
    assert user["tokens_used"] > 0 and bot["tokens_used"] > 0 and bot["reply_to"] == user["id"]
    [conv] = query(db_url, "SELECT * FROM conversations")
    assert conv["customer_name"] == "Achieng" and conv["customer_bsuid"] == "KE.1a2b3c4d5e"
    assert conv["last_message_at"] == bot["created_at"]  # the chat's latest message is the bot's answer

    # statuses move the bot message forward, never back
    for status in ("delivered", "read", "delivered"):
        assert app.post_webhook(_status_payload(sent.wamid, status)).status_code == 200
    assert query(db_url, "SELECT delivery_status FROM messages WHERE id = %s", (bot["id"],))[0][
        "delivery_status"] == "read"
    # a second delivery of the same message changes nothing and sends nothing
    assert app.post_webhook(fixture("text.json")).json()["duplicates"] == 1
    assert len(graph.wait_for(2, timeout=1.0)) == 1


def test_bsuid_only_customer_is_answered_via_recipient(app: App, shop: dict[str, Any], worker: Any,
                                                       graph: FakeGraph, db_url: str) -> None:
    assert app.post_webhook(fixture("text_bsuid_only.json")).status_code == 200
    [sent] = graph.wait_for(1)
    assert sent.body["recipient"] == "KE.9f8e7d6c5b" and "to" not in sent.body
    [conv] = query(db_url, "SELECT * FROM conversations")
    assert conv["customer_wa_id"] is None and conv["customer_bsuid"] == "KE.9f8e7d6c5b"


def test_every_fixture_payload_is_accepted(app: App, shop: dict[str, Any], worker: Any, graph: FakeGraph,
                                           db_url: str) -> None:
    names = ["text.json", "text_bsuid_only.json", "two_messages.json", "image.json", "voice_note.json",
             "location.json", "unsupported.json", "button_reply.json", "status_delivered.json",
             "status_read.json", "status_failed.json"]
    for name in names:
        assert app.post_webhook(fixture(name)).status_code == 200, name
    wamids = {r["wamid"] for r in query(db_url, "SELECT wamid FROM messages WHERE role = 'user'")}
    assert wamids >= {"wamid.TWO1", "wamid.TWO2", "wamid.IMG1", "wamid.AUD1", "wamid.LOC1", "wamid.UNS1",
                      "wamid.BTN1"}
    assert len(wamids) == 9
    # 9 customer messages, one answer each (the button reply hands Achieng's chat to a person)
    sent = graph.wait_for(9)
    assert len(sent) == 9
    by_to: dict[str, list[str]] = {}
    for s in sent:
        by_to.setdefault(s.body.get("to") or s.body.get("recipient"), []).append(s.body["text"]["body"])
    assert any("voice note" in t for t in by_to["254711222333"])  # voice: asked to type
    assert any("Kawangware" in t for t in by_to["254799888777"])  # location: the shop's own location
    [conv] = query(db_url, "SELECT status FROM conversations WHERE customer_phone = '254722123456'")
    assert conv["status"] == "human_escalated"
    assert query(db_url, "SELECT count(*) AS n FROM notifications WHERE kind = 'escalation'")[0]["n"] >= 1


def test_escalated_conversation_is_stored_but_not_answered(app: App, shop: dict[str, Any], worker: Any,
                                                           graph: FakeGraph, db_url: str) -> None:
    assert app.post_webhook(fixture("button_reply.json")).status_code == 200
    graph.wait_for(1)  # the hand-over notice
    assert app.post_webhook(text_payload("Bei ya sukari?", wamid="wamid.AFTER1", phone="254722123456"))\
        .status_code == 200
    wait_until(lambda: query(db_url, "SELECT 1 FROM inbound_jobs WHERE status = 'done' AND message_id = "
                                     "(SELECT id FROM messages WHERE wamid = 'wamid.AFTER1')"))
    assert len(graph.wait_for(2, timeout=1.0)) == 1
    [msg] = query(db_url, "SELECT * FROM messages WHERE wamid = 'wamid.AFTER1'")
    assert msg["content"] == "Bei ya sukari?" and msg["detected_language"] == "SWA" and msg["tokens_used"] > 0
    assert query(db_url, "SELECT count(*) AS n FROM messages WHERE reply_to = %s", (msg["id"],))[0]["n"] == 0


def test_opt_out_only_when_meant_confirmed_once_and_undone_by_writing_again(
        app: App, shop: dict[str, Any], worker: Any, graph: FakeGraph, db_url: str) -> None:
    phone = "254733444555"
    app.post_webhook(text_payload("Sitaki", wamid="wamid.O0", phone=phone))  # "no" to the bot, not an opt-out
    graph.wait_for(1)
    assert query(db_url, "SELECT opted_out FROM conversations")[0]["opted_out"] is False
    app.post_webhook(text_payload("STOP", wamid="wamid.O1", phone=phone))
    confirm = graph.wait_for(2)[-1]
    assert "START" in confirm.body["text"]["body"]
    app.post_webhook(text_payload("acha!", wamid="wamid.O2", phone=phone))
    app.post_webhook(text_payload("Acha kunitumia", wamid="wamid.O3", phone=phone))
    wait_until(lambda: query(db_url, "SELECT count(*) AS n FROM inbound_jobs WHERE status = 'done'")[0]["n"] == 4)
    assert len(graph.wait_for(3, timeout=1.0)) == 2  # confirmed once, then silence
    assert query(db_url, "SELECT opted_out FROM conversations")[0]["opted_out"] is True
    app.post_webhook(text_payload("Mna sukari?", wamid="wamid.O4", phone=phone))  # writing again undoes it
    answer = graph.wait_for(3)[-1]
    assert "KES" in answer.body["text"]["body"]
    assert query(db_url, "SELECT opted_out FROM conversations")[0]["opted_out"] is False
    # a request in a sentence is as explicit as the keyword
    app.post_webhook(text_payload("Tafadhali usinitumie meseji tena", wamid="wamid.O5", phone=phone))
    wait_until(lambda: query(db_url, "SELECT opted_out FROM conversations")[0]["opted_out"] is True)
    assert "START" in graph.wait_for(4)[-1].body["text"]["body"]


@pytest.mark.parametrize(("text", "phone"), [
    ("kuna offer yoyote", "254733444601"), ("Kuna ofa yoyote leo?", "254733444602"),
    ("mna offer gani wiki hii", "254733444603"),
])
def test_asking_about_offers_is_answered_not_an_opt_out(app: App, shop: dict[str, Any], worker: Any, graph: FakeGraph,
                                                        db_url: str, text: str, phone: str) -> None:
    """"kuna offer yoyote" opted the customer out for good (the learned head took "offer" from "sitaki offers")."""
    app.post_webhook(text_payload(text, wamid=f"wamid.OF{phone[-1]}", phone=phone))
    answer = graph.wait_for(1)[-1].body["text"]["body"]
    assert "START" not in answer and query(db_url, "SELECT opted_out FROM conversations")[0]["opted_out"] is False


def test_graph_429_then_500_then_200_sends_exactly_one_reply(app: App, shop: dict[str, Any], worker: Any,
                                                             graph: FakeGraph, db_url: str) -> None:
    graph.script(429, 500)
    app.post_webhook(text_payload("Sukari ni how much?", wamid="wamid.R1"))
    sent = graph.wait_for(1)
    assert len(sent) == 1 and [r.status for r in graph.requests] == [429, 500, 200]
    wait_until(lambda: query(db_url, "SELECT 1 FROM outbox WHERE status = 'sent'"))
    [row] = query(db_url, "SELECT * FROM outbox")
    assert row["status"] == "sent" and row["wamid"] == sent[0].wamid
    assert len(graph.wait_for(2, timeout=1.0)) == 1


def test_window_closed_status_blocks_free_form_sends(app: App, shop: dict[str, Any], worker: Any,
                                                     graph: FakeGraph, db_url: str, conn: psycopg.Connection) -> None:
    from mtaabot.whatsapp.outbox import enqueue_owner_reply

    app.post_webhook(text_payload("Hello", wamid="wamid.W1", phone="254744000111"))
    [first] = graph.wait_for(1)
    # the status may arrive before the sender has recorded the wamid: the echoed outbox id links it
    status = _status_payload(first.wamid, "failed", 131047, first.body["biz_opaque_callback_data"])
    assert app.post_webhook(status).status_code == 200
    wait_until(lambda: query(db_url, "SELECT 1 FROM outbox WHERE status = 'sent'"))
    [bot] = query(db_url, "SELECT * FROM messages WHERE wamid = %s", (first.wamid,))
    assert bot["delivery_status"] == "failed" and bot["delivery_error_code"] == 131047
    [conv] = query(db_url, "SELECT * FROM conversations")
    assert conv["window_closed_at"] >= bot["created_at"]  # closed by that failed status, after the send
    enqueue_owner_reply(conn, shop["id"], conv["id"], "Karibu tena!")
    conn.commit()
    wait_until(lambda: query(db_url, "SELECT 1 FROM outbox WHERE status = 'skipped'"))
    assert len(graph.wait_for(2, timeout=1.0)) == 1
    # the customer writes again: the window reopens and the owner can reply
    app.post_webhook(text_payload("Uko?", wamid="wamid.W2", phone="254744000111"))
    assert query(db_url, "SELECT window_closed_at FROM conversations")[0]["window_closed_at"] is None
    enqueue_owner_reply(conn, shop["id"], conv["id"], "Niko hapa, karibu!")
    conn.commit()
    texts = [s.body["text"]["body"] for s in graph.wait_for(3)]
    assert "Niko hapa, karibu!" in texts


def test_unknown_number_is_acknowledged_and_recorded(app: App, shop: dict[str, Any], db_url: str) -> None:
    resp = app.post_webhook(text_payload("Habari", wamid="wamid.U1", phone_number_id="999000999"))
    assert resp.status_code == 200 and resp.json()["unknown_numbers"] == ["999000999"]
    assert query(db_url, "SELECT count(*) AS n FROM messages")[0]["n"] == 0
    [row] = query(db_url, "SELECT * FROM webhook_unprocessed")
    assert row["reason"] == "unknown phone_number_id" and row["phone_number_id"] == "999000999"


def test_tenants_are_routed_by_phone_number_id(app: App, shop: dict[str, Any], worker: Any, graph: FakeGraph,
                                               db_url: str, conn: psycopg.Connection) -> None:
    from tests.webhook.conftest import create_shop

    other = create_shop(conn, "Salon Shiku", phone_number_id="555000555", number="0711000055")
    app.post_webhook(text_payload("Sukari bei gani?", wamid="wamid.T1", phone="254755000001"))
    app.post_webhook(text_payload("Sukari bei gani?", wamid="wamid.T1", phone="254755000001",
                                  phone_number_id="555000555"))
    sent = graph.wait_for(2)
    assert sorted(s.phone_number_id for s in sent) == sorted([PHONE_NUMBER_ID, "555000555"])
    rows = query(db_url, "SELECT business_id, count(*) AS n FROM messages WHERE role = 'user' GROUP BY 1")
    assert {str(r["business_id"]) for r in rows} == {str(shop["id"]), str(other["id"])}


def test_database_down_answers_503_so_meta_retries(wa_env: dict[str, str], monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:9/nowhere?connect_timeout=1")
    served = App()
    try:
        resp = served.post_webhook(fixture("text.json"))
        assert resp.status_code == 503 and "retry" in resp.json()["error"]
        import requests

        api = requests.get(served.url + "/api/v1/products", headers={"Authorization": "Bearer mtb_x"}, timeout=30)
        assert api.status_code == 503
    finally:
        served.close()


def test_a_message_the_engine_keeps_failing_on_goes_to_the_owner(app: App, shop: dict[str, Any], graph: FakeGraph,
                                                                  db_url: str, conn: psycopg.Connection) -> None:
    """Engine errors are retried; after the last attempt the chat is handed over and the customer told."""
    from mtaabot.whatsapp import worker as worker_mod
    from mtaabot.whatsapp.worker import Worker, run_one_job

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("engine exploded")

    app.post_webhook(text_payload("Mna sukari?", wamid="wamid.E1", phone="254766000111"))
    for _attempt in range(worker_mod.MAX_JOB_ATTEMPTS):
        conn.execute("UPDATE inbound_jobs SET not_before = now()")
        conn.commit()
        assert run_one_job(conn, broken) == "error"
    [job] = query(db_url, "SELECT * FROM inbound_jobs")
    assert job["status"] == "failed" and "engine exploded" in job["last_error"]
    assert run_one_job(conn, broken) is None
    w = Worker(db_url, senders=1, poll_seconds=0.1, respond=broken).start()
    try:
        [sent] = graph.wait_for(1)
    finally:
        w.stop()
    assert "person" in sent.body["text"]["body"]
    assert query(db_url, "SELECT status FROM conversations")[0]["status"] == "human_escalated"


def test_closed_conversation_reopens_when_the_customer_writes(app: App, shop: dict[str, Any], worker: Any,
                                                              graph: FakeGraph, db_url: str,
                                                              conn: psycopg.Connection) -> None:
    app.post_webhook(text_payload("Habari", wamid="wamid.C1", phone="254788000111"))
    graph.wait_for(1)
    conn.execute("UPDATE conversations SET status = 'closed'")
    conn.commit()
    app.post_webhook(text_payload("Bei ya sukari?", wamid="wamid.C2", phone="254788000111"))
    assert len(graph.wait_for(2)) == 2
    assert query(db_url, "SELECT status FROM conversations")[0]["status"] == "ai_active"


def test_a_send_cut_off_before_its_post_is_sent_once_after_the_database_is_back(
        app: App, shop: dict[str, Any], graph: FakeGraph, db_url: str) -> None:
    """The database goes away while the sender commits its pre-POST marker: nothing was posted, so the reply
    must not end up 'interrupted' (failed, never resent) even when the marker's commit reached the server."""
    from mtaabot.db import connect
    from mtaabot.whatsapp.client import GraphClient
    from mtaabot.whatsapp.outbox import (
        NotPosted,
        claim_due,
        fail_interrupted,
        release_not_posted,
        send_claimed,
    )
    from mtaabot.whatsapp.worker import _default_respond, run_batch

    assert app.post_webhook(fixture("text.json")).status_code == 200
    with connect(db_url) as engine:
        assert run_batch(engine, _default_respond()) == ["answered"]
    client = GraphClient(max_attempts=1)
    try:
        with connect(db_url, autocommit=True) as sender, connect(db_url, autocommit=True) as admin:
            item = claim_due(sender)
            assert item is not None
            # the sender's database connection is cut right before the marker commits
            admin.execute("SELECT pg_terminate_backend(%s)", (sender.info.backend_pid,))
            with pytest.raises(NotPosted):
                send_claimed(sender, client, item)
        assert graph.requests == []  # the POST was never made
        # as the lost commit may have left it: marker set, lease run out, marked interrupted by a sender
        with connect(db_url, autocommit=True) as other:
            other.execute("UPDATE outbox SET post_started_at = clock_timestamp(), "
                          "locked_until = clock_timestamp() - interval '1 second' WHERE id = %s", (item["id"],))
            assert fail_interrupted(other) == 1
            release_not_posted(other, item["id"])  # the cut-off sender is back and says it never posted
            again = claim_due(other)
            assert again is not None and again["id"] == item["id"]
            assert send_claimed(other, client, again) == "sent"
            assert claim_due(other) is None
    finally:
        client.close()
    [sent] = graph.wait_for(1)
    [bot] = query(db_url, "SELECT * FROM messages WHERE role = 'bot'")
    assert bot["wamid"] == sent.wamid and bot["delivery_status"] == "sent"
    assert query(db_url, "SELECT status FROM outbox")[0]["status"] == "sent"
