"""Retention: each shop's period (default 24 months) with a fixed clock, through the CLI and the Dagster asset."""

from __future__ import annotations

import json
from typing import Any

import dagster as dg
import psycopg

from tests.engine.conftest import ask, make_shop

OLD, RECENT = "254722000111", "254733000222"


def _backdate(conn: psycopg.Connection, shop: dict[str, Any], phone: str, when: str) -> None:
    conv = conn.execute("SELECT id FROM conversations WHERE business_id = %s AND customer_phone = %s",
                        (shop["id"], phone)).fetchone()["id"]
    conn.execute("UPDATE messages SET created_at = %s::timestamptz WHERE conversation_id = %s", (when, conv))
    conn.execute("""UPDATE conversations SET created_at = %s::timestamptz, last_message_at = %s::timestamptz,
                    last_customer_message_at = %s::timestamptz WHERE id = %s""", (when, when, when, conv))
    conn.execute("UPDATE notifications SET created_at = %s::timestamptz WHERE conversation_id = %s", (when, conv))
    conn.commit()


def _texts(conn, shop, phone=None) -> list[str]:
    rows = conn.execute(
        """SELECT m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id
           WHERE m.business_id = %s AND m.role = 'user' AND (%s::text IS NULL OR c.customer_phone = %s)
           ORDER BY m.created_at""", (shop["id"], phone, phone)).fetchall()
    return [r["content"] for r in rows]


def test_retention_with_a_fixed_clock_per_shop_period(conn: psycopg.Connection, run_cli) -> None:
    a = make_shop(conn, name="Mama Njeri Duka")  # default 24 months
    b = make_shop(conn, name="Kibanda cha Baraka")
    for shop in (a, b):
        ask(conn, shop, "Unga ni pesa ngapi?", customer=OLD)
        ask(conn, shop, "Sukari iko?", customer=RECENT)
        _backdate(conn, shop, OLD, "2026-06-01T10:00:00+03:00")
        _backdate(conn, shop, RECENT, "2028-12-01T10:00:00+03:00")
    assert run_cli("business", "set-retention", "--business", b["name"], "--months", "36").returncode == 0
    bad = run_cli("business", "set-retention", "--business", b["name"], "--months", "0")
    assert bad.returncode == 1 and "between 1 and 120 months" in bad.stderr
    before = conn.execute("SELECT business_id, count(*) AS n, sum(tokens_used) AS t FROM messages "
                          "GROUP BY business_id ORDER BY business_id").fetchall()

    done = run_cli("privacy", "retention", "--now", "2029-01-01")  # cutoff for A: 2027-01-01, for B: 2026-01-01
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) == {"Mama Njeri Duka"}
    assert report["Mama Njeri Duka"]["messages"] == 2 and report["Mama Njeri Duka"]["customers"] == 1
    conn.commit()
    assert _texts(conn, a, OLD) == []  # the old customer's identity is gone with the text
    assert _texts(conn, a) == ["[expired]", "Sukari iko?"]
    assert _texts(conn, b) == ["Unga ni pesa ngapi?", "Sukari iko?"]  # 36 months: all kept
    assert conn.execute("SELECT business_id, count(*) AS n, sum(tokens_used) AS t FROM messages "
                        "GROUP BY business_id ORDER BY business_id").fetchall() == before  # counts for analytics
    assert conn.execute("SELECT count(*) AS n FROM messages WHERE payload IS NOT NULL AND created_at < '2027-01-01' "
                        "AND business_id = %s", (a["id"],)).fetchone()["n"] == 0
    # idempotent: a second run changes nothing
    again = run_cli("privacy", "retention", "--now", "2029-01-01")
    assert json.loads(again.stdout) == {}
    audit = conn.execute("SELECT actor, action, detail FROM audit_log WHERE action = 'retention'").fetchall()
    assert len(audit) == 1 and audit[0]["actor"] == "retention" and audit[0]["detail"]["messages"] == 2


def test_the_dagster_asset_applies_each_shops_period(conn: psycopg.Connection, db_url: str) -> None:
    from orchestration.assets.retention import customer_data_retention
    from orchestration.resources import MtaabotDatabase

    shop = make_shop(conn, name="Duka la Mwezi")
    ask(conn, shop, "Unga ni pesa ngapi?", customer=OLD)
    ask(conn, shop, "Sukari iko?", customer=RECENT)
    conn.execute("UPDATE businesses SET retention_months = 1 WHERE id = %s", (shop["id"],))
    conv = conn.execute("SELECT id FROM conversations WHERE customer_phone = %s", (OLD,)).fetchone()["id"]
    conn.execute("UPDATE messages SET created_at = now() - interval '2 months' WHERE conversation_id = %s", (conv,))
    conn.commit()
    result = dg.materialize([customer_data_retention], resources={"database": MtaabotDatabase(url=db_url)})
    assert result.success
    meta = result.asset_materializations_for_node("customer_data_retention")[0].metadata
    assert meta["shops_changed"].value == 1
    assert _texts(conn, shop) == ["[expired]", "Sukari iko?"]
