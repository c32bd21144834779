"""Retention (Kenya Data Protection Act 2019 s.39): nothing about customers is kept longer than each shop's
retention period (`businesses.retention_months`, default 24).

`apply_retention` anonymises, for every shop, what is older than its period, in place so analytics keep
their counts: message text becomes "[expired]" and raw payloads go (messages, unprocessed webhooks, M-Pesa
callbacks and order payment callbacks), owner notices and alerts are blanked, old orders lose delivery
location, note and phone, and a customer whose whole conversation is older than the period loses their
identity (phone, BSUID, name) as in an erasure. Touched messages are marked changed so the next dbt build
reloads them (the marts then hold no expired text). Idempotent; one audit row per shop that changed.
Runs daily from Dagster (`orchestration/assets/retention.py`) or `mtaabot privacy retention`.
Nothing here commits.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

import psycopg

from mtaabot.operator import audit

EXPIRED = "[expired]"
DEFAULT_MONTHS = 24


class RetentionError(ValueError):
    """A retention period outside 1–120 months."""


def set_retention(conn: psycopg.Connection, business_id: Any, months: int) -> dict[str, Any]:
    if not 1 <= months <= 120:
        raise RetentionError(f"retention must be between 1 and 120 months, not {months}")
    row = conn.execute("""UPDATE businesses SET retention_months = %s, updated_at = CURRENT_TIMESTAMP WHERE id = %s
                          RETURNING id, name, retention_months""", (months, str(business_id))).fetchone()
    audit(conn, "set_retention", business_id=business_id, subject=str(business_id), detail={"months": months})
    return row


def apply_retention(conn: psycopg.Connection, now: datetime | None = None) -> dict[str, dict[str, int]]:
    """Anonymise everything older than each shop's period; returns counts per shop name (shops that changed)."""
    now = now or conn.execute("SELECT CURRENT_TIMESTAMP AS t").fetchone()["t"]
    report: dict[str, dict[str, int]] = {}
    from mtaabot.privacy import complete_erasures

    completed = complete_erasures(conn)  # customers' own erasures waiting for their last message to go out
    if completed:
        report["(customer erasures completed)"] = {"conversations": completed}
    shops = conn.execute("""SELECT id, name, %s - make_interval(months => retention_months) AS cutoff
                            FROM businesses ORDER BY name""", (now,)).fetchall()
    for shop in shops:
        counts = _expire_shop(conn, str(shop["id"]), shop["cutoff"])
        if any(counts.values()):
            audit(conn, "retention", business_id=shop["id"], subject=str(shop["id"]),
                  detail=counts | {"cutoff": shop["cutoff"].isoformat()}, actor="retention")
            report[shop["name"]] = counts
    default_cutoff = conn.execute("SELECT %s - make_interval(months => %s) AS c", (now, DEFAULT_MONTHS)).fetchone()["c"]
    orphans = conn.execute("""UPDATE webhook_unprocessed SET payload = NULL
                              WHERE business_id IS NULL AND payload IS NOT NULL AND received_at < %s""",
                           (default_cutoff,)).rowcount
    if orphans:
        audit(conn, "retention", detail={"webhook_unprocessed": orphans}, actor="retention")
        report["(no shop)"] = {"webhook_unprocessed": orphans}
    return report


def _expire_shop(conn: psycopg.Connection, bid: str, cutoff: datetime) -> dict[str, int]:
    c: dict[str, int] = {}
    c["messages"] = conn.execute(
        """UPDATE messages SET content = CASE WHEN content = '[erased]' THEN content ELSE %s END, payload = NULL,
               changed_xid = pg_current_xact_id()
           WHERE business_id = %s AND created_at < %s
             AND ((content <> %s AND content <> '[erased]') OR payload IS NOT NULL)""",
        (EXPIRED, bid, cutoff, EXPIRED)).rowcount
    c["notifications"] = conn.execute(
        """UPDATE notifications SET body = %s WHERE business_id = %s AND created_at < %s
             AND body <> %s AND body <> '[erased]'""", (EXPIRED, bid, cutoff, EXPIRED)).rowcount
    c["owner_alerts"] = conn.execute(
        """UPDATE owner_alerts SET body = %s WHERE business_id = %s AND created_at < %s
             AND body <> %s AND body <> '[erased]'""", (EXPIRED, bid, cutoff, EXPIRED)).rowcount
    c["orders"] = conn.execute(
        """UPDATE orders SET delivery_location = NULL, customer_note = NULL, payment_phone = NULL
           WHERE business_id = %s AND created_at < %s
             AND (delivery_location IS NOT NULL OR customer_note IS NOT NULL OR payment_phone IS NOT NULL)""",
        (bid, cutoff)).rowcount
    c["order_payments"] = conn.execute(
        """UPDATE order_payments SET raw_callback = NULL, phone = 'expired'
           WHERE business_id = %s AND created_at < %s AND (raw_callback IS NOT NULL OR phone <> 'expired')""",
        (bid, cutoff)).rowcount
    c["mpesa_callbacks"] = conn.execute(
        """UPDATE mpesa_callbacks SET payload = '{}'::jsonb, remote_addr = NULL
           WHERE business_id = %s AND received_at < %s AND (payload <> '{}'::jsonb OR remote_addr IS NOT NULL)""",
        (bid, cutoff)).rowcount
    c["webhook_unprocessed"] = conn.execute(
        """UPDATE webhook_unprocessed SET payload = NULL
           WHERE business_id = %s AND received_at < %s AND payload IS NOT NULL""", (bid, cutoff)).rowcount
    # Customers not heard from (nor written to) within the period: identity goes too.
    stale = conn.execute(
        """SELECT c.id FROM conversations c
           WHERE c.business_id = %s AND c.kind = 'customer' AND c.erased_at IS NULL
             AND coalesce(c.last_message_at, c.created_at) < %s
             AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.created_at >= %s)
             AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.conversation_id = c.id AND o.updated_at >= %s)""",
        (bid, cutoff, cutoff, cutoff)).fetchall()
    for row in stale:
        conn.execute(
            """UPDATE conversations SET customer_phone = %s, customer_bsuid = NULL, customer_wa_id = NULL,
                   customer_name = NULL, erased_at = CURRENT_TIMESTAMP, erasure_requested_at = NULL
               WHERE id = %s""", ("expired:" + secrets.token_hex(6), row["id"]))
    conn.execute("DELETE FROM price_offers WHERE business_id = %s AND expires_at < %s", (bid, cutoff))
    c["customers"] = len(stale)
    return c
