"""Deliveries that race another delivery of the same customer at the database: acknowledged 200 and stored once.

The conversations table has two unique keys per business (phone and BSUID); an insert that loses the race on
the one that is not the ON CONFLICT target gets a unique violation, which the store retries. It answered 503
instead (the retry's `except` named an exception class psycopg does not have), about once in a hundred races."""

from __future__ import annotations

import json
import threading
from typing import Any

import psycopg
import requests

from tests.webhook.conftest import App, query, sign, text_payload, wait_until


def test_first_message_racing_a_chat_of_the_same_bsuid_is_stored_in_that_chat(app: App, shop: dict[str, Any],
                                                                              db_url: str) -> None:
    """A customer's first message arrives while another delivery of the same WhatsApp user (same BSUID, the
    number they used before) is still creating their chat: the message lands in that chat, Meta gets 200."""
    held = psycopg.connect(db_url)
    held.execute("INSERT INTO conversations (business_id, customer_phone, customer_bsuid, customer_wa_id) "
                 "VALUES (%s, '254700000999', 'KE.same-user', '254700000999')", (shop["id"],))
    body = json.dumps(text_payload("Mna sukari?", wamid="wamid.RACE1", phone="254722555001",
                                   bsuid="KE.same-user")).encode()
    answer: dict[str, requests.Response] = {}

    def deliver() -> None:
        answer["r"] = requests.post(app.url + "/webhook", data=body, timeout=30,
                                    headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(body)})

    thread = threading.Thread(target=deliver)
    thread.start()
    # the delivery waits on the uncommitted chat's BSUID before it can decide anything
    assert wait_until(lambda: query(db_url, "SELECT count(*) AS n FROM pg_stat_activity "
                                            "WHERE wait_event_type = 'Lock'")[0]["n"] >= 1, timeout=20)
    held.commit()
    held.close()
    thread.join(30)
    assert answer["r"].status_code == 200, answer["r"].text
    assert answer["r"].json()["stored"] == 1
    [chat] = query(db_url, "SELECT id, customer_bsuid FROM conversations")
    [msg] = query(db_url, "SELECT conversation_id FROM messages WHERE wamid = 'wamid.RACE1'")
    assert msg["conversation_id"] == chat["id"] and chat["customer_bsuid"] == "KE.same-user"
    assert query(db_url, "SELECT count(*) AS n FROM inbound_jobs")[0]["n"] == 1
