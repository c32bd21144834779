"""The owner runs the shop from WhatsApp, through the real webhook, worker and fake Graph API: alerts to the
owner's number, JIBU/RUDISHA, PAUSE/RESUME, Coexistence echoes, coalesced bursts, non-owners ignored."""

from __future__ import annotations

import copy
import itertools
import re
from typing import Any

import psycopg
import pytest

from mtaabot.owners.registry import add_trusted_owner
from tests.fakes.fake_graph import FakeGraph
from tests.webhook.conftest import App, fixture, query, text_payload, wait_until

OWNER = "254700000999"
_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def no_quiet_hours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MTAABOT_OWNER_QUIET_HOURS", "off")  # alerts leave at once whatever the time of day


@pytest.fixture
def owned(conn: psycopg.Connection, shop: dict[str, Any]) -> dict[str, Any]:
    add_trusted_owner(conn, shop["id"], "0700000999")
    conn.commit()
    return shop


def _text(rec: Any) -> str:
    body = rec.body
    if body.get("type") == "template":
        return " ".join(p["text"] for c in body["template"]["components"] for p in c["parameters"])
    return body.get("text", {}).get("body", "")


def sent_to(graph: FakeGraph, phone: str) -> list[str]:
    return [_text(r) for r in graph.sent if r.body.get("to") == phone]


def say(app: App, phone: str, text: str) -> None:
    assert app.post_webhook(text_payload(text, wamid=f"wamid.own.{next(_ids)}", phone=phone)).status_code == 200


def wait_sent(graph: FakeGraph, phone: str, pattern: str, timeout: float = 30) -> str:
    found = wait_until(lambda: next((t for t in sent_to(graph, phone) if re.search(pattern, t)), None), timeout)
    assert found, f"nothing matching {pattern!r} sent to {phone}; got {sent_to(graph, phone)}"
    return found


def test_hand_over_alert_reply_and_hand_back(app: App, owned: dict[str, Any], worker: Any, graph: FakeGraph,
                                             db_url: str) -> None:
    customer = "254722000111"
    say(app, customer, "Msee nimelipa doh lakini sijapata mzigo, hii ni wizi!")
    alert = wait_sent(graph, OWNER, r"#1 ")
    assert "wizi" in alert and "JIBU 1" in alert
    owner_send = next(r for r in graph.sent if r.body.get("to") == OWNER)
    assert owner_send.body["type"] == "template"  # the owner had not written in 24 hours
    say(app, OWNER, "JIBU 1 Pole sana, nakuja")
    assert wait_until(lambda: "Pole sana, nakuja" in sent_to(graph, customer))
    wait_sent(graph, OWNER, r"Imetumwa")
    say(app, OWNER, "RUDISHA 1")
    wait_sent(graph, OWNER, r"bot itamjibu")
    assert query(db_url, "SELECT status FROM conversations WHERE customer_phone = %s", (customer,))[0]["status"] \
        == "ai_active"
    say(app, customer, "Sawa, bei ya sukari ni ngapi?")
    wait_sent(graph, customer, r"KES 190")


def _owner_took_the_chat(app: App, graph: FakeGraph, customer: str) -> None:
    """The customer asks for the owner, and the owner answers with JIBU 1 (the bot keeps quiet there)."""
    say(app, customer, "nataka kuongea na mwenye duka mwenyewe")
    wait_sent(graph, OWNER, r"#1 ")
    say(app, OWNER, "JIBU 1 Niko hapa, sukari ni 190")
    assert wait_until(lambda: "Niko hapa, sukari ni 190" in sent_to(graph, customer))


def test_what_the_customer_wrote_after_the_owner_s_answer_is_answered_when_handed_back(
        app: App, owned: dict[str, Any], worker: Any, graph: FakeGraph, db_url: str) -> None:
    """After JIBU and the customer's "sawa nipe mbili tu", RUDISHA left that message unanswered for good (customer
    test s28): it is answered on the hand-back, about the thing the owner's answer named."""
    customer = "254722000112"
    _owner_took_the_chat(app, graph, customer)
    say(app, customer, "sawa nipe mbili tu")
    wait_until(lambda: query(db_url, "SELECT count(*) AS n FROM inbound_jobs WHERE status = 'done'")[0]["n"] == 3)
    before = len(sent_to(graph, customer))
    say(app, OWNER, "RUDISHA 1")
    wait_sent(graph, OWNER, r"bot itamjibu")
    assert wait_until(lambda: len(sent_to(graph, customer)) > before), sent_to(graph, customer)
    assert re.search(r"2 × .*KES 380", sent_to(graph, customer)[-1]), sent_to(graph, customer)[-1]


