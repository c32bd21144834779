"""The per-hour AI-reply counters (migration 0302) behind the quota: the engine stops AI replies at exactly the
plan's limit whatever order the replies were stored in, across day and period boundaries that fall inside an
hour, and after replies are moved or deleted; the counted usage always equals a count of the stored replies."""

from __future__ import annotations

import random
from datetime import timedelta

import psycopg

from mtaabot.billing.gate import check_ai_allowed
from mtaabot.billing.plans import LITE
from mtaabot.billing.usage import ai_replies_used, current_usage
from mtaabot.businesses import create_business
from tests.engine.conftest import ask, make_shop


def _conversation(conn: psycopg.Connection, bid) -> str:
    return conn.execute("INSERT INTO conversations (business_id, customer_phone) VALUES (%s, '254700000999') "
                        "RETURNING id", (bid,)).fetchone()["id"]


def _replies_at(conn: psycopg.Connection, bid, conv, at_sql: str, n: int, author: str = "ai") -> None:
    """n bot messages stored directly (backdated, like an import or a simulation), at the SQL time `at_sql`."""
    conn.execute(f"""INSERT INTO messages (conversation_id, business_id, role, author, content, created_at)
                     SELECT %s, %s, 'bot', %s, 'jibu ' || g, {at_sql} FROM generate_series(1, %s) AS g""",
                 (conv, bid, author, n))


def _counted(conn: psycopg.Connection, bid, since) -> int:
    return conn.execute("""SELECT count(*) AS n FROM messages WHERE business_id = %s AND role = 'bot'
                           AND author = 'ai' AND created_at >= %s""", (bid, since)).fetchone()["n"]


def _period(conn: psycopg.Connection, bid, start_sql: str) -> None:
    """A paid Lite period starting at `start_sql` (any earlier one ends there)."""
    conn.execute(f"UPDATE subscriptions SET ends_at = {start_sql} WHERE business_id = %s AND ends_at > {start_sql}",
                 (bid,))
    conn.execute(f"""INSERT INTO subscriptions (business_id, plan_tier, starts_at, ends_at, is_active, status,
                                                amount_kes, paid_at)
                     VALUES (%s, 'lite', {start_sql}, {start_sql} + interval '30 days', true, 'active', 999,
                             CURRENT_TIMESTAMP)""", (bid,))


def _ai_reply(conn: psycopg.Connection, shop, customer: str) -> bool:
    """Ask the engine as a new customer; True when the answer was an AI reply (False: the quota hand-over)."""
    result = ask(conn, shop, "Unga ni pesa ngapi?", customer=customer)
    author = conn.execute("SELECT author FROM messages WHERE id = %s", (result.bot_message_id,)).fetchone()["author"]
    assert (author == "ai") == ("KES" in result.reply) and (author == "ai") == (result.intent != "gate")
    return author == "ai"


