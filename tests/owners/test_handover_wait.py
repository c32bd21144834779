"""A hand-over keeps the bot quiet only while the owner is on it (MTAABOT_HANDOVER_MINUTES): a customer whose
owner never picks up is answered again, a complaint goes back to the owner, the owner's reply keeps the chat with
the owner, and the alert says how to hand back. The clock is moved by moving the chat's times back."""

from __future__ import annotations

import pytest

from mtaabot.owners.registry import add_trusted_owner
from tests.engine.conftest import ask, make_shop

OWNER = "254700000778"
CUSTOMER = "254712900301"


@pytest.fixture
def shop(conn, monkeypatch):
    monkeypatch.setenv("MTAABOT_OWNER_QUIET_HOURS", "off")
    monkeypatch.delenv("MTAABOT_HANDOVER_MINUTES", raising=False)  # the default: 10 minutes
    shop = make_shop(conn, opening_hours="Daily 0:00-23:59")
    add_trusted_owner(conn, shop["id"], OWNER)
    conn.commit()
    return shop


def minutes_pass(conn, shop, minutes: int) -> None:
    """Move this customer's hand-over and every message of the chat `minutes` into the past."""
    conn.execute("""UPDATE conversations SET escalated_at = escalated_at - make_interval(mins => %s)
                    WHERE business_id = %s AND customer_phone = %s""", (minutes, shop["id"], CUSTOMER))
    conn.execute("""UPDATE messages m SET created_at = m.created_at - make_interval(mins => %s) FROM conversations c
                    WHERE c.id = m.conversation_id AND c.business_id = %s AND c.customer_phone = %s""",
                 (minutes, shop["id"], CUSTOMER))
    conn.commit()


def hand_overs(conn, shop) -> int:
    return conn.execute("SELECT count(*) AS n FROM notifications WHERE business_id = %s AND kind = 'escalation'",
                        (shop["id"],)).fetchone()["n"]


def test_a_hand_over_nobody_picks_up_lets_the_bot_answer_again_and_a_complaint_goes_back_to_the_owner(conn, shop):
    """After "sukari imeoza, nataka refund" every later message went unanswered for ever when the owner did not
    pick up: "bei ya unga?" half an hour later got silence. Now the owner has the chat for 10 minutes; after that
    questions and orders are answered (saying once that the owner was told) and a new complaint is the owner's."""
    assert ask(conn, shop, "Mlinipa sukari imeoza, nataka mnirudishie pesa", customer=CUSTOMER).escalated
    assert ask(conn, shop, "bei ya unga?", customer=CUSTOMER).reply is None  # the owner's turn
    minutes_pass(conn, shop, 11)
    price = ask(conn, shop, "bei ya unga?", customer=CUSTOMER)
    assert "KES 210" in price.reply and "mwenye duka" in price.reply.lower() and not price.escalated
    order = ask(conn, shop, "nipe unga mbili", customer=CUSTOMER)
    assert order.order and "KES 420" in order.reply and "julishwa" not in order.reply  # said once
    before = hand_overs(conn, shop)
    again = ask(conn, shop, "Na hiyo pesa ya sukari mbovu je? Nataka refund yangu", customer=CUSTOMER)
    assert again.escalated and "KES" not in again.reply and hand_overs(conn, shop) == before + 1
    assert ask(conn, shop, "bei ya mafuta?", customer=CUSTOMER).reply is None  # with the owner again


@pytest.mark.parametrize("follow_up", ["sasa mtanirudishia pesa ama?", "hello??", "mbona kimya?"])
def test_a_follow_up_to_a_complaint_nobody_picked_up_goes_back_to_the_owner(conn, shop, follow_up):
    """"sasa mtanirudishia pesa ama?" ten minutes after "maziwa ... imeharibika, nataka refund" got "Karibu ...
    Unataka nini leo?" and the owner no new alert (customer test s29)."""
    assert ask(conn, shop, "Hii maziwa yenu ilikuwa imeharibika jana, nataka refund", customer=CUSTOMER).escalated
    minutes_pass(conn, shop, 11)
    before = hand_overs(conn, shop)
    again = ask(conn, shop, follow_up, customer=CUSTOMER)
    assert again.escalated and "karibu" not in again.reply.lower(), again.reply
    assert hand_overs(conn, shop) == before + 1


def test_the_owners_reply_keeps_the_chat_with_the_owner_for_the_wait_then_the_bot_answers(conn, shop):
    """The owner who answered with JIBU is talking to the customer: the bot keeps out of it for the wait counted
    from the owner's last message, then answers without saying the owner was told (the owner did reply)."""
    ask(conn, shop, "Nataka kuongea na mtu", customer=CUSTOMER)
    number = conn.execute("SELECT max(number) AS n FROM owner_alerts WHERE business_id = %s",
                          (shop["id"],)).fetchone()["n"]
    minutes_pass(conn, shop, 30)
    assert "Imetumwa" in ask(conn, shop, f"JIBU {number} Niko hapa, niambie", customer=OWNER).reply
    assert ask(conn, shop, "bei ya sukari?", customer=CUSTOMER).reply is None
    minutes_pass(conn, shop, 11)
    answer = ask(conn, shop, "bei ya sukari?", customer=CUSTOMER)
    assert "Sugar 1kg" in answer.reply and "KES" in answer.reply and "julishwa" not in answer.reply


def test_the_hand_over_alert_says_how_to_hand_back_and_when_the_bot_answers_again(conn, shop):
    ask(conn, shop, "Nataka kuongea na mtu", customer=CUSTOMER)
    alert = conn.execute(
        """SELECT m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id
           WHERE c.business_id = %s AND c.customer_phone = %s AND m.intent = 'owner_alert'""",
        (shop["id"], OWNER)).fetchone()["content"]
    assert "RUDISHA 1" in alert and "dakika 10" in alert


def test_a_wait_of_0_keeps_the_bot_quiet_until_the_owner_hands_back(conn, shop, monkeypatch):
    monkeypatch.setenv("MTAABOT_HANDOVER_MINUTES", "0")
    ask(conn, shop, "Nataka kuongea na mtu", customer=CUSTOMER)
    minutes_pass(conn, shop, 600)
    assert ask(conn, shop, "bei ya sukari?", customer=CUSTOMER).reply is None
    assert "bot itamjibu" in ask(conn, shop, "RUDISHA 1", customer=OWNER).reply
    assert "Sugar 1kg" in ask(conn, shop, "bei ya sukari?", customer=CUSTOMER).reply