def test_a_bare_yes_to_the_owner_is_no_yes_to_the_order_drafted_on_the_hand_back(
        app: App, owned: dict[str, Any], worker: Any, graph: FakeGraph, db_url: str) -> None:
    """After JIBU the customer wrote "niwekee moja", then "yes" (to the owner); on BOT n the bot drafted the order and
    read the old "yes" as its confirmation, and one phone was ordered twice (customer test s30). The yes answered the
    owner: the order waits for the customer's yes to it."""
    customer = "254722000113"
    _owner_took_the_chat(app, graph, customer)
    say(app, customer, "sawa nipe sukari mbili")
    say(app, customer, "yes")
    wait_until(lambda: query(db_url, "SELECT count(*) AS n FROM inbound_jobs WHERE status = 'done'")[0]["n"] == 4)
    before = len(sent_to(graph, customer))
    say(app, OWNER, "RUDISHA 1")
    wait_sent(graph, OWNER, r"bot itamjibu")
    assert wait_until(lambda: len(sent_to(graph, customer)) > before), sent_to(graph, customer)
    assert wait_until(lambda: query(db_url, "SELECT status FROM orders"))
    assert [r["status"] for r in query(db_url, "SELECT status FROM orders")] == ["draft"], sent_to(graph, customer)


def test_pause_keeps_every_message_and_answers_them_on_resume(app: App, owned: dict[str, Any], worker: Any,
                                                                  graph: FakeGraph, db_url: str) -> None:
    say(app, "254722000222", "PAUSE")  # not an owner: a customer message, the shop is not paused
    wait_until(lambda: sent_to(graph, "254722000222"))
    assert query(db_url, "SELECT paused_at FROM businesses")[0]["paused_at"] is None
    say(app, OWNER, "SIMAMISHA")
    wait_sent(graph, OWNER, r"imesimamishwa")
    say(app, "254722000333", "Bei ya unga?")
    wait_until(lambda: query(db_url, "SELECT count(*) AS n FROM inbound_jobs WHERE status = 'done'")[0]["n"] == 3)
    assert sent_to(graph, "254722000333") == []
    assert query(db_url, "SELECT content FROM messages WHERE content = 'Bei ya unga?'")  # kept
    say(app, OWNER, "ENDELEA")
    resumed = wait_sent(graph, OWNER, r"inaendelea")
    assert "Wateja 1 " in resumed, resumed  # the owner hears that the kept question is answered now
    wait_sent(graph, "254722000333", r"KES")  # the question asked during the pause, answered on resume
    say(app, "254722000333", "Na sukari je?")
    wait_until(lambda: len(sent_to(graph, "254722000333")) == 2)
    assert "KES" in sent_to(graph, "254722000333")[-1]


def test_a_pause_for_a_while_ends_by_itself_and_answers_what_was_kept(app: App, owned: dict[str, Any], worker: Any,
                                                                      graph: FakeGraph, db_url: str) -> None:
    """"pause the bot for 1 hour" paused it until RESUME (owner test s26): now until then, and the owners' 5-minute
    job (mtaabot.owners.pause.resume_lapsed, run by Dagster's owner_followups) ends it and answers the kept."""
    from mtaabot.db import connect
    from mtaabot.owners.pause import resume_lapsed

    say(app, OWNER, "pause the bot for 1 hour")
    paused = wait_sent(graph, OWNER, r"paused until \d\d:\d\d")
    assert "RESUME" in paused
    say(app, "254722000335", "Bei ya unga?")
    wait_until(lambda: query(db_url, "SELECT count(*) AS n FROM inbound_jobs WHERE status = 'done'")[0]["n"] == 2)
    assert sent_to(graph, "254722000335") == []
    with connect(db_url) as conn:
        assert resume_lapsed(conn) == 0  # an hour is not up
        conn.execute("UPDATE businesses SET paused_until = CURRENT_TIMESTAMP - interval '1 minute'")  # it is now
        conn.commit()
        assert resume_lapsed(conn) == 1
    wait_sent(graph, "254722000335", r"KES")
    over = wait_sent(graph, OWNER, r"pause is over")
    assert "1 wrote" in over, over
    assert query(db_url, "SELECT paused_at FROM businesses")[0]["paused_at"] is None


def test_an_echo_from_the_business_app_silences_the_bot_in_that_chat_only(app: App, owned: dict[str, Any],
                                                                          worker: Any, graph: FakeGraph,
                                                                          db_url: str) -> None:
    echo = fixture("smb_message_echoes.json")
    assert app.post_webhook(echo).status_code == 200
    assert app.post_webhook(copy.deepcopy(echo)).status_code == 200  # a duplicate delivery: stored once
    stored = query(db_url, "SELECT author, content FROM messages WHERE author = 'owner'")
    assert [s["content"] for s in stored] == ["Karibu Achieng, nitakuhudumia mimi mwenyewe."]
    say(app, "254722123456", "Asante, bei ya mafuta?")  # the customer the owner wrote to
    say(app, "254722000444", "Bei ya mafuta?")  # another customer
    wait_sent(graph, "254722000444", r"KES 380")
    wait_until(lambda: query(db_url, "SELECT count(*) AS n FROM inbound_jobs WHERE status = 'done'")[0]["n"] == 2)
    assert sent_to(graph, "254722123456") == []


