"""The micro-batched worker and fair sending (issue 21), with real processes, the real app and the fake Graph API.

- two `mtaabot worker` processes answering batches keep every chat's replies in order, one per message;
- a worker SIGKILLed in the middle of a batch loses nothing and doubles nothing once another one runs;
- an idle worker wakes on the webhook's NOTIFY, and a job whose NOTIFY never came is found by the slow poll;
- a reply waiting for its 429 retry is not overtaken by the next reply of the same chat;
- a shop whose number Meta throttles does not hold up another shop's replies.
"""

from __future__ import annotations

import ast
import concurrent.futures
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.fakes.fake_graph import FakeGraph
from tests.webhook.conftest import App, create_shop, query, text_payload, wait_until

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ["Mna sukari?", "Bei ya unga ni ngapi?", "Niaje, mafuta ya kupika iko?", "Do you have maize flour?",
             "Sukari kilo moja bei gani?", "Habari, mna cooking oil?"]


def start_worker(env: dict[str, str], log: Path, *args: str, **extra_env: str) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "mtaabot"
    return subprocess.Popen([str(exe), "worker", *args], cwd=ROOT, env=os.environ | env | extra_env,
                            stdout=subprocess.DEVNULL, stderr=log.open("ab"))


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def counts_of(log: Path) -> list[dict[str, int]]:
    """The `worker stopped: {...}` counters each worker process printed at exit."""
    return [ast.literal_eval(m) for m in re.findall(r"worker stopped: (\{.*\})", log.read_text())]


def reply_order(db_url: str, graph: FakeGraph) -> dict[str, list[int]]:
    """Per customer: the position (in that customer's own sending order) of the message each delivered reply
    answers, in the order the fake Graph API received the replies."""
    rows = query(db_url, """SELECT o.id AS outbox_id, u.wamid FROM outbox o JOIN messages b ON b.id = o.message_id
                            JOIN messages u ON u.id = b.reply_to""")
    wamid_of = {f"outbox:{r['outbox_id']}": r["wamid"] for r in rows}
    order: dict[str, list[int]] = defaultdict(list)
    for sent in graph.sent:
        wamid = wamid_of[sent.body["biz_opaque_callback_data"]]
        customer, position = wamid.rsplit(".", 1)
        order[customer].append(int(position))
    return order


def post_chat(app: App, customer: int, messages: int, prefix: str) -> int:
    """One customer writes `messages` messages, each after the previous one was acknowledged."""
    for k in range(messages):
        resp = app.post_webhook(text_payload(QUESTIONS[(customer + k) % len(QUESTIONS)],
                                             wamid=f"wamid.{prefix}{customer}.{k}", phone=f"2547230{customer:05d}"))
        assert resp.status_code == 200 and resp.json()["stored"] == 1
    return messages


def post_burst(app: App, customers: int, per_customer: int, prefix: str) -> int:
    """Every customer writes `per_customer` messages, one after the other (interleaved across customers)."""
    n = 0
    for k in range(per_customer):
        for c in range(customers):
            resp = app.post_webhook(text_payload(QUESTIONS[(c + k) % len(QUESTIONS)], wamid=f"wamid.{prefix}{c}.{k}",
                                                 phone=f"2547230{c:05d}"))
            assert resp.status_code == 200 and resp.json()["stored"] == 1
            n += 1
    return n