def test_the_engine_stops_at_exactly_the_quota_with_backdated_replies_across_boundaries(conn: psycopg.Connection):
    shop = make_shop(conn, name="Duka la Hesabu")
    bid = shop["id"]
    conv = _conversation(conn, bid)
    # The period starts 3 days ago at half past an hour: the replies of that hour before it must not count.
    start = "(date_trunc('hour', CURRENT_TIMESTAMP - interval '3 days') + interval '30 minutes')"
    _period(conn, bid, start)
    # Stored out of order: newest first, then older days (day boundaries), then the period's first hour.
    _replies_at(conn, bid, conv, "CURRENT_TIMESTAMP - interval '5 minutes'", 300)
    _replies_at(conn, bid, conv, f"{start} + interval '2 days 1 hour'", 250)
    _replies_at(conn, bid, conv, f"{start} + interval '1 day'", 250)
    _replies_at(conn, bid, conv, f"{start} + interval '10 minutes'", LITE.monthly_ai_replies - 1 - 800)
    _replies_at(conn, bid, conv, f"{start} - interval '10 minutes'", 40)  # same hour, before the period
    _replies_at(conn, bid, conv, f"{start} - interval '20 days'", 500)  # the last period
    _replies_at(conn, bid, conv, f"{start} + interval '1 hour'", 60, author="system")  # hand-overs: never counted
    conn.commit()
    assert current_usage(conn, bid).used == LITE.monthly_ai_replies - 1

    assert _ai_reply(conn, shop, "254711000001")  # the 1,000th AI reply goes out
    assert not _ai_reply(conn, shop, "254711000002")  # the 1,001st does not
    assert current_usage(conn, bid).used == LITE.monthly_ai_replies
    notices = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'billing'",
                           (bid,)).fetchall()
    assert len(notices) == 1 and "1,000" in notices[0]["body"]

    # One reply moved to before the period (into the period's first hour) and one deleted: two more AI replies.
    conn.execute(f"""UPDATE messages SET created_at = {start} - interval '1 minute'
                     WHERE id = (SELECT id FROM messages WHERE business_id = %s AND author = 'ai'
                                 AND created_at > {start} ORDER BY created_at LIMIT 1)""", (bid,))
    conn.execute("""DELETE FROM messages WHERE id = (SELECT id FROM messages WHERE business_id = %s AND author = 'ai'
                    AND reply_to IS NULL ORDER BY created_at DESC LIMIT 1)""", (bid,))
    conn.commit()
    assert _ai_reply(conn, shop, "254711000003") and _ai_reply(conn, shop, "254711000004")
    assert not _ai_reply(conn, shop, "254711000005")

    # A new period begins now, in the middle of an hour full of the last period's replies: none of them count.
    _period(conn, bid, "CURRENT_TIMESTAMP")
    conn.commit()
    assert current_usage(conn, bid).used == 0
    assert _ai_reply(conn, shop, "254711000006")
    assert current_usage(conn, bid).used == 1


def test_counted_usage_equals_a_count_of_the_stored_replies(conn: psycopg.Connection):
    """Random inserts (any order, two shops, AI and not), moves between hours and shops, author changes and
    deletes: the counters give the exact count since any moment, including moments inside an hour."""
    rng = random.Random(21)
    shops = [create_business(conn, name=f"Duka la Mtihani {i}", whatsapp_number=f"071100030{i}")["id"] for i in (1, 2)]
    convs = {bid: _conversation(conn, bid) for bid in shops}
    now = conn.execute("SELECT CURRENT_TIMESTAMP AS t").fetchone()["t"]
    for _ in range(60):
        bid = rng.choice(shops)
        minutes = rng.randint(-40 * 24 * 60, 60)
        _replies_at(conn, bid, convs[bid], f"CURRENT_TIMESTAMP + interval '{minutes} minutes'", rng.randint(1, 5),
                    author=rng.choice(["ai", "ai", "ai", "system", "owner"]))
    ids = [r["id"] for r in conn.execute("SELECT id FROM messages WHERE role = 'bot' ORDER BY id").fetchall()]
    for mid in rng.sample(ids, 40):
        change = rng.choice(["time", "author", "shop", "delete"])
        if change == "time":
            conn.execute("UPDATE messages SET created_at = created_at + make_interval(mins => %s) WHERE id = %s",
                         (rng.randint(-3000, 3000), mid))
        elif change == "author":
            conn.execute("UPDATE messages SET author = %s WHERE id = %s", (rng.choice(["ai", "system"]), mid))
        elif change == "shop":
            conn.execute("UPDATE messages SET business_id = %s WHERE id = %s", (rng.choice(shops), mid))
        else:
            conn.execute("DELETE FROM messages WHERE id = %s", (mid,))
    stored = [r["created_at"] for r in conn.execute("SELECT created_at FROM messages WHERE role = 'bot'").fetchall()]
    moments = [now + timedelta(minutes=rng.randint(-41 * 24 * 60, 90), seconds=rng.randint(0, 59)) for _ in range(30)]
    moments += [at + timedelta(seconds=rng.choice([-1, 0, 1])) for at in rng.sample(stored, 30)]  # inside hours
    for since in moments:
        for bid in shops:
            assert ai_replies_used(conn, bid, since) == _counted(conn, bid, since)
    for bid in shops:  # a paid period that began mid-hour 20 days ago
        _period(conn, bid, "(CURRENT_TIMESTAMP - interval '20 days 17 minutes')")
    for bid in shops:  # the gate's own statement (the engine's read) and the billing summary agree
        usage = current_usage(conn, bid)
        assert usage.used == _counted(conn, bid, usage.entitlement.period_start) > 0
        assert check_ai_allowed(conn, bid).allowed == (usage.used < usage.quota)
