"""One day's orders as an owner asks for them on WhatsApp: "oda za jana" / "yesterday's orders" (placed that day,
whatever became of them since) and "nani amelipa leo?" / "who paid today?" (the money received that day: orders paid
in full, and parts received of those still waiting for the rest), with the day's total.

Before, "oda za jana" listed today's open orders and "who paid today?" got the whole help.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from mtaabot.orders import store
from mtaabot.owners.alerts import in_lang as _t
from mtaabot.reply_builder import format_price

NAIROBI = ZoneInfo("Africa/Nairobi")
SHOWN = 15  # one WhatsApp message: the rest are counted, not listed

YESTERDAY = re.compile(r"\b(?:jana|yesterday'?s?)\b", re.I)
TODAY = re.compile(r"\b(?:leo|today'?s?)\b", re.I)
# the money of a day asked for, once the owner's sentence became "ODA zilizolipwa leo" / "ORDERS paid today"
PAID_ASKED = re.compile(r"\b(?:zilizolipwa|paid)\b", re.I)


def day_said(text: str) -> date | None:
    """Yesterday or today, as the owner said it; None for neither."""
    today = datetime.now(NAIROBI).date()
    if YESTERDAY.search(text):
        return today - timedelta(days=1)
    return today if TODAY.search(text) else None


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=NAIROBI)
    return start, start + timedelta(days=1)


def _day_name(day: date, lang: str) -> str:
    if day == datetime.now(NAIROBI).date():
        return _t(lang, "leo", "today")
    return _t(lang, "jana", "yesterday")


def placed_on(conn: psycopg.Connection, business_id: Any, day: date, lang: str,
              line: Any) -> str:
    """The orders placed on `day` that a customer said yes to (carts never confirmed are left out), newest first,
    each as `line(order_view, lang)` shows it."""
    start, end = _bounds(day)
    rows = conn.execute(
        """SELECT * FROM orders WHERE business_id = %s AND created_at >= %s AND created_at < %s
           AND (status <> 'draft' OR confirmed_at IS NOT NULL)
           ORDER BY created_at DESC, number DESC""", (str(business_id), start, end)).fetchall()
    name = _day_name(day, lang)
    if not rows:
        return _t(lang, f"Hakuna oda za {name}.", f"No orders {name}.")
    listed = [line(store.order_view(conn, r), lang) for r in rows[:SHOWN]]
    if len(rows) > SHOWN:
        listed.append(_t(lang, f"Na oda {len(rows) - SHOWN} zaidi.", f"And {len(rows) - SHOWN} more."))
    return _t(lang, f"Oda za {name} ({len(rows)}):", f"Orders {name} ({len(rows)}):") + "\n" + "\n".join(listed)


def paid_on(conn: psycopg.Connection, business_id: Any, day: date, lang: str) -> str:
    """Who paid on `day` and how much: orders paid in full that day, and parts received that day of orders still
    waiting for the rest; the total received."""
    start, end = _bounds(day)
    rows = conn.execute(
        """SELECT o.*, c.customer_name, c.customer_phone FROM orders o
           JOIN conversations c ON c.id = o.conversation_id
           WHERE o.business_id = %(b)s
             AND ((o.status IN ('paid', 'fulfilled') AND o.paid_at >= %(s)s AND o.paid_at < %(e)s)
                  OR (o.status IN ('awaiting_payment', 'payment_failed', 'draft') AND o.paid_amount_kes > 0
                      AND o.part_received_at >= %(s)s AND o.part_received_at < %(e)s))
           ORDER BY coalesce(o.paid_at, o.part_received_at) DESC""",
        {"b": str(business_id), "s": start, "e": end}).fetchall()
    name = _day_name(day, lang)
    if not rows:
        return _t(lang, f"Hakuna aliyelipa {name}.", f"Nobody paid {name}.")
    total = Decimal(0)
    listed = []
    for r in rows:
        whole = r["status"] in ("paid", "fulfilled")
        amount = store.money_received(r) if whole else Decimal(r["paid_amount_kes"])
        total += amount
        how = f" ({r['mpesa_receipt_number']})" if whole and r["mpesa_receipt_number"] else ""
        part = "" if whole else _t(lang, f", sehemu, baki {format_price(max(Decimal(0), r['total_kes'] - amount))}",
                                   f", a part, {format_price(max(Decimal(0), r['total_kes'] - amount))} left")
        listed.append(f"#{r['number']} {format_price(amount)}{how}{part} – {r['customer_name'] or r['customer_phone']}")
    shown = listed[:SHOWN] + ([_t(lang, f"Na {len(listed) - SHOWN} zaidi.", f"And {len(listed) - SHOWN} more.")]
                              if len(listed) > SHOWN else [])
    return (_t(lang, f"Waliolipa {name}:", f"Paid {name}:") + "\n" + "\n".join(shown) + "\n"
            + _t(lang, f"Jumla iliyopokelewa: {format_price(total)}", f"Total received: {format_price(total)}"))
