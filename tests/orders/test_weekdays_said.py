"""Days said by weekday: "jumatatu saa nne" written at half past midnight on a Monday was booked for the Monday a
week on, "wiki ijayo Jumanne" (Tuesday next week) for tomorrow, and "next monday" said on a Monday for today. A time
of something else the customer has ("niko na harusi saa nane") was booked as the appointment. Sentences are this
file's own."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from mtaabot.orders.when import NAIROBI, parse_when

MONDAY_NIGHT = datetime(2026, 12, 7, 0, 30, tzinfo=NAIROBI)
MONDAY_AFTERNOON = datetime(2026, 12, 7, 15, 0, tzinfo=NAIROBI)
SUNDAY_NOON = datetime(2026, 12, 6, 12, 0, tzinfo=NAIROBI)


@pytest.mark.parametrize(("text", "now", "day", "at"), [
    ("jumatatu saa nne", MONDAY_NIGHT, date(2026, 12, 7), time(10, 0)),  # today, later in the day
    ("jumatatu saa nne", MONDAY_AFTERNOON, date(2026, 12, 14), time(10, 0)),  # a week on
    ("wiki ijayo Jumanne saa tatu", MONDAY_NIGHT, date(2026, 12, 15), time(9, 0)),
    ("next week Tuesday", SUNDAY_NOON, date(2026, 12, 8), None),  # the week starting tomorrow
    ("jumanne", MONDAY_NIGHT, date(2026, 12, 8), None),
    # "next monday" / "jumatatu ijayo" said on a Monday: a week on (both were booked for today)
    ("manicure next monday 6.30pm", MONDAY_NIGHT, date(2026, 12, 14), time(18, 30)),
    ("cornrows asubuhi ya jumatatu ijayo, mapema", MONDAY_NIGHT, date(2026, 12, 14), time(9, 0)),
    ("next friday", MONDAY_AFTERNOON, date(2026, 12, 11), None),  # the coming Friday
])
def test_a_weekday_is_the_one_meant(text, now, day, at):
    when = parse_when(text, now)
    assert (when.day, when.at) == (day, at), when


@pytest.mark.parametrize(("text", "at"), [
    ("box braids jumamosi asubuhi mapema? niko na harusi saa nane", time(9, 0)),  # was 02:00 (the wedding's 2pm)
    ("nina appointment ingine saa tano, mnaweza saa tatu?", time(9, 0)),  # was 11:00, the other appointment
    ("saa tano badala ya saa nne", time(11, 0)),
    ("nina nafasi saa tatu kesho", time(9, 0)),  # free at 9: the time asked
])
def test_the_time_asked_is_not_the_time_of_something_else(text, at):
    assert parse_when(text, MONDAY_NIGHT).at == at
