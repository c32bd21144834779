"""A price the owner sets "kuanzia kesho" / "from Monday" starts that day: customers keep today's price until then
(customer test s24: "bei ya sukari ni 230 kuanzia kesho" changed it at once)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mtaabot import price_changes
from tests.engine.conftest import ask, make_shop
from tests.owners.conftest import shop_with_owner

OWNER = "254700000778"
SUGAR = "Kabras Sugar 1kg"


@pytest.fixture
def shop(conn, monkeypatch):
    return shop_with_owner(conn, monkeypatch, OWNER)


def price_of(conn, shop, name: str) -> str:
    return f"KES {conn.execute('SELECT price FROM products WHERE business_id = %s AND name = %s', (shop['id'], name)).fetchone()['price']:,.0f}"


def the_day_comes(conn, shop, days: int = 1) -> None:
    """Time passes: every pending change of the shop is `days` nearer (as the calendar would make it)."""
    conn.execute("UPDATE price_changes SET starts_on = starts_on - %s WHERE business_id = %s AND applied_at IS NULL",
                 (days, shop["id"]))
    conn.execute("UPDATE businesses SET price_changes_due_on = price_changes_due_on - %s WHERE id = %s",
                 (days, shop["id"]))
    conn.commit()


@pytest.mark.parametrize(("say", "reply_has"), [
    ("bei ya sukari ni 230 kuanzia kesho", "kuanzia kesho"),
    ("sukari ni 230 kuanzia kesho", "kuanzia kesho"),
    ("BEI kabras sugar 230 kesho", "kuanzia kesho"),
    ("price of sugar 230 from tomorrow", "from tomorrow"),
])
def test_a_price_from_tomorrow_is_today_s_price_until_tomorrow(conn, shop, say, reply_has):
    before = price_of(conn, shop, SUGAR)
    done = ask(conn, shop, say, customer=OWNER)
    assert done.owner_command == "price" and reply_has in done.reply and "KES 230" in done.reply
    assert before in done.reply  # the owner is told what customers pay until then
    assert price_of(conn, shop, SUGAR) == before
    today = ask(conn, shop, "sukari bei gani?", customer="254712900301")
    assert before in today.reply and "KES 230" not in today.reply

    the_day_comes(conn, shop)
    tomorrow = ask(conn, shop, "sukari bei gani?", customer="254712900302")
    assert "KES 230" in tomorrow.reply
    assert price_of(conn, shop, SUGAR) == "KES 230"
    assert "KES 230 sasa" in ask(conn, shop, "BEI sukari", customer=OWNER).reply


def test_a_price_from_a_weekday_waits_for_that_day_and_the_owner_can_see_it(conn, shop):
    done = ask(conn, shop, "BEI sukari 250 kuanzia jumapili ijayo", customer=OWNER)
    assert "KES 250 kuanzia Jumapili" in done.reply
    asked = ask(conn, shop, "BEI sukari", customer=OWNER)
    assert asked.reply.startswith(f"{SUGAR}: KES 180 sasa; KES 250 kuanzia Jumapili")
    # a price for now keeps the one planned, and says so
    now = ask(conn, shop, "BEI sukari 190", customer=OWNER)
    assert "sasa ni KES 190" in now.reply and "KES 250 (uliyopanga)" in now.reply
    assert price_of(conn, shop, SUGAR) == "KES 190"
    starts = conn.execute("SELECT starts_on FROM price_changes WHERE business_id = %s",
                          (shop["id"],)).fetchone()["starts_on"]
    assert starts.weekday() == 6 and starts > price_changes.today()
    the_day_comes(conn, shop, days=(starts - price_changes.today()).days - 1)  # the Saturday before: still 190
    assert "KES 190" in ask(conn, shop, "sukari bei gani?", customer="254712900303").reply
    the_day_comes(conn, shop)
    assert "KES 250" in ask(conn, shop, "sukari bei gani?", customer="254712900304").reply


def test_a_day_that_cannot_be_read_changes_nothing(conn, shop):
    done = ask(conn, shop, "BEI sukari 200 kuanzia mwezi ujao", customer=OWNER)
    assert "Hakuna kilichobadilika" in done.reply
    assert price_of(conn, shop, SUGAR) == "KES 180"
    assert conn.execute("SELECT count(*) AS n FROM price_changes").fetchone()["n"] == 0


def test_which_product_answered_by_name_keeps_the_day(conn, shop):
    which = ask(conn, shop, "BEI unga 250 kuanzia kesho", customer=OWNER)
    assert "Ipi kati ya hizi" in which.reply
    done = ask(conn, shop, "jogoo", customer=OWNER)
    assert "Jogoo Maize Flour 2kg itakuwa KES 250 kuanzia kesho" in done.reply
    assert price_of(conn, shop, "Jogoo Maize Flour 2kg") != "KES 250"


def test_the_schedule_starts_every_shop_s_prices_on_their_day_and_only_theirs(conn, shop):
    """What the owners' 5-minute Dagster asset runs: the dashboard's catalogue follows without a customer message."""
    other = make_shop(conn, name="Duka Jirani")
    conn.commit()
    ask(conn, shop, "BEI sukari 230 kuanzia kesho", customer=OWNER)
    tomorrow = price_changes.today() + timedelta(days=1)
    assert price_changes.apply_due(conn) == 0  # not yet
    assert price_changes.apply_due(conn, on=tomorrow) == 1
    conn.commit()
    assert price_of(conn, shop, SUGAR) == "KES 230"
    assert price_of(conn, other, SUGAR) == "KES 180"
    assert conn.execute("SELECT price_changes_due_on FROM businesses WHERE id = %s",
                        (shop["id"],)).fetchone()["price_changes_due_on"] is None


def test_a_customer_asking_tomorrow_s_price_hears_the_one_planned(conn, shop):
    """"na kesho itakuwa bei gani?" went to the owner, who had set tomorrow's price (customer test s25)."""
    ask(conn, shop, "BEI sukari 230 kuanzia kesho", customer=OWNER)
    customer = "254712900311"
    ask(conn, shop, "sukari bei gani?", customer=customer)
    later = ask(conn, shop, "na kesho itakuwa bei gani?", customer=customer)
    assert not later.escalated and "KES 180 leo" in later.reply and "KES 230" in later.reply, later.reply
    rice = ask(conn, shop, "bei ya mchele kesho ni ngapi?", customer=customer)
    assert not rice.escalated and "KES 250" in rice.reply and "hajapanga" in rice.reply, rice.reply
