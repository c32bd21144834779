"""KES amounts, percentages, durations and Nairobi dates as owners read them, in each language."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from mtaabot.dashboard.i18n import day, days_left, default_language, kes, minutes, percent, text


def test_kes_uses_thousands_separators_and_drops_zero_cents() -> None:
    assert kes(1450) == "KES 1,450"
    assert kes(Decimal("2999.00")) == "KES 2,999"
    assert kes(Decimal("1450.50")) == "KES 1,450.50"
    assert kes(1234567) == "KES 1,234,567"
    assert kes(None) == "—"


def test_one_language_at_a_time() -> None:
    assert text("en", "nav.products") == "Products" and text("sw", "nav.products") == "Bidhaa"
    assert text("sw", "billing.check_phone", phone="254712345678").startswith("Angalia simu yako (254712345678)")


def test_percent_and_days_left() -> None:
    assert percent(0.834) == "83%" and percent(None) == "—"
    assert days_left("en", 1) == "1 day" and days_left("sw", 1) == "siku 1"
    assert days_left("en", -2) == "expired 2 days ago" and days_left("sw", -2) == "uliisha siku 2 zilizopita"


def test_times_are_shown_in_nairobi_time_with_the_languages_month_names() -> None:
    evening = datetime(2026, 8, 25, 18, 30, tzinfo=UTC)  # 21:30 in Nairobi
    assert day("en", evening) == "25 Aug 2026 21:30"
    assert day("sw", evening) == "25 Ago 2026 21:30"
    late = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)  # already 1 December in Nairobi
    assert day("en", late) == "01 Dec 2026 01:00" and day("sw", late) == "01 Des 2026 01:00"
    assert day("en", date(2026, 3, 1)) == "01 Mar 2026" and day("sw", date(2026, 3, 1)) == "01 Mac 2026"
    assert day("en", None) == "—"


def test_durations_in_each_language() -> None:
    assert minutes("en", 4.2) == "4 min" and minutes("en", 125) == "2 h 5 min" and minutes("en", None) == "—"
    assert minutes("sw", 4.2) == "dakika 4" and minutes("sw", 120) == "saa 2"


def test_kiswahili_is_the_default_for_mtaa_and_rafiki_shops() -> None:
    assert default_language("mtaa") == "sw" and default_language("rafiki") == "sw"
    assert default_language("kazi") == "en" and default_language("sana") == "en"
