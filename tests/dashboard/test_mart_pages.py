"""Pages that chart the dbt marts, against marts built by the real dbt from seeded data."""

from __future__ import annotations

from tests.dashboard.conftest import metric, new_app, open_page, sign_in, texts


def _metrics(at) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def test_overview_key_numbers_are_the_shops_own(built) -> None:
    _, (a, b, _busy) = built
    at = sign_in(new_app(), a.api_key)
    assert not at.exception
    today = _metrics(at)[:4]  # the "Today" row comes first
    assert today == [("Messages", "15"), ("Customers", "7"), ("Reply rate", "88%"), ("Escalations", "1")]
    last_30 = _metrics(at)[8:12]
    assert last_30[0] == ("Messages", "16") and last_30[1] == ("Customers", "8")

    other = sign_in(new_app(), b.api_key)
    assert _metrics(other)[:2] == [("Messages", "8"), ("Customers", "3")]
    assert a.name not in texts(other) and b.name not in texts(at)


def test_languages_page_reads_the_language_and_confidence_marts(built) -> None:
    _, (a, b, _busy) = built
    at = sign_in(new_app(), a.api_key)
    open_page(at, "languages")
    assert not at.exception
    assert metric(at, "Top language").startswith("Sheng")
    review = at.dataframe[0].value
    assert len(review) > 0 and (review["Confidence"].astype(float) < 0.5).all()
    assert review["Customer wrote"].str.contains(a.name).all()
    assert not review["Customer wrote"].str.contains(b.name).any()


def test_usage_page_shows_replies_against_quota(built) -> None:
    _, (a, _b, busy) = built
    at = sign_in(new_app(), a.api_key)
    open_page(at, "usage")
    assert not at.exception
    assert metric(at, "AI replies this month") == "7 / 300"
    assert not at.warning and not at.error

    near = sign_in(new_app(), busy.api_key)
    open_page(near, "usage")
    assert metric(near, "AI replies this month") == "250 / 300"
    assert metric(near, "Quota used") == "83%"
    assert near.warning and "Almost at your limit" in near.warning[0].value


def test_billing_page_shows_plan_and_days_left(built) -> None:
    _, (a, _b, _busy) = built
    at = sign_in(new_app(), a.api_key)
    open_page(at, "billing")
    assert not at.exception
    assert metric(at, "Plan") == "Trial"
    assert metric(at, "Days left") in ("14 days", "13 days")
    assert "Renew with M-Pesa" in texts(at)


def test_conversations_page_shows_time_to_owner_reply(built) -> None:
    _, (a, b, _busy) = built
    at = sign_in(new_app(), b.api_key)
    open_page(at, "conversations")
    assert not at.exception
    assert metric(at, "Your reply time") == "4 min"
    mine = sign_in(new_app(), a.api_key)
    open_page(mine, "conversations")
    assert metric(mine, "Your reply time") == "—"  # A has not answered its hand-over
