"""A known customer's message is stored in one statement that finds the chat itself; a new customer, a chat to
update (a new name, a BSUID or a phone arriving) or a repeated delivery takes the full store. Either way each
message lands once, in the customer's one chat, with its job (real database, real Flask webhook over HTTP)."""

from __future__ import annotations

from typing import Any

from tests.webhook.conftest import App, query, text_payload


def _chats(db_url: str) -> list[dict[str, Any]]:
    return query(db_url, "SELECT * FROM conversations ORDER BY created_at")


def test_a_customers_messages_land_in_their_one_chat_whichever_store_takes_them(app: App, shop: dict[str, Any],
                                                                                 db_url: str) -> None:
    phone, bsuid = "254722555001", "KE.known-chat-1"
    deliveries = [
        text_payload("Habari, mna sukari?", wamid="wamid.K1", phone=phone, name="Mteja"),  # new customer
        text_payload("Na unga je?", wamid="wamid.K2", phone=phone, name="Mteja"),  # known, nothing to update
        text_payload("Bei ya mafuta?", wamid="wamid.K3", phone=phone, name="Mama Njeri"),  # a new name
        text_payload("Asante", wamid="wamid.K4", phone=phone, bsuid=bsuid, name="Mama Njeri"),  # BSUID arrives
        text_payload("Mko wazi kesho?", wamid="wamid.K5", phone=None, bsuid=bsuid, name="Mama Njeri"),  # BSUID only
        text_payload("Sawa", wamid="wamid.K6", phone=phone, bsuid=bsuid, name="Mama Njeri"),  # known by both
    ]
    for payload in deliveries:
        resp = app.post_webhook(payload)
        assert resp.status_code == 200 and resp.json()["stored"] == 1, resp.text
    # Meta repeats two of them: nothing new
    for payload in (deliveries[1], deliveries[5]):
        resp = app.post_webhook(payload)
        assert resp.status_code == 200 and resp.json()["duplicates"] == 1 and resp.json()["stored"] == 0

    [chat] = _chats(db_url)
    assert chat["customer_phone"] == phone and chat["customer_wa_id"] == phone
    assert chat["customer_bsuid"] == bsuid and chat["customer_name"] == "Mama Njeri"
    users = query(db_url, "SELECT wamid, conversation_id, content FROM messages WHERE role = 'user' ORDER BY wamid")
    assert [u["wamid"] for u in users] == [f"wamid.K{i}" for i in range(1, 7)]
    assert {u["conversation_id"] for u in users} == {chat["id"]}
    jobs = query(db_url, "SELECT message_id FROM inbound_jobs")
    assert len(jobs) == 6 and len({j["message_id"] for j in jobs}) == 6
    [last] = query(db_url, "SELECT max(created_at) AS at FROM messages WHERE role = 'user'")
    assert chat["last_customer_message_at"] == last["at"]  # the chat's "customer wrote" time moved each time


def test_another_customer_of_the_same_shop_gets_their_own_chat(app: App, shop: dict[str, Any], db_url: str) -> None:
    for i, phone in enumerate(["254722555101", "254722555102", "254722555101"]):
        resp = app.post_webhook(text_payload(f"Ujumbe {i}", wamid=f"wamid.O{i}", phone=phone, name="Mteja"))
        assert resp.status_code == 200 and resp.json()["stored"] == 1
    chats = _chats(db_url)
    assert sorted(c["customer_phone"] for c in chats) == ["254722555101", "254722555102"]
    by_chat = query(db_url, """SELECT c.customer_phone, count(*) AS n FROM messages m
                               JOIN conversations c ON c.id = m.conversation_id GROUP BY 1 ORDER BY 1""")
    assert [(r["customer_phone"], r["n"]) for r in by_chat] == [("254722555101", 2), ("254722555102", 1)]


def test_a_bsuid_chat_wins_over_an_older_phone_only_chat_of_the_same_person(app: App, shop: dict[str, Any],
                                                                            db_url: str) -> None:
    """Two chats of one person (one opened by phone before BSUIDs, one by BSUID only): a message carrying both
    goes to the BSUID's chat, every time, whichever store takes it."""
    phone, bsuid = "254722555201", "KE.known-chat-2"
    for i, (p, b) in enumerate([(phone, None), (None, bsuid), (phone, bsuid), (phone, bsuid)]):
        resp = app.post_webhook(text_payload(f"Ujumbe {i}", wamid=f"wamid.B{i}", phone=p, bsuid=b, name="Mteja"))
        assert resp.status_code == 200 and resp.json()["stored"] == 1, resp.text
    chats = {c["id"]: c for c in _chats(db_url)}
    assert len(chats) == 2
    rows = query(db_url, "SELECT wamid, conversation_id FROM messages WHERE role = 'user' ORDER BY wamid")
    where = {r["wamid"]: chats[r["conversation_id"]] for r in rows}
    assert where["wamid.B0"]["customer_bsuid"] is None  # the phone-only chat keeps its message, gets no BSUID
    assert {where[w]["customer_bsuid"] for w in ("wamid.B1", "wamid.B2", "wamid.B3")} == {bsuid}
    assert where["wamid.B3"]["customer_wa_id"] == phone  # the BSUID chat learned the phone
