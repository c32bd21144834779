"""A customer's own erasure request over WhatsApp: webhook → worker → question → NDIO → erased, the
confirmation reaches them, then their address goes; other customers untouched."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fakes.fake_graph import FakeGraph
from tests.webhook.conftest import App, query, text_payload, wait_until

ASHA, OTIENO = "254722000111", "254733000222"


def _user_texts(db_url: str, phone: str) -> list[str]:
    return [r["content"] for r in query(db_url, """SELECT m.content FROM messages m JOIN conversations c
                                                   ON c.id = m.conversation_id WHERE c.customer_phone = %s
                                                   AND m.role = 'user' ORDER BY m.created_at""", (phone,))]


def _send(app: App, text: str, wamid: str, phone: str) -> None:
    assert app.post_webhook(text_payload(text, wamid=wamid, phone=phone)).status_code == 200


@pytest.mark.parametrize("request_text", ["Tafadhali futa data yangu", "delete my data please"])
def test_futa_data_yangu_asks_then_erases(app: App, shop: dict[str, Any], worker: Any, graph: FakeGraph,
                                         db_url: str, run_cli, request_text: str) -> None:
    _send(app, "Unga ni pesa ngapi?", "w.1", ASHA)
    _send(app, "Sukari iko?", "w.2", OTIENO)
    graph.wait_for(2)
    _send(app, request_text, "w.3", ASHA)
    asked = graph.wait_for(3)[2]
    assert asked.body["to"] == ASHA and "NDIO" in asked.body["text"]["body"] and "YES" in asked.body["text"]["body"]
    assert len(_user_texts(db_url, ASHA)) == 2  # nothing erased on the question alone

    _send(app, "Ndio", "w.4", ASHA)
    told = graph.wait_for(4)[3]
    assert told.body["to"] == ASHA and "deleted" in told.body["text"]["body"]
    # erased at once: no text is left, only the address until the confirmation went out
    assert wait_until(lambda: set(_user_texts(db_url, ASHA)) == {"[erased]"})
    assert query(db_url, "SELECT count(*) AS n FROM messages WHERE content LIKE '%%Unga ni pesa%%'")[0]["n"] == 0

    done = run_cli("privacy", "retention")  # also what the 10-minute Dagster schedule does
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["(customer erasures completed)"] == {"conversations": 1}
    assert _user_texts(db_url, ASHA) == []  # the number is gone from the shop's data
    assert query(db_url, "SELECT count(*) AS n FROM conversations WHERE customer_wa_id = %s", (ASHA,))[0]["n"] == 0
    assert _user_texts(db_url, OTIENO) == ["Sukari iko?"]  # another customer untouched
    [entry] = query(db_url, "SELECT actor, detail FROM audit_log WHERE action = 'privacy_erase'")
    assert entry["actor"] == "customer" and entry["detail"]["messages"] >= 4
    assert ASHA not in json.dumps(query(db_url, "SELECT detail, subject FROM audit_log"), default=str)


def test_hapana_cancels_and_other_text_answers_normally(app: App, shop: dict[str, Any], worker: Any,
                                                        graph: FakeGraph, db_url: str) -> None:
    _send(app, "futa data yangu", "w.1", ASHA)
    graph.wait_for(1)
    _send(app, "hapana", "w.2", ASHA)
    assert "nothing was deleted" in graph.wait_for(2)[1].body["text"]["body"]
    _send(app, "Unga ni pesa ngapi?", "w.3", ASHA)
    assert "KES 210" in graph.wait_for(3)[2].body["text"]["body"]
    _send(app, "delete my messages", "w.4", ASHA)
    graph.wait_for(4)
    _send(app, "Sukari iko?", "w.5", ASHA)  # moved on: the question lapses, no erasure
    assert "KES" in graph.wait_for(5)[4].body["text"]["body"]
    assert "Unga ni pesa ngapi?" in _user_texts(db_url, ASHA)
    assert query(db_url, "SELECT count(*) AS n FROM audit_log")[0]["n"] == 0


def test_niondoe_alone_opts_out_and_says_how_to_erase_niondoe_data_yangu_asks(
        app: App, shop: dict[str, Any], worker: Any, graph: FakeGraph, db_url: str) -> None:
    _send(app, "niondoe", "w.1", ASHA)  # "remove me": no more messages, and how to have the data deleted
    opted = graph.wait_for(1)[0].body["text"]["body"]
    assert "START" in opted and "FUTA DATA YANGU" in opted and "DELETE MY DATA" in opted
    assert query(db_url, "SELECT opted_out FROM conversations WHERE customer_phone = %s", (ASHA,))[0]["opted_out"]
    _send(app, "niondoe data yangu", "w.2", ASHA)  # an erasure request is answered even when opted out
    asked = graph.wait_for(2)[1].body["text"]["body"]
    assert "NDIO" in asked and "YES" in asked
    assert len(_user_texts(db_url, ASHA)) == 2  # nothing erased before the customer confirms
