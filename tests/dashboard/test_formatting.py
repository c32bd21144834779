"""KES amounts, percentages and bilingual labels as owners read them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from mtaabot.dashboard.formatting import day, days_left_text, kes, label, minutes, percent


def test_kes_uses_thousands_separators_and_drops_zero_cents() -> None:
    assert kes(1450) == "KES 1,450"
    assert kes(Decimal("2999.00")) == "KES 2,999"
    assert kes(Decimal("1450.50")) == "KES 1,450.50"
    assert kes(None) == "—"


def test_labels_are_english_and_swahili() -> None:
    assert label("products") == "Products · Bidhaa"
    assert label("billing") == "Billing · Malipo"


def test_percent_and_days_left() -> None:
    assert percent(0.834) == "83%" and percent(None) == "—"
    assert days_left_text(1) == "1 day · siku 1"
    assert days_left_text(-2).startswith("expired 2 days ago")


def test_times_are_shown_in_nairobi_time_and_durations_in_minutes() -> None:
    assert day(datetime(2026, 11, 25, 18, 30, tzinfo=UTC)) == "25 Nov 2026 21:30"
    assert minutes(4.2) == "4 min" and minutes(125) == "2 h 5 min" and minutes(None) == "—"
