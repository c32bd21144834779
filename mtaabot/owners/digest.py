"""The owner's morning digest (yesterday's numbers, at the hour the owner chose) and re-alerts for hand-overs
nobody answered. Both take `now` so they are tested with a fixed clock; Dagster runs them on a schedule."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from mtaabot.config import get_settings
from mtaabot.owners import alerts
from mtaabot.owners.commands import numbers_text, today_numbers

NAIROBI = ZoneInfo("Africa/Nairobi")
LAPSE_WARNING_DAYS = 3  # "your plan ends in N days", with the digest, each morning of the last 3 days
QUOTA_WARNING_SHARE = 0.8  # "you have used 80 % of your AI replies", once per period


def send_due_digests(conn: psycopg.Connection, now: datetime) -> list[str]:
    """Send yesterday's digest to every shop whose digest hour has come today (once a day). Returns the ids
    of the shops sent to. Commits."""
    local = now.astimezone(NAIROBI)
    today = local.date()
    shops = conn.execute(
        """SELECT id, name FROM businesses WHERE digest_hour <= %s AND (last_digest_on IS NULL OR last_digest_on < %s)
           FOR UPDATE SKIP LOCKED""", (local.hour, today)).fetchall()
    sent = []
    for shop in shops:
        start = datetime.combine(today - timedelta(days=1), datetime.min.time(), tzinfo=NAIROBI)
        numbers = today_numbers(conn, str(shop["id"]), start, start + timedelta(days=1))
        phones = alerts.owner_phones(conn, str(shop["id"]))
        lang = alerts.lang_of_owners(conn, shop["id"], phones)  # the language the owner last wrote in
        heading = f"{shop['name']}, yesterday" if lang == "ENG" else f"{shop['name']} jana"
        text = "📊 " + numbers_text(numbers, lang, heading)
        if phones:
            alerts.push(conn, shop["id"], text, now=now, intent="owner_digest")
        warn_billing(conn, shop["id"], now, lang)
        conn.execute("UPDATE businesses SET last_digest_on = %s WHERE id = %s", (today, shop["id"]))
        sent.append(str(shop["id"]))
    conn.commit()
    return sent


def realert_minutes() -> float:
    """How long a hand-over may wait unanswered before the owner is reminded (MTAABOT_OWNER_REALERT_MINUTES)."""
    return get_settings().owner_realert_minutes


def realert_unanswered(conn: psycopg.Connection, now: datetime, minutes: float | None = None) -> list[dict[str, Any]]:
    """Hand-overs still unanswered after `minutes` (default realert_minutes()) within opening hours: the owner
    is reminded once and the customer told they have not been forgotten. Commits; returns the alerts reminded."""
    minutes = realert_minutes() if minutes is None else minutes
    from mtaabot.hours import parse_opening_hours
    from mtaabot.messages import catalogue
    from mtaabot.whatsapp.outbox import enqueue_reply, store_bot_message

    rows = conn.execute(
        """SELECT a.*, b.opening_hours, c.status AS conversation_status, c.customer_name, c.customer_phone
           FROM owner_alerts a JOIN businesses b ON b.id = a.business_id JOIN conversations c ON c.id = a.conversation_id
           WHERE a.kind = 'escalation' AND a.answered_at IS NULL AND a.realerted_at IS NULL
             AND a.created_at < %s - make_interval(secs => %s)
           FOR UPDATE OF a SKIP LOCKED""", (now, minutes * 60)).fetchall()
    reminded = []
    for a in rows:
        if a["conversation_status"] != "human_escalated":
            conn.execute("UPDATE owner_alerts SET answered_at = %s WHERE id = %s", (now, a["id"]))
            continue
        schedule = parse_opening_hours(a["opening_hours"])
        if schedule is not None and not schedule.is_open(now):
            continue  # outside opening hours the customer was already told when the owner is back
        who = a["customer_name"] or a["customer_phone"]
        alerts.push(conn, a["business_id"], alerts.owner_text(conn, a["business_id"], "still_waiting",
                                                              number=a["number"], who=who), now=now)
        lang_row = conn.execute("""SELECT detected_language FROM messages WHERE conversation_id = %s AND role = 'user'
                                   ORDER BY created_at DESC LIMIT 1""", (a["conversation_id"],)).fetchone()
        lang = (lang_row["detected_language"] if lang_row else None) or "SWA"
        text = catalogue()["reply"]["still_waiting"][lang]
        msg = store_bot_message(conn, business_id=a["business_id"], conversation_id=a["conversation_id"], text=text,
                                author="system", intent="owner_still_waiting")
        enqueue_reply(conn, msg["id"])
        conn.execute("UPDATE owner_alerts SET realerted_at = %s WHERE id = %s", (now, a["id"]))
        reminded.append(a)
    conn.commit()
    return reminded


def warn_billing(conn: psycopg.Connection, business_id: Any, now: datetime, lang: str = "SWA") -> list[str]:
    """Before the bot stops (the billing gate tells the owner when it has): the plan or trial ends within
    LAPSE_WARNING_DAYS (a `billing` notification), or QUOTA_WARNING_SHARE of the period's AI replies are used
    (`quota_warning`); both reach the dashboard and the owner's WhatsApp. Runs with the morning digest, so at most once a day;
    the quota warning once per period. Returns the warnings given. Does not commit."""
    from mtaabot.billing.plans import format_kes
    from mtaabot.billing.status import nairobi_date
    from mtaabot.billing.usage import current_usage
    from mtaabot.notifications import notify

    usage = current_usage(conn, business_id, now)
    ent = usage.entitlement
    if ent.kind == "none" or ent.plan is None:
        return []  # already lapsed: the gate's own notice covers it
    given = []
    end = ent.paid_until or ent.period_end
    if end is not None and end - now <= timedelta(days=LAPSE_WARNING_DAYS):
        days = max(0, (end.astimezone(NAIROBI).date() - now.astimezone(NAIROBI).date()).days)
        what = ("trial" if ent.kind == "trial" else f"{ent.plan.name} plan")
        price = format_kes(ent.plan.price_kes) if ent.kind == "paid" else None
        body = (f"Your MtaaBot {what} ends on {nairobi_date(end)} (in {days} days). Renew with M-Pesa"
                f"{f' ({price} a month)' if price else ''} from the dashboard so the bot keeps answering."
                if lang == "ENG" else
                f"MtaaBot ({what}) inaisha {nairobi_date(end)} (siku {days}). Lipia kwa M-Pesa"
                f"{f' ({price} kwa mwezi)' if price else ''} kwenye dashboard ili bot iendelee kujibu.")
        notify(conn, business_id, "billing", body)
        given.append("lapse")
    quota = usage.quota
    if quota and ent.period_start is not None and usage.used >= QUOTA_WARNING_SHARE * quota \
            and not usage.quota_reached:
        told = conn.execute(
            """SELECT 1 FROM notifications WHERE business_id = %s AND kind = 'quota_warning' AND created_at >= %s
               LIMIT 1""",
            (str(business_id), ent.period_start)).fetchone()
        if told is None:
            body = (f"You have used {usage.used:,} of {quota:,} AI replies this period. At {quota:,} the bot stops "
                    "answering until you upgrade or renew." if lang == "ENG" else
                    f"Umetumia majibu ya AI {usage.used:,} kati ya {quota:,} kipindi hiki. Yakifika {quota:,} bot "
                    "itaacha kujibu hadi upandishe au ulipie kifurushi.")
            notify(conn, business_id, "quota_warning", body)
            given.append("quota")
    return given
