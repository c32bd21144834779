"""`mtaabot demo simulate` + `mtaabot dbt build` on a real database: tests pass, marts add up, no phones."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from mtaabot.analytics import MARTS, MartsNotBuilt, UnknownMart, read_mart, read_mart_totals
from tests.analytics.conftest import mtaabot_cli


def _conn(url: str) -> psycopg.Connection:
    from mtaabot.db import connect

    return connect(url)


def test_dbt_build_runs_every_model_data_test_and_unit_test(built_db: dict) -> None:
    out = built_db["build_output"]
    summary = re.search(r"Done\. PASS=(\d+) WARN=(\d+) ERROR=(\d+) SKIP=(\d+)", out)
    assert summary, out[-2000:]
    passed, _warn, errors, skipped = map(int, summary.groups())
    assert errors == 0 and skipped == 0
    assert passed > 80
    for unit in ("reply_rate_is_ai_replies_over_customer_messages", "days_left_rounds_up_and_stops_at_zero",
                 "confidence_buckets_have_width_0_2_and_one_falls_in_the_top",
                 "time_to_human_is_first_owner_reply_after_each_handover"):
        assert re.search(rf"PASS .*{unit}", out), unit


def test_simulated_history_looks_like_real_use(built_db: dict) -> None:
    sim = built_db["simulated"]
    assert sim["messages"] == 4000
    with _conn(built_db["url"]) as conn:
        langs = {r["detected_language"]: r["n"] for r in conn.execute(
            "SELECT detected_language, count(*) AS n FROM messages WHERE role = 'user' GROUP BY 1")}
        authors = {r["author"]: r["n"] for r in conn.execute("SELECT author, count(*) AS n FROM messages GROUP BY 1")}
        active = conn.execute("SELECT count(*) AS n FROM subscriptions WHERE status = 'active'").fetchone()["n"]
        shops = conn.execute("SELECT count(*) AS n FROM businesses").fetchone()["n"]
        paid = conn.execute("SELECT count(*) AS n FROM subscriptions WHERE paid_at IS NOT NULL").fetchone()["n"]
        sample = conn.execute("SELECT content, tokens_used FROM messages WHERE author IN ('customer', 'ai') "
                              "ORDER BY id LIMIT 20").fetchall()
        future = conn.execute("SELECT count(*) AS n FROM messages WHERE created_at > now()").fetchone()["n"]
        late_owner = conn.execute(
            """SELECT count(*) AS n FROM messages o JOIN notifications n ON n.conversation_id = o.conversation_id
               WHERE o.author = 'owner' AND o.created_at > n.created_at + interval '1 minute'""").fetchone()["n"]
    assert set(langs) == {"SHENG", "SWA", "ENG"} and min(langs.values()) > 200
    assert authors["customer"] == sim["customer_messages"] and authors["ai"] == sim["ai_replies"]
    assert authors["system"] == sim["escalations"] > 0 and authors["owner"] == sim["owner_replies"] > 0
    assert late_owner > 0 and paid >= 3 and active == shops == 4  # every demo shop paid up
    assert future == 0  # a history: nothing written after the simulation ran
    from mtaabot.tokens import count_tokens

    assert all(r["tokens_used"] == count_tokens(r["content"]) > 0 for r in sample)  # the engine's tokenizer


def test_marts_add_up_to_the_raw_tables(built_db: dict) -> None:
    with _conn(built_db["url"]) as conn:
        raw = conn.execute(
            """SELECT count(*) FILTER (WHERE role = 'user') AS msgs_in,
                      count(*) FILTER (WHERE role = 'bot') AS msgs_out,
                      count(*) FILTER (WHERE author = 'ai') AS ai,
                      coalesce(sum(tokens_used), 0) AS tokens FROM messages""").fetchone()
        escalations = conn.execute("SELECT count(*) AS n FROM notifications WHERE kind = 'escalation'").fetchone()["n"]
        daily = read_mart("mart_daily_business_activity", conn=conn)
        tokens = read_mart("mart_token_usage_daily", conn=conn)
        t2h = read_mart("mart_time_to_human", conn=conn)
        langs = read_mart("mart_language_mix_daily", conn=conn)
        buckets = read_mart("mart_confidence_distribution", conn=conn)
        billing = read_mart("mart_billing_status", conn=conn)
    assert daily.messages_in.sum() == raw["msgs_in"] and daily.messages_out.sum() == raw["msgs_out"]
    assert daily.ai_replies.sum() == raw["ai"] == tokens.ai_replies.sum()
    assert daily.escalations.sum() == escalations == len(t2h)
    assert langs.messages.sum() == raw["msgs_in"]
    assert langs.groupby(["business_id", "activity_date"]).share.sum().round(2).eq(1.0).all()
    assert buckets.escalated_replies.sum() == escalations
    assert 0.5 < daily.ai_replies.sum() / daily.messages_in.sum() < 1.0
    answered = t2h.dropna(subset=["minutes_to_human"])
    assert len(answered) > 0 and (answered.minutes_to_human > 0).all()
    assert len(billing) == 4 and set(billing.subscription_status) <= {"active", "trial", "expired", "none"}
    assert (billing.days_left.dropna() >= 0).all()


def test_order_marts_add_up_to_the_orders_table(built_db: dict) -> None:
    assert built_db["simulated"]["orders"] > 20
    with _conn(built_db["url"]) as conn:
        raw = conn.execute(
            """SELECT count(*) AS orders,
                      count(*) FILTER (WHERE status IN ('paid', 'fulfilled')) AS paid,
                      coalesce(sum(total_kes) FILTER (WHERE status IN ('paid', 'fulfilled')), 0) AS revenue
               FROM orders WHERE status <> 'draft'""").fetchone()
        facts = read_mart("fct_orders", conn=conn)
        daily = read_mart("mart_orders_daily", conn=conn)
    assert len(facts) == raw["orders"] and facts.is_paid.sum() == raw["paid"]
    assert daily.orders.sum() == raw["orders"] and daily.paid_orders.sum() == raw["paid"]
    assert float(daily.revenue_kes.sum()) == float(raw["revenue"])
    assert ((daily.paid_share >= 0) & (daily.paid_share <= 1)).all()
    # an order placed just after midnight can fall on a day without a product question: most days have both
    assert (daily.customers_asking > 0).mean() > 0.8 and (daily.conversion.dropna() > 0).all()


def test_no_mart_contains_a_raw_customer_phone(built_db: dict) -> None:
    with _conn(built_db["url"]) as conn:
        phones = {r["customer_phone"] for r in conn.execute("SELECT customer_phone FROM conversations")}
        assert len(phones) > 50
        found = []
        for name in sorted(MARTS):
            frame = read_mart(name, conn=conn)
            text = frame.astype(str).to_csv(index=False)
            found += [(name, p) for p in phones if p in text]
            found += [(name, m) for m in re.findall(r"2547\d{8}", text)]
    assert found == []


def test_read_mart_keeps_each_business_to_its_own_rows(built_db: dict) -> None:
    with _conn(built_db["url"]) as conn:
        ids = [str(r["id"]) for r in conn.execute("SELECT id FROM businesses ORDER BY name")]
        for bid in ids:
            frame = read_mart("mart_daily_business_activity", bid, conn=conn)
            assert len(frame) > 0 and set(frame.business_id) == {bid}
        recent = read_mart("mart_low_confidence_replies", ids[0], conn=conn, order_by="confidence_score", limit=5)
        assert len(recent) == 5 and recent.confidence_score.is_monotonic_increasing
        assert (recent.confidence_score < 0.5).all()
        sheng = read_mart("mart_language_mix_daily", ids[0], conn=conn, detected_language=["SHENG"])
        assert set(sheng.detected_language) == {"SHENG"}
        with pytest.raises(UnknownMart):
            read_mart("messages", conn=conn)
        with pytest.raises(UnknownMart):
            read_mart("mart_billing_status", conn=conn, **{"1=1; drop table messages; --": 1})
        assert conn.execute("SELECT count(*) AS n FROM messages").fetchone()["n"] > 0


def test_mart_totals_add_up_in_the_database_like_the_rows(built_db: dict) -> None:
    """read_mart_totals (the notebooks' platform view) gives the sums of read_mart's rows, per shop or for all."""
    with _conn(built_db["url"]) as conn:
        rows = read_mart("mart_language_mix_hourly", conn=conn)
        since = sorted(rows.activity_date.unique())[2]
        totals = read_mart_totals("mart_language_mix_hourly", ["hour_of_day", "detected_language"], ["messages"],
                                  conn=conn, since=since)
        expected = (rows[rows.activity_date >= since].groupby(["hour_of_day", "detected_language"])["messages"]
                    .sum().reset_index())
        assert totals.to_dict("records") == expected.astype({"messages": "float64"}).to_dict("records")
        shop = rows.business_id.iloc[0]
        one = read_mart_totals("mart_language_mix_hourly", ["business_id"], ["messages"], shop, conn=conn)
        assert one.to_dict("records") == [{"business_id": shop,
                                          "messages": float(rows[rows.business_id == shop].messages.sum())}]
        grand = read_mart_totals("mart_token_usage_daily", [], ["tokens_out"], conn=conn)
        assert len(grand) == 1 and grand.tokens_out[0] == read_mart("mart_token_usage_daily", conn=conn).tokens_out.sum()
        with pytest.raises(UnknownMart):
            read_mart_totals("mart_language_mix_hourly", ["hour_of_day; drop table messages"], ["messages"], conn=conn)
        with pytest.raises(UnknownMart):
            read_mart("mart_time_to_human", conn=conn, columns=["minutes_to_human", "customer_phone"])


def test_read_mart_says_when_the_marts_are_not_built(conn: psycopg.Connection) -> None:
    with pytest.raises(MartsNotBuilt, match="mtaabot dbt build"):
        read_mart("mart_daily_business_activity", conn=conn)


def test_incremental_refresh_through_dagster_adds_new_messages_and_totals_still_match(
        built_db: dict, dbt_manifest: Path) -> None:
    """10 days already built; 600 new messages; Dagster materialises int_messages and everything downstream
    (dbt build, incremental) and the marts match the raw tables again, with no duplicated day."""
    import dagster as dg

    from orchestration.assets.dbt import mtaabot_dbt_models
    from orchestration.resources import MtaabotDatabase, dbt_resource

    url = built_db["url"]
    with _conn(url) as conn:
        before = int(read_mart("mart_daily_business_activity", conn=conn).messages_in.sum())
        int_rows_before = conn.execute("SELECT count(*) AS n FROM analytics_int.int_messages").fetchone()["n"]
    sim = mtaabot_cli(url, "demo", "simulate", "--days", "1", "--messages", "600", "--seed", "12")
    assert sim.returncode == 0, sim.stderr
    selection = dg.AssetSelection.assets(dg.AssetKey(["analytics_int", "int_messages"])).downstream()
    result = dg.materialize([mtaabot_dbt_models], selection=selection,
                            resources={"database": MtaabotDatabase(url=url), "dbt": dbt_resource()})
    assert result.success
    done = {e.asset_key.path[-1] for e in result.get_asset_materialization_events()}
    assert {"int_messages", "mart_daily_business_activity", "mart_low_confidence_replies"} <= done
    with _conn(url) as conn:
        raw_in = conn.execute("SELECT count(*) AS n FROM messages WHERE role = 'user'").fetchone()["n"]
        raw_all = conn.execute("SELECT count(*) AS n FROM messages").fetchone()["n"]
        int_rows = conn.execute("SELECT count(*) AS n FROM analytics_int.int_messages").fetchone()["n"]
        daily = read_mart("mart_daily_business_activity", conn=conn)
        low = read_mart("mart_low_confidence_replies", conn=conn)
        raw_low = conn.execute(
            """SELECT count(*) AS n FROM messages b JOIN messages q ON q.id = b.reply_to
               WHERE b.role = 'bot' AND b.author IN ('ai', 'system')
                 AND coalesce(b.confidence_score, q.confidence_score) < 0.5""").fetchone()["n"]
    assert int_rows == raw_all == int_rows_before + 600
    assert daily.messages_in.sum() == raw_in > before
    assert not daily.duplicated(["business_id", "activity_date"]).any()
    assert len(low) == raw_low and low.message_id.is_unique


def test_incremental_load_picks_up_a_message_the_engine_filled_in_after_it_was_loaded(built_db: dict) -> None:
    """A customer message already in int_messages gets its language changed later (as the engine does);
    the next incremental run reloads it (messages.changed_xid, migration 0400) and nothing else old."""
    url = built_db["url"]
    with _conn(url) as conn:
        row = conn.execute("SELECT id, detected_language FROM messages WHERE role = 'user' "
                           "ORDER BY created_at LIMIT 1").fetchone()
        new_lang = "ENG" if row["detected_language"] != "ENG" else "SWA"
        conn.execute("UPDATE messages SET delivery_status = 'read' WHERE role = 'bot'")  # not an analytics change
        conn.execute("UPDATE messages SET detected_language = %s WHERE id = %s", (new_lang, row["id"]))
        conn.commit()
    build = mtaabot_cli(url, "dbt", "run", "--select", "int_messages")
    assert build.returncode == 0, build.stdout[-3000:]
    with _conn(url) as conn:
        loaded = conn.execute("SELECT detected_language FROM analytics_int.int_messages WHERE message_id = %s",
                              (row["id"],)).fetchone()
        last = conn.execute("SELECT count(*) AS n FROM analytics_int.int_messages WHERE loaded_at = "
                            "(SELECT max(loaded_at) FROM analytics_int.int_messages)").fetchone()["n"]
    assert loaded["detected_language"] == new_lang
    assert 1 <= last < 50  # the changed row (and any just stored), not the history

