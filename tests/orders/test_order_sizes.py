"""One order line per size (or colour) of a product, on a real database through the engine: "nataka mbili size 42
moja 43" at the shoe shop was ONE line "2 x AF1 (size 42)" (a pair and a size lost). Each size is its own line with
its own count, and the summary, the total, the M-Pesa prompt, the owner's alert, the stock, the dashboard, the
privacy export and the dbt marts all read them so. One seeded Kicks Kona per module; each test its own customers."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from mtaabot.devtools import demo
from mtaabot.orders import store
from mtaabot.orders.checkout import set_payment_settings
from mtaabot.owners.registry import add_trusted_owner
from tests.conftest import ROOT, create_database, drop_database
from tests.engine.conftest import ask, make_shop

AF1 = "Nike Air Force 1 White"
OWNER = "254700000777"
_rng = random.Random(930)


@pytest.fixture(scope="module")
def db(pg_admin_url: str) -> Iterator[dict[str, Any]]:
    """One database with Kicks Kona (the demo shoe shop, embedded, an owner on WhatsApp) for the whole module."""
    from mtaabot.db import connect

    url = create_database(pg_admin_url)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_URL", url)
        conn = connect(url)
        shop = make_shop(conn, name="Kicks Kona", catalogue=demo.demo_catalogue()["Kicks Kona"], tone="rafiki",
                         opening_hours="Daily 0:00-23:59")
        add_trusted_owner(conn, shop["id"], OWNER)
        conn.commit()
        yield {"conn": conn, "shop": shop, "url": url}
        conn.close()
    drop_database(pg_admin_url, url)


@pytest.fixture
def conn(db: dict[str, Any]) -> psycopg.Connection:
    db["conn"].rollback()
    return db["conn"]


@pytest.fixture
def shop(db: dict[str, Any]) -> dict[str, Any]:
    return db["shop"]


def customer() -> str:
    return "2547" + "".join(_rng.choices("0123456789", k=8))


def sized(result) -> dict[tuple[str, str | None], float]:
    """The order's lines as {(product, variant): count}."""
    return {(i["name"], i["variant"]): i["quantity"] for i in (result.order or {}).get("items", [])}


TWO_AND_ONE = {(AF1, "size 42"): 2, (AF1, "size 43"): 1}
ONE_EACH = {(AF1, "size 42"): 1, (AF1, "size 43"): 1}


@pytest.mark.parametrize(("before", "text", "expected"), [
    (None, "nataka AF1 mbili size 42 moja 43", TWO_AND_ONE),
    (None, "I want 2 pairs of AF1 size 42 and one size 43", TWO_AND_ONE),
    (None, "nipe AF1 size 42 mbili, size 43 moja", TWO_AND_ONE),
    ("bei ya AF1", "nataka mbili size 42 moja 43", TWO_AND_ONE),
    (None, "AF1 size 42 na 43, moja moja", ONE_EACH),
    (None, "I want AF1 size 42 and 43, one each", ONE_EACH),
    (None, "nataka AF1 mbili, size 42 na 43", ONE_EACH),
])
def test_each_size_said_is_its_own_line_with_its_own_count(conn, shop, before, text, expected):
    c = customer()
    if before:
        ask(conn, shop, before, customer=c)
    result = ask(conn, shop, text, customer=c)
    assert result.intent == "order" and sized(result) == expected
    total = 3500 * sum(expected.values())
    assert result.order["total"] == total and f"KES {total:,}" in result.reply
    for (_, variant), count in expected.items():
        assert f"{count} × {AF1} ({variant}) @ KES 3,500 = KES {3500 * count:,}" in result.reply


def test_one_sizes_count_changes_and_one_size_comes_out_the_others_stay(conn, shop):
    c = customer()
    ask(conn, shop, "nataka AF1 mbili size 42 moja 43", customer=c)
    more = ask(conn, shop, "size 43 iwe mbili", customer=c)
    assert sized(more) == {(AF1, "size 42"): 2, (AF1, "size 43"): 2} and "KES 14,000" in more.reply
    fewer = ask(conn, shop, "ondoa size 43", customer=c)
    assert fewer.intent == "order_remove" and sized(fewer) == {(AF1, "size 42"): 2}
    assert f"{AF1} (size 43)" in fewer.reply.split("\n")[0] and "KES 7,000" in fewer.reply
    added = ask(conn, shop, "na moja size 44 pia", customer=c)
    assert sized(added) == {(AF1, "size 42"): 2, (AF1, "size 44"): 1}


def test_a_size_change_that_could_be_either_size_is_asked_and_changes_nothing(conn, shop):
    c = customer()
    ask(conn, shop, "nataka AF1 mbili size 42 moja 43", customer=c)
    asked = ask(conn, shop, "change to size 44", customer=c)
    assert sized(asked) == TWO_AND_ONE and f"{AF1} (size 42), {AF1} (size 43)" in asked.reply
    removed = ask(conn, shop, "toa AF1", customer=c)  # the shoe named: every size of it
    assert removed.order["items"] == []