def test_a_burst_of_hand_overs_is_coalesced_for_the_owner(app: App, owned: dict[str, Any], worker: Any,
                                                          graph: FakeGraph, db_url: str) -> None:
    for k in range(20):
        say(app, f"2547229900{k:02d}", "Nataka kuongea na mtu tafadhali")
    assert wait_until(lambda: query(db_url, "SELECT count(*) AS n FROM owner_alerts")[0]["n"] == 20, 60)
    texts = wait_until(lambda: (lambda t: t if all(f"#{n} " in " ".join(t) for n in range(1, 21)) else None)(
        sent_to(graph, OWNER)), 60)
    assert texts, sent_to(graph, OWNER)
    # 20 alerts fit in a handful of messages (≤ 1,000 characters each, the first leaves at once). A message leaves
    # at most every 6 s, so a burst a slow machine spreads over S seconds may take S / 6 more; never one per alert.
    span = query(db_url, "SELECT extract(epoch FROM max(created_at) - min(created_at)) AS s FROM owner_alerts")[0]["s"]
    assert len(texts) <= 5 + int(float(span) // 6) and len(texts) < 20, (len(texts), span)
    times = sorted(r.at for r in graph.sent if r.body.get("to") == OWNER)
    assert all(b - a >= 5.5 for a, b in zip(times, times[1:], strict=False))


def test_what_a_customer_writes_while_their_chat_is_with_the_owner_reaches_the_owner(
        app: App, owned: dict[str, Any], worker: Any, graph: FakeGraph) -> None:
    """After the hand-over alert, "hii hapa picha, bado inavuja" and "mtakuja lini?" were stored and answered by no
    one: the owner, who runs the shop from WhatsApp, never heard them."""
    customer = "254722000333"
    say(app, customer, "Mliniuzia gesi inavuja, nataka mnirudishie pesa")
    wait_sent(graph, OWNER, r"#1 ")
    say(app, customer, "Bado inavuja sana, mtakuja lini kuichukua?")
    forwarded = wait_sent(graph, OWNER, r"mtakuja lini kuichukua")
    assert "anakusubiri" in forwarded and re.search(r"JIBU \d+", forwarded)  # in the owner's language
    assert not [t for t in sent_to(graph, customer) if "mtakuja lini" in t]  # the bot stays quiet


def test_a_payment_claimed_while_the_owner_has_the_chat_is_kept_on_the_order(
        app: App, owned: dict[str, Any], worker: Any, graph: FakeGraph, db_url: str) -> None:
    """"sawa nimetuma 380, code SLK4H7TQ2P" after the owner took the chat (JIBU ODA) was only forwarded as text: ODA
    showed no code and THIBITISHA had nothing to check against (owner test s26)."""
    customer = "254722000336"
    say(app, customer, "Nataka sukari mbili")
    wait_sent(graph, customer, r"KES 380")
    say(app, customer, "ndio")
    wait_sent(graph, customer, r"380")
    number = query(db_url, "SELECT number FROM orders")[0]["number"]
    say(app, OWNER, f"JIBU ODA {number} Sawa, tuma pesa nikuletee")
    wait_sent(graph, customer, r"tuma pesa")
    say(app, customer, "sawa nimetuma 380, code SLK4H7TQ2P")
    alert = wait_sent(graph, OWNER, r"SLK4H7TQ2P")
    assert f"#{number}" in alert, alert
    assert query(db_url, "SELECT mpesa_code FROM order_payment_claims")[0]["mpesa_code"] == "SLK4H7TQ2P"
    assert not [t for t in sent_to(graph, customer) if "nimetuma" in t]  # the bot stays quiet in the owner's chat


def test_a_hand_over_the_owner_never_picks_up_does_not_silence_the_chat(
        app: App, owned: dict[str, Any], worker: Any, graph: FakeGraph, db_url: str) -> None:
    """A customer handed over (here by "nataka kuongea na mtu") whose owner did not reply got no answer to anything
    after it, on WhatsApp too: the worker forwarded "bei ya sukari?" to the owner and answered nothing. Now, once the
    owner has not written for MTAABOT_HANDOVER_MINUTES, the customer's question is answered and not forwarded; a
    voice note the bot cannot hear still reaches the owner."""
    customer = "254711222333"  # the sender of the voice-note fixture
    say(app, customer, "Nataka kuongea na mtu tafadhali")
    wait_sent(graph, OWNER, r"#1 ")
    with psycopg.connect(db_url) as conn:  # eleven minutes later
        conn.execute("UPDATE conversations SET escalated_at = escalated_at - interval '11 minutes' "
                     "WHERE customer_phone = %s", (customer,))
    say(app, customer, "Sawa, bei ya sukari ni ngapi?")
    answer = wait_sent(graph, customer, r"KES 190")
    assert "mwenye duka" in answer.lower()
    assert not [t for t in sent_to(graph, OWNER) if "bei ya sukari" in t]
    assert query(db_url, "SELECT status FROM conversations WHERE customer_phone = %s", (customer,))[0]["status"] \
        == "human_escalated"  # still in the owner's inbox until the owner hands it back
    assert app.post_webhook(fixture("voice_note.json")).status_code == 200
    wait_sent(graph, customer, r"voice note")
    assert "anakusubiri" in wait_sent(graph, OWNER, r"\[audio")
