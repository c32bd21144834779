"""The dbt plans seed carries the same prices and quotas as mtaabot.billing.plans."""

from __future__ import annotations

import csv

from mtaabot.billing import plans
from mtaabot.dbt_runner import DBT_PROJECT_DIR, connection_env


def test_plans_seed_matches_the_billing_plans() -> None:
    with open(DBT_PROJECT_DIR / "seeds" / "plans.csv", encoding="utf-8") as fh:
        rows = {r["plan_tier"]: r for r in csv.DictReader(fh)}
    expected = {**plans.PLANS, "trial": plans.TRIAL}
    assert set(rows) == set(expected)
    for code, plan in expected.items():
        assert int(rows[code]["price_kes"]) == plan.price_kes
        assert int(rows[code]["monthly_reply_quota"]) == plan.monthly_ai_replies
        assert int(rows[code]["period_days"]) == plan.period_days


def test_profile_connection_comes_from_the_database_url() -> None:
    embedded = connection_env("postgresql://postgres:@/mtaabot?host=/tmp/x/pgdata")
    assert embedded["MTAABOT_DBT_HOST"] == "/tmp/x/pgdata" and embedded["MTAABOT_DBT_DBNAME"] == "mtaabot"
    managed = connection_env("postgresql://app:s3cret@db.example.com:6543/prod?sslmode=require")
    assert (managed["MTAABOT_DBT_HOST"], managed["MTAABOT_DBT_PORT"], managed["MTAABOT_DBT_USER"],
            managed["MTAABOT_DBT_PASSWORD"], managed["MTAABOT_DBT_SSLMODE"]) == (
        "db.example.com", "6543", "app", "s3cret", "require")