@pytest.mark.slow
def test_two_batching_worker_processes_keep_every_chat_in_order(wa_env: dict[str, str], shop: dict[str, Any],
                                                                graph: FakeGraph, db_url: str,
                                                                tmp_path: Path) -> None:
    log = tmp_path / "workers.log"
    workers = [start_worker(wa_env, log, "--senders", "2", "--engines", "1", "--batch", "4") for _ in range(2)]
    app = App()
    try:
        # both processes are ready and racing for jobs before the customers write
        assert wait_until(lambda: log.read_text().count("engine ready") == 2, timeout=180), log.read_text()[-3000:]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:  # 8 customers at once: a backlog forms
            n = sum(pool.map(lambda c: post_chat(app, c, 5, "ORD"), range(8)))
        assert wait_until(lambda: len(graph.sent) >= n, timeout=180), log.read_text()[-3000:]
        time.sleep(0.5)  # a duplicate would show up now
    finally:
        app.close()
        for w in workers:
            stop(w)
    order = reply_order(db_url, graph)
    assert len(graph.sent) == n
    assert {customer: positions for customer, positions in order.items()} == {
        f"wamid.ORD{c}": [0, 1, 2, 3, 4] for c in range(8)}, order
    assert query(db_url, "SELECT count(*) AS n FROM inbound_jobs WHERE status = 'done'")[0]["n"] == n
    # both processes answered, and messages really went through the engine in batches
    counts = counts_of(log)
    assert len(counts) == 2 and all(c.get("answered", 0) > 0 for c in counts), counts  # both took a share
    assert sum(c.get("batched_jobs", 0) for c in counts) > 0, counts  # and some answers came in batches


@pytest.mark.slow
def test_worker_killed_mid_batch_every_message_answered_exactly_once(wa_env: dict[str, str], shop: dict[str, Any],
                                                                     graph: FakeGraph, db_url: str,
                                                                     tmp_path: Path) -> None:
    app = App()
    try:
        n = post_burst(app, customers=40, per_customer=1, prefix="KILL")
    finally:
        app.close()
    log = tmp_path / "worker.log"
    lease = {"MTAABOT_JOB_LEASE_SECONDS": "3"}  # a killed worker's batch is taken again after 3 s
    # the first worker only answers (no senders), in one batch of all 40 messages
    first = start_worker(wa_env, log, "--senders", "0", "--engines", "1", "--batch", "64", **lease)
    with psycopg.connect(db_url, autocommit=True) as watch:
        def answered() -> int:
            return watch.execute("SELECT count(*) FROM messages WHERE role = 'bot'").fetchone()[0]

        assert wait_until(lambda: answered() >= 1, timeout=120, interval=0.002), log.read_text()[-3000:]
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        at_kill = answered()
        leased = watch.execute("SELECT count(*) FROM inbound_jobs WHERE status = 'pending' "
                               "AND not_before > clock_timestamp()").fetchone()[0]
    assert at_kill < n, "the batch finished before the kill; the test proves nothing"
    assert leased == n - at_kill  # the rest of the batch is leased to the dead worker, not lost
    second = start_worker(wa_env, log, "--senders", "2", **lease)
    try:
        assert wait_until(lambda: len(graph.sent) >= n, timeout=120), log.read_text()[-3000:]
        time.sleep(0.5)
    finally:
        stop(second)
    per_customer = Counter(s.body["to"] for s in graph.sent)
    assert len(per_customer) == n and set(per_customer.values()) == {1}, per_customer
    assert query(db_url, "SELECT count(*) AS n FROM inbound_jobs WHERE status = 'done'")[0]["n"] == n
    replies = query(db_url, "SELECT reply_to, count(*) AS n FROM messages WHERE role = 'bot' GROUP BY reply_to")
    assert len(replies) == n and {r["n"] for r in replies} == {1}


def test_an_idle_worker_wakes_on_notify(wa_env: dict[str, str], shop: dict[str, Any], graph: FakeGraph) -> None:
    """With a 60 s slow poll, only the webhook's NOTIFY can bring the answer within seconds."""
    from mtaabot.whatsapp.worker import Worker

    w = Worker(wa_env["DATABASE_URL"], senders=1, poll_seconds=60).start()
    app = App()
    try:
        assert w.ready.wait(300)
        time.sleep(1.0)  # the engine thread has found nothing and is waiting on LISTEN
        start = time.monotonic()
        assert app.post_webhook(text_payload("Mna sukari?", wamid="wamid.N1")).status_code == 200
        assert graph.wait_for(1, timeout=20)
        assert time.monotonic() - start < 20
    finally:
        app.close()
        w.stop()


