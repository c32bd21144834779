"""Quiet hours per shop: alerts to the owner's WhatsApp made at night wait until the end of the shop's own quiet
hours (`business set-hours --quiet-hours`), or leave at once when the shop turned them off; shops without a
setting follow the deployment default. Fixed clock, real database, the real CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
import pytest

from mtaabot import businesses
from mtaabot.owners.alerts import alert
from mtaabot.owners.registry import add_trusted_owner

NAIROBI = ZoneInfo("Africa/Nairobi")


@pytest.fixture
def shop(conn: psycopg.Connection) -> dict:
    shop = businesses.create_business(conn, name="Usiku Duka", tone="mtaa", location="Githurai")
    add_trusted_owner(conn, shop["id"], "0700000888")
    conn.commit()
    return shop


def _night() -> datetime:
    """23:30 in Nairobi a few days from now (the outbox never holds a row before the real clock)."""
    day = (datetime.now(UTC) + timedelta(days=3)).astimezone(NAIROBI).date()
    return datetime(day.year, day.month, day.day, 23, 30, tzinfo=NAIROBI)


def _leaves_at(conn: psycopg.Connection, shop: dict, now: datetime) -> datetime:
    row = alert(conn, shop["id"], "escalation", "Mteja 0722000111 anataka mtu", now=now)
    conn.commit()
    leave = conn.execute(
        "SELECT o.next_attempt_at FROM owner_alerts a JOIN outbox o ON o.message_id = a.message_id WHERE a.id = %s",
        (row["id"],)).fetchone()["next_attempt_at"]
    return leave.astimezone(NAIROBI)


@pytest.mark.parametrize(("setting", "deployment", "expected_hour"), [
    ("21-5", "off", 5),      # the shop's own quiet hours win over the deployment's "off"
    ("off", "22-6", None),   # the shop turned them off: the alert leaves at 23:30
    (None, "22-6", 6),       # no setting: the deployment default
])
def test_a_night_alert_leaves_when_the_shop_says(conn: psycopg.Connection, shop: dict,
                                                 monkeypatch: pytest.MonkeyPatch, setting: str | None,
                                                 deployment: str, expected_hour: int | None) -> None:
    monkeypatch.setenv("MTAABOT_OWNER_QUIET_HOURS", deployment)
    conn.execute("UPDATE businesses SET owner_quiet_hours = %s WHERE id = %s", (setting, shop["id"]))
    night = _night()
    leave = _leaves_at(conn, shop, night)
    if expected_hour is None:
        assert leave == night
    else:
        assert leave == (night + timedelta(days=1)).replace(hour=expected_hour, minute=0)


def test_set_hours_sets_and_checks_quiet_hours(run_cli, conn: psycopg.Connection, shop: dict) -> None:
    done = run_cli("business", "set-hours", "--business", "Usiku Duka", "--quiet-hours", "21-5")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["owner_quiet_hours"] == "21-5"
    bad = run_cli("business", "set-hours", "--business", "Usiku Duka", "--quiet-hours", "late")
    assert bad.returncode == 1 and "quiet hours" in bad.stderr and "22-6" in bad.stderr
    assert conn.execute("SELECT owner_quiet_hours FROM businesses WHERE id = %s",
                        (shop["id"],)).fetchone()["owner_quiet_hours"] == "21-5"  # the bad value changed nothing
    back = run_cli("business", "set-hours", "--business", "Usiku Duka", "--quiet-hours", "default")
    assert back.returncode == 0 and json.loads(back.stdout)["owner_quiet_hours"] is None


def test_set_hours_sets_how_many_bookings_the_shop_serves_at_once(run_cli, conn: psycopg.Connection,
                                                                  shop: dict) -> None:
    two = run_cli("business", "set-hours", "--business", "Usiku Duka", "--booking-capacity", "2")
    assert two.returncode == 0, two.stderr
    assert json.loads(two.stdout)["booking_capacity"] == 2
    kept = run_cli("business", "set-hours", "--business", "Usiku Duka", "--quiet-hours", "21-5")
    assert json.loads(kept.stdout)["booking_capacity"] == 2  # another setting leaves it alone
    bad = run_cli("business", "set-hours", "--business", "Usiku Duka", "--booking-capacity", "-1")
    assert bad.returncode != 0 and "booking-capacity" in bad.stderr
    off = run_cli("business", "set-hours", "--business", "Usiku Duka", "--booking-capacity", "0")
    assert json.loads(off.stdout)["booking_capacity"] is None  # 0: no limit