def test_another_size_is_a_third_line_and_toa_hiyo_takes_out_only_that_one(conn, shop):
    c = customer()
    ask(conn, shop, "nataka AF1 mbili size 42 moja 43", customer=c)
    third = ask(conn, shop, "nipe moja size 44", customer=c)
    assert sized(third) == {**TWO_AND_ONE, (AF1, "size 44"): 1} and "KES 14,000" in third.reply
    back = ask(conn, shop, "toa hiyo", customer=c)
    assert sized(back) == TWO_AND_ONE and f"{AF1} (size 44)" in back.reply.split("\n")[0]


def test_another_shoe_instead_comes_in_each_size_of_the_old_one(conn, shop):
    c = customer()
    ask(conn, shop, "nataka AF1 mbili size 42 moja 43", customer=c)
    swapped = ask(conn, shop, "badala ya AF1 nipe superstar", customer=c)
    assert sized(swapped) == {("Adidas Superstar", "size 42"): 2, ("Adidas Superstar", "size 43"): 1}
    assert "KES 9,600" in swapped.reply


def test_sizes_of_a_product_the_catalogue_gives_no_sizes_for_are_kept_for_the_owner(conn, shop):
    """The akala have no sizes in the catalogue: the sizes asked are kept, one line each, priced right."""
    c = customer()
    result = ask(conn, shop, "nipe akala size 40 moja na size 42 moja", customer=c)
    assert sized(result) == {("Maasai Akala Sandals", "size 40"): 1, ("Maasai Akala Sandals", "size 42"): 1}
    assert "KES 1,200" in result.reply
    left = ask(conn, shop, "ondoa size 42", customer=c)
    assert sized(left) == {("Maasai Akala Sandals", "size 40"): 1} and "KES 600" in left.reply


def test_a_size_the_shoe_is_not_made_in_is_refused_and_the_other_size_taken(conn, shop):
    c = customer()
    result = ask(conn, shop, "nataka superstar moja size 40 moja size 47", customer=c)
    assert sized(result) == {("Adidas Superstar", "size 40"): 1} and "39-44" in result.reply


def test_the_yes_prompts_for_every_size_and_the_owner_is_told_each_size_to_pack(conn, shop, monkeypatch):
    for name, value in {"MPESA_CONSUMER_KEY": "k", "MPESA_CONSUMER_SECRET": "s", "MPESA_PASSKEY": "p",
                        "MPESA_CALLBACK_URL": "https://mtaabot.example.test", "MPESA_CALLBACK_TOKEN": "t",
                        "MTAABOT_OWNER_QUIET_HOURS": "off"}.items():
        monkeypatch.setenv(name, value)
    set_payment_settings(conn, shop["id"], till="5123456")
    conn.commit()
    c = customer()
    ask(conn, shop, "nataka AF1 mbili size 42 moja 43", customer=c)
    done = ask(conn, shop, "ndio", customer=c)
    assert done.order["status"] == "awaiting_payment" and "KES 10,500" in done.reply
    queued = conn.execute("SELECT amount_kes FROM order_payments WHERE order_id = %s", (done.order["id"],)).fetchall()
    assert [q["amount_kes"] for q in queued] == [10500]
    alert = conn.execute("SELECT body FROM notifications WHERE order_id = %s AND kind = 'order'",
                         (done.order["id"],)).fetchone()["body"]
    assert f"2× {AF1} (size 42); 1× {AF1} (size 43)" in alert and "KES 10,500" in alert
    to_owner = conn.execute(
        """SELECT m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id
           WHERE c.business_id = %s AND c.customer_phone = %s AND m.intent = 'owner_alert'""",
        (shop["id"], OWNER)).fetchall()
    assert any(f"1× {AF1} (size 43)" in m["content"] for m in to_owner)


def test_paying_takes_every_size_out_of_the_stock(conn, shop):
    """Stock is the product's, all sizes together: 3 pairs in two sizes out of 5 leave 2 (one line was taken)."""
    conn.execute("UPDATE products SET stock = 5 WHERE business_id = %s AND name = 'Official Leather Shoes'",
                 (shop["id"],))
    conn.commit()
    c = customer()
    too_many = ask(conn, shop, "nataka official shoes nne size 42 mbili size 43", customer=c)
    assert sized(too_many) == {("Official Leather Shoes", "size 42"): 4}
    assert "Official Leather Shoes zimebaki 5 tu" in too_many.reply
    ask(conn, shop, "ondoa official shoes", customer=c)
    order = ask(conn, shop, "nataka official shoes mbili size 42 moja 43", customer=c).order
    assert sum(i["quantity"] for i in order["items"]) == 3
    store.set_status(conn, shop["id"], order["id"], "awaiting_payment")
    store.set_status(conn, shop["id"], order["id"], "paid")
    conn.commit()
    assert conn.execute("SELECT stock FROM products WHERE business_id = %s AND name = 'Official Leather Shoes'",
                        (shop["id"],)).fetchone()["stock"] == 2