def test_a_job_without_its_notify_is_found_by_the_slow_poll(wa_env: dict[str, str], shop: dict[str, Any],
                                                            graph: FakeGraph, conn: psycopg.Connection) -> None:
    from mtaabot.conversations import Customer, get_or_create_conversation, store_inbound_message
    from mtaabot.whatsapp.worker import Worker

    w = Worker(wa_env["DATABASE_URL"], senders=1, poll_seconds=1.0).start()
    try:
        assert w.ready.wait(300)
        time.sleep(1.5)
        # stored the way the webhook stores it, but the NOTIFY is lost (e.g. the listener was reconnecting)
        conv = get_or_create_conversation(conn, shop["id"], Customer(phone="254733000999"))
        msg, _ = store_inbound_message(conn, business_id=shop["id"], conversation_id=conv["id"], content="Mna sukari?",
                                       wamid="wamid.LOST1")
        conn.execute("INSERT INTO inbound_jobs (business_id, conversation_id, message_id) VALUES (%s, %s, %s)",
                     (shop["id"], conv["id"], msg["id"]))
        conn.commit()
        [sent] = graph.wait_for(1, timeout=30)
        assert sent.body["to"] == "254733000999"
    finally:
        w.stop()


def test_a_reply_waiting_for_its_429_retry_is_not_overtaken(wa_env: dict[str, str], shop: dict[str, Any],
                                                            graph: FakeGraph, db_url: str) -> None:
    from mtaabot.whatsapp.worker import Worker

    app = App()
    try:
        for k, text in enumerate(["Mna sukari?", "Na unga je?", "Asante sana"]):
            assert app.post_webhook(text_payload(text, wamid=f"wamid.RETRY.{k}", phone="254744000111")).status_code == 200
    finally:
        app.close()
    graph.script(429, 429)  # the first reply is refused twice
    w = Worker(wa_env["DATABASE_URL"], senders=3, poll_seconds=0.2).start()
    try:
        assert len(graph.wait_for(3, timeout=60)) == 3
    finally:
        w.stop()
    first_outbox = query(db_url, "SELECT min(id) AS id FROM outbox")[0]["id"]
    refused = [r for r in graph.requests if r.status == 429]
    assert [r.body["biz_opaque_callback_data"] for r in refused] == [f"outbox:{first_outbox}"] * 2
    assert reply_order(db_url, graph) == {"wamid.RETRY": [0, 1, 2]}


def test_a_throttled_shop_does_not_hold_up_another_shops_replies(wa_env: dict[str, str], shop: dict[str, Any],
                                                                 graph: FakeGraph, conn: psycopg.Connection,
                                                                 db_url: str) -> None:
    """One sender thread, shop A's number answered 429 all the time: shop B's customers are answered anyway,
    and A's replies go out once Meta lets it send again."""
    from mtaabot.whatsapp.worker import Worker

    other = create_shop(conn, name="Duka la Pili", phone_number_id="109876543210002", number="0711000002")
    throttled = "109876543210001"
    graph.throttle(throttled)
    app = App()
    w = Worker(wa_env["DATABASE_URL"], senders=1, poll_seconds=0.2).start()
    try:
        assert w.ready.wait(300)
        for i in range(3):
            app.post_webhook(text_payload("Mna sukari?", wamid=f"wamid.TA{i}", phone=f"25475000001{i}"))
        assert wait_until(lambda: sum(r.status == 429 for r in graph.requests) >= 3, timeout=60)
        for i in range(3):
            app.post_webhook(text_payload("Mna sukari?", wamid=f"wamid.TB{i}", phone=f"25475000002{i}",
                                          phone_number_id="109876543210002"))
        start = time.monotonic()
        assert wait_until(lambda: sum(s.phone_number_id == "109876543210002" for s in graph.sent) == 3, timeout=30)
        other_shop_wait = time.monotonic() - start
        assert not [s for s in graph.sent if s.phone_number_id == throttled]
        graph.throttle(throttled, on=False)
        assert wait_until(lambda: len(graph.sent) == 6, timeout=90)
    finally:
        w.stop()
        app.close()
    assert other_shop_wait < 15  # a sender sleeping through A's retries would hold B for up to 30 s per reply
    per_customer = Counter(s.body["to"] for s in graph.sent)
    assert len(per_customer) == 6 and set(per_customer.values()) == {1}
    assert other["id"] != shop["id"]
    assert {r["status"] for r in query(db_url, "SELECT status FROM outbox")} == {"sent"}
