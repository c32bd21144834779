"""Formatting for owners: KES amounts, percentages, dates, and Swahili/English labels."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

NAIROBI = ZoneInfo("Africa/Nairobi")

# key -> (English, Swahili). Page names and key numbers are shown in both languages.
LABELS: dict[str, tuple[str, str]] = {
    "overview": ("Overview", "Muhtasari"),
    "conversations": ("Conversations", "Mazungumzo"),
    "languages": ("Languages & confidence", "Lugha na uhakika"),
    "usage": ("Usage", "Matumizi"),
    "products": ("Products", "Bidhaa"),
    "billing": ("Billing", "Malipo"),
    "orders": ("Orders", "Oda"),
    "sign_in": ("Sign in", "Ingia"),
    "messages": ("Messages", "Jumbe"),
    "customers": ("Customers", "Wateja"),
    "reply_rate": ("Reply rate", "Kiwango cha kujibu"),
    "escalations": ("Escalations", "Zilizopelekwa kwako"),
    "today": ("Today", "Leo"),
    "last_7": ("Last 7 days", "Siku 7 zilizopita"),
    "last_30": ("Last 30 days", "Siku 30 zilizopita"),
    "waiting": ("Waiting for you", "Wanakusubiri"),
    "reply_time": ("Your reply time (median, 30 days)", "Muda wako wa kujibu"),
    "ai_replies": ("AI replies this month", "Majibu ya AI mwezi huu"),
    "tokens": ("Tokens this month", "Tokeni mwezi huu"),
    "quota_used": ("Quota used", "Kiasi kilichotumika"),
    "avg_confidence": ("Average confidence", "Wastani wa uhakika"),
    "top_language": ("Top language", "Lugha kuu"),
    "plan": ("Plan", "Mpango"),
    "status": ("Status", "Hali"),
    "period_end": ("Period ends", "Kipindi kinaisha"),
    "days_left": ("Days left", "Siku zilizobaki"),
    "products_count": ("Products", "Bidhaa"),
    "available": ("Available", "Zinapatikana"),
    "renew": ("Renew with M-Pesa", "Lipia kwa M-Pesa"),
    "hand_back": ("Hand back to the bot", "Rudisha kwa bot"),
    "paid_total": ("Paid so far", "Jumla iliyolipwa"),
}

LANGUAGE_NAMES = {"SHENG": "Sheng", "SWA": "Kiswahili", "ENG": "English", "UNKNOWN": "Not detected · Haijulikani"}


def label(key: str) -> str:
    """'English · Kiswahili' for a known key (the key itself otherwise)."""
    en, sw = LABELS.get(key, (key, ""))
    return f"{en} · {sw}" if sw else en


def kes(amount: Any) -> str:
    """`KES 1,450` (cents only when there are any); '—' for a missing amount."""
    if amount is None:
        return "—"
    value = Decimal(str(amount))
    if value == value.to_integral_value():
        return f"KES {int(value):,}"
    return f"KES {value:,.2f}"


def number(value: Any) -> str:
    return "—" if value is None else f"{int(value):,}"


def percent(value: Any, digits: int = 0) -> str:
    """A 0–1 ratio as a percentage ('—' when there is none)."""
    if value is None:
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


def minutes(value: Any) -> str:
    """A duration in minutes as owners read it: '4 min', '2 h 5 min', '—' when unknown."""
    if value is None:
        return "—"
    total = round(float(value))
    if total < 60:
        return f"{total} min"
    hours, mins = divmod(total, 60)
    return f"{hours} h {mins} min" if mins else f"{hours} h"


def day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(NAIROBI)  # owners read Kenyan time
        return value.strftime("%d %b %Y %H:%M")
    return value.strftime("%d %b %Y")


def local_date(value: date | datetime | None) -> date | None:
    """The Nairobi calendar day of a timestamp (a date stays as it is)."""
    if isinstance(value, datetime):
        return (value.astimezone(NAIROBI) if value.tzinfo is not None else value).date()
    return value


def days_left_text(days: Any) -> str:
    if days is None:
        return "—"
    days = int(days)
    if days < 0:
        return f"expired {-days} day{'s' if days != -1 else ''} ago · imeisha"
    return f"{days} day{'s' if days != 1 else ''} · siku {days}"
