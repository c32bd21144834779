"""`mtaabot ask` through the real console script (single message and stdin mode)."""

from __future__ import annotations

import json

import pytest

from tests.engine.conftest import make_shop

pytestmark = pytest.mark.slow  # each call starts Python + torch in a subprocess


def test_ask_prints_the_contract_json_and_stores_the_message(run_cli, conn):
    make_shop(conn, name="Duka la Mama")
    out = run_cli("ask", "--business", "Duka la Mama", "--customer", "0712000111", "Niaje, sukari ni ngapi?")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"reply", "language", "confidence", "escalated", "products", "tokens_used"} <= set(data)
    assert data["language"] == "SHENG" and data["escalated"] is False and 0 < data["confidence"] <= 1
    assert data["products"][0]["name"] == "Kabras Sugar 1kg" and data["products"][0]["price"] == 180.0
    assert "KES 180" in data["reply"] and data["tokens_used"] > 0
    conv = conn.execute("SELECT * FROM conversations WHERE customer_phone = '254712000111'").fetchone()
    rows = conn.execute("SELECT role, wamid FROM messages WHERE conversation_id = %s ORDER BY role DESC",
                        (conv["id"],)).fetchall()
    assert [r["role"] for r in rows] == ["user", "bot"] and rows[0]["wamid"].startswith("local.")


def test_ask_stdin_mode_one_json_per_line_each_line_a_new_customer(run_cli, conn):
    shop = make_shop(conn, name="Duka la Baba")
    lines = "Habari\nNataka kuongea na mtu\n\nSukari ni ngapi?\n"
    out = run_cli("ask", "--business", str(shop["id"]), "-", input=lines)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 3
    assert rows[0]["reply"] and not rows[0]["escalated"]
    assert rows[1]["escalated"] is True
    assert rows[2]["reply"] and "KES 180" in rows[2]["reply"]  # a new customer: not silenced by line 2
    n = conn.execute("SELECT count(*) AS n FROM conversations WHERE business_id = %s", (shop["id"],)).fetchone()["n"]
    assert n == 3


def test_ask_unknown_business_is_a_clear_error(run_cli):
    out = run_cli("ask", "--business", "No Such Shop", "Habari")
    assert out.returncode == 1 and "no business named" in out.stderr and not out.stdout


def test_ask_answers_a_chat_as_whatsapp_does_stop_erasure_and_writing_again(run_cli, conn):
    """`ask` is the WhatsApp path without the sending: STOP opts the customer out with the confirmation (not a
    "we don't sell that"), nothing is queued for WhatsApp, writing again about a product ends the opt-out, and
    "futa data yangu" asks the erasure question."""
    shop = make_shop(conn, name="Duka la Dada")
    lines = "Sukari ni ngapi?\nSTOP\nSukari iko?\nfuta data yangu\n"
    out = run_cli("ask", "--business", "Duka la Dada", "--customer", "0712000222", "-", input=lines)
    assert out.returncode == 0, out.stderr
    price, stop, again, erase = [json.loads(line) for line in out.stdout.splitlines()]
    assert "KES 180" in price["reply"]
    assert stop["intent"] == "opt_out" and "START" in stop["reply"] and "KES" not in stop["reply"]
    assert again["intent"] != "opt_out" and "KES 180" in again["reply"]
    assert erase["intent"].startswith("erasure") and "NDIO" in erase["reply"].upper()
    conv = conn.execute("SELECT * FROM conversations WHERE business_id = %s", (shop["id"],)).fetchone()
    assert conv["opted_out"] is False and conv["erasure_requested_at"] is not None
    queued = conn.execute("SELECT count(*) AS n FROM outbox WHERE business_id = %s", (shop["id"],)).fetchone()["n"]
    assert queued == 0  # printed, never sent


def test_no_longer_wanting_an_open_order_cancels_it_and_stop_still_opts_out(run_cli, conn):
    """"sitaki tena" with a cart open opted the customer out of every message and left the order a draft; with an
    order open it cancels the order, and only an explicit STOP opts out."""
    shop = make_shop(conn, name="Duka la Kaka")
    lines = "nipe sukari mbili\nsitaki tena\nSTOP\n"
    out = run_cli("ask", "--business", "Duka la Kaka", "--customer", "0712000333", "-", input=lines)
    assert out.returncode == 0, out.stderr
    cart, cancelled, stop = [json.loads(line) for line in out.stdout.splitlines()]
    assert cart["intent"] == "order" and cancelled["intent"] == "order_cancel"
    assert "START" not in cancelled["reply"] and stop["intent"] == "opt_out"
    status = conn.execute("SELECT status FROM orders WHERE business_id = %s", (shop["id"],)).fetchone()["status"]
    assert status == "cancelled"


def test_not_wanting_one_item_of_an_open_order_takes_it_out_and_keeps_the_customer_subscribed(run_cli, conn):
    """"sitaki maziwa tena" with an order open opted the customer out of every message (the learned opt-out)."""
    shop = make_shop(conn, name="Duka la Shangazi")
    lines = "nipe sukari moja na maziwa mbili\nsitaki maziwa tena\n"
    out = run_cli("ask", "--business", "Duka la Shangazi", "--customer", "0712000444", "-", input=lines)
    assert out.returncode == 0, out.stderr
    _, removed = [json.loads(line) for line in out.stdout.splitlines()]
    assert removed["intent"] == "order_remove" and "START" not in removed["reply"]
    conv = conn.execute("SELECT opted_out FROM conversations WHERE business_id = %s", (shop["id"],)).fetchone()
    assert conv["opted_out"] is False
