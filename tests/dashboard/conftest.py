"""Dashboard fixtures: two seeded shops (marts built with the real dbt) and AppTest sign-in helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.seed import Shop, add_owner_reply, seed_busy_shop, seed_two_shops

# The marts the pages read (the dbt build in `built` selects these and their parents only).
DASHBOARD_MARTS = ("mart_daily_business_activity", "mart_token_usage_daily", "mart_token_usage_monthly",
                   "mart_language_mix_daily", "mart_confidence_distribution", "mart_billing_status",
                   "mart_low_confidence_replies", "mart_time_to_human")
MAIN = Path(__file__).resolve().parents[2] / "app" / "main.py"
TIMEOUT = 30


@pytest.fixture
def shops(conn) -> tuple[Shop, Shop]:
    return seed_two_shops(conn)


def new_app() -> AppTest:
    return AppTest.from_file(str(MAIN), default_timeout=TIMEOUT)


def sign_in(at: AppTest, api_key: str, lang: str | None = "en") -> AppTest:
    """Sign in through the real login form, as an owner would, then pick the dashboard language with the
    sidebar switch (`lang=None` keeps the remembered one or the shop's default)."""
    at.run()
    at.text_input(key="login_api_key").input(api_key)
    at.button(key="owner_sign_in").click()
    at.run()
    if lang is not None and not at.exception and at.radio(key="lang_switch").value != lang:
        set_language(at, lang)
    return at


def set_language(at: AppTest, lang: str) -> AppTest:
    at.radio(key="lang_switch").set_value(lang)
    return at.run()


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py")
    return at.run()


def texts(at: AppTest) -> str:
    """All visible text of the current page (markdown, metrics, alerts, captions, titles)."""
    parts: list[str] = []
    for group in (at.title, at.header, at.subheader, at.markdown, at.caption, at.info, at.success,
                  at.warning, at.error):
        parts.extend(str(e.value) for e in group)
    for m in at.metric:
        parts.append(f"{m.label}: {m.value}")
    return "\n".join(parts)


def metric(at: AppTest, label_start: str) -> str:
    values = [m.value for m in at.metric if m.label.startswith(label_start)]
    assert values, f"no metric starting {label_start!r}; have {[m.label for m in at.metric]}"
    return values[0]


@pytest.fixture(scope="session")
def built(pg_admin_url: str):
    """One database for the dashboard tests that only read: two seeded shops and the marts built by the real `mtaabot dbt build` (seeds + models; the data tests are the analytics area's).
    Read-only tests share it (dbt takes 20-40 s, so it runs once)."""
    import os
    import subprocess
    import sys

    from mtaabot.db import connect
    from tests.conftest import create_database, drop_database

    url = create_database(pg_admin_url)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_URL", url)
        conn = connect(url)
        try:
            shops = seed_two_shops(conn)
            busy = seed_busy_shop(conn)
            add_owner_reply(conn, shops[1], minutes_after_escalation=4)
        finally:
            conn.close()
        exe = Path(sys.executable).parent / "mtaabot"
        marts = [f"+{m}" for m in DASHBOARD_MARTS]
        done = subprocess.run([str(exe), "dbt", "build", "--resource-type", "seed", "--resource-type", "model",
                               "--select", *marts], capture_output=True, text=True, timeout=600,
                              env=os.environ | {"DATABASE_URL": url}, cwd=MAIN.parents[1])
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        yield url, (*shops, busy)
    drop_database(pg_admin_url, url)
