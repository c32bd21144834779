"""Deliveries that race another delivery of the same customer at the database: acknowledged 200 and stored once.

The conversations table has two unique keys per business (phone and BSUID); an insert that loses the race on
the one that is not the ON CONFLICT target gets a unique violation or, inside one INSERT, a deadlock, and the
store retries both. It answered 503 instead: the retry's `except` named an exception class psycopg does not
have, and psycopg's DeadlockDetected is not a subclass of TransactionRollback (its SQLSTATE class 40 is)."""

from __future__ import annotations

import json
import threading
from typing import Any

import psycopg
import pytest
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



@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])  # deadlock detected, serialization failure
def test_a_delivery_postgresql_aborted_to_break_a_tie_is_retried_and_stored(app: App, shop: dict[str, Any],
                                                                           db_url: str, sqlstate: str) -> None:
    """Two first messages of one new customer can deadlock on the chat's two unique keys (phone and BSUID: seen
    about once in 200 stores of five racing deliveries) and PostgreSQL aborts one of them. That delivery is
    stored on a retry and Meta gets 200, not 503. Here the database aborts the first attempt itself (a trigger
    raising the same SQLSTATE once; a sequence counts attempts, since it survives the rollback), so the test
    does not depend on winning a race."""
    with psycopg.connect(db_url, autocommit=True) as admin:
        admin.execute("CREATE SEQUENCE chat_insert_attempts")
        admin.execute(f"""CREATE FUNCTION abort_first_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF nextval('chat_insert_attempts') = 1 THEN
                RAISE EXCEPTION 'tie broken by the database' USING ERRCODE = '{sqlstate}';
              END IF;
              RETURN NEW;
            END $$""")
        admin.execute("CREATE TRIGGER abort_first_attempt BEFORE INSERT ON conversations FOR EACH ROW "
                      "EXECUTE FUNCTION abort_first_attempt()")
    body = json.dumps(text_payload("Bei ya unga?", wamid="wamid.TIE1", phone="254722555002")).encode()
    answer = requests.post(app.url + "/webhook", data=body, timeout=30,
                           headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(body)})
    assert answer.status_code == 200, answer.text
    assert answer.json()["stored"] == 1
    assert query(db_url, "SELECT last_value AS n FROM chat_insert_attempts")[0]["n"] == 2  # aborted, then stored
    assert query(db_url, "SELECT count(*) AS n FROM messages WHERE wamid = 'wamid.TIE1'")[0]["n"] == 1
    assert query(db_url, "SELECT count(*) AS n FROM inbound_jobs")[0]["n"] == 1