def test_the_privacy_export_lists_each_size_and_erasing_keeps_the_lines(conn, shop):
    from mtaabot.privacy import erase_customer, export_customer

    c = customer()
    placed = ask(conn, shop, "nataka AF1 mbili size 42 moja 43", customer=c).order
    exported = export_customer(conn, shop["id"], c)
    [order] = [o for o in exported["orders"] if str(o["id"]) == placed["id"]]
    assert {(i["variant"], i["quantity"]) for i in order["items"]} == {("size 42", 2), ("size 43", 1)}
    erase_customer(conn, shop["id"], c)
    conn.commit()
    kept = store.order_view(conn, store.get_order(conn, shop["id"], placed["id"]))
    assert {(i["variant"], i["quantity"]) for i in kept["items"]} == {("size 42", 2), ("size 43", 1)}
    assert kept["total"] == 10500


def test_the_dashboard_orders_view_shows_each_size(db, conn, shop):
    from tests.dashboard.conftest import new_app, open_page, sign_in

    c = customer()
    ask(conn, shop, "nataka superstar mbili size 40 moja 41", customer=c)
    number = ask(conn, shop, "ndio", customer=c).order["number"]
    at = sign_in(new_app(), shop["api_key"])
    open_page(at, "orders")
    assert not at.exception
    shown = "".join(frame.value.to_csv(index=False) for frame in at.dataframe)
    row = next(line for line in shown.splitlines() if line.startswith(f"{number},"))
    assert "2 × Adidas Superstar (size 40), 1 × Adidas Superstar (size 41)" in row and "9,600" in row


def test_the_order_marts_count_each_size_as_a_line_of_one_product(db, conn, shop):
    c = customer()
    ask(conn, shop, "nataka AF1 mbili size 42 moja 43", customer=c)
    order = ask(conn, shop, "ndio", customer=c).order
    conn.commit()
    build = subprocess.run([str(Path(sys.executable).parent / "mtaabot"), "dbt", "build",
                            "--select", "+fct_orders"], capture_output=True, text=True,
                           timeout=600, cwd=ROOT, env=os.environ | {"DATABASE_URL": db["url"]})
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-2000:]
    assert "orders_count_each_size_as_a_line_of_one_product" in build.stdout  # the unit test ran
    assert "unique_combination_stg_order_items" in build.stdout  # one line per (order, product, variant)
    from mtaabot.analytics import read_mart

    facts = read_mart("fct_orders", str(shop["id"]), conn=conn).set_index("order_id")
    mine = facts.loc[order["id"]]
    assert (int(mine.lines), int(mine.products), float(mine.units), float(mine.total_kes)) == (2, 1, 3.0, 10500.0)


def test_an_open_cart_from_before_gets_a_line_per_size_and_placed_orders_stay_as_written(conn, shop):
    """A cart written before one line per size held "3 x AF1 (size 41, size 44, size 45)": "ondoa size 44" took out
    all three pairs. Migration 0931 makes each size its own line of one pair; a confirmed order is left alone."""
    migration = ROOT / "mtaabot" / "db" / "migrations" / "0931_split_open_cart_sizes.sql"
    legacy = "size 41, size 44, size 45"
    c, d = customer(), customer()
    cart = ask(conn, shop, "nataka AF1 moja size 41", customer=c).order
    ask(conn, shop, "nataka AF1 moja size 41", customer=d)
    placed = ask(conn, shop, "ndio", customer=d).order
    for order in (cart, placed):  # the line as it was written before
        conn.execute("UPDATE order_items SET quantity = 3, variant = %s WHERE order_id = %s", (legacy, order["id"]))
        conn.execute("UPDATE orders SET total_kes = 10500 WHERE id = %s", (order["id"],))
    conn.execute(migration.read_text())
    conn.commit()
    kept = store.order_view(conn, store.get_order(conn, shop["id"], placed["id"]))
    assert [(i["variant"], i["quantity"]) for i in kept["items"]] == [(legacy, 3)] and kept["total"] == 10500
    split = store.order_view(conn, store.get_order(conn, shop["id"], cart["id"]))
    assert [(i["variant"], i["quantity"]) for i in split["items"]] == [(f"size {n}", 1) for n in (41, 44, 45)]
    assert split["total"] == 10500
    out = ask(conn, shop, "ondoa size 44", customer=c)
    assert sized(out) == {(AF1, "size 41"): 1, (AF1, "size 45"): 1} and "KES 7,000" in out.reply

