"""The orders command-line contract through the real console script: set-payment, orders list, set-status."""

from __future__ import annotations

import json

from mtaabot.devtools import demo


def test_set_payment_orders_list_and_set_status(run_cli, tmp_path):
    assert run_cli("business", "create", "--name", "CLI Duka", "--tone", "kazi",
                   "--whatsapp-number", "0711000808").returncode == 0
    bad = run_cli("business", "set-payment", "--business", "CLI Duka", "--paybill", "400200")
    assert bad.returncode == 1 and "--account" in bad.stderr and "Traceback" not in bad.stderr
    both = run_cli("business", "set-payment", "--business", "CLI Duka", "--till", "5123456", "--paybill", "400200")
    assert both.returncode == 1 and "exactly one" in both.stderr
    ok = run_cli("business", "set-payment", "--business", "CLI Duka", "--till", "5123456")
    assert ok.returncode == 0 and json.loads(ok.stdout)["customers_see"] == "Till 5123456"

    csv_path = tmp_path / "duka.csv"
    csv_path.write_text(demo.demo_catalogue()["Mama Njeri Duka"])
    assert run_cli("products", "import", "--business", "CLI Duka", str(csv_path)).returncode == 0
    chat = run_cli("ask", "--business", "CLI Duka", "--customer", "0712300500", "-",
                   input="Nitumie sukari mbili\nndio\n")
    assert chat.returncode == 0, chat.stderr
    assert run_cli("orders", "list", "--business", "CLI Duka", "--json", "--status", "paid").stdout.strip() == "[]"
    listed = json.loads(run_cli("orders", "list", "--business", "CLI Duka", "--json").stdout)
    assert len(listed) == 1 and listed[0]["status"] == "awaiting_payment" and listed[0]["total"] == 360
    assert listed[0]["items"] == [{"product_id": listed[0]["items"][0]["product_id"], "name": "Kabras Sugar 1kg",
                                   "quantity": 2, "unit_price": 180.0, "variant": None}]
    order_id = listed[0]["id"]
    wrong = run_cli("orders", "set-status", order_id, "fulfilled")
    assert wrong.returncode == 1 and "awaiting_payment" in wrong.stderr and "Traceback" not in wrong.stderr
    paid = run_cli("orders", "set-status", order_id, "paid")
    assert paid.returncode == 0 and json.loads(paid.stdout)["status"] == "paid"
    assert json.loads(run_cli("orders", "set-status", order_id, "fulfilled").stdout)["status"] == "fulfilled"
    unknown = run_cli("orders", "set-status", "00000000-0000-0000-0000-000000000000", "paid")
    assert unknown.returncode == 1 and "no order" in unknown.stderr
    table = run_cli("orders", "list", "--business", "CLI Duka")
    assert "#1" in table.stdout and "fulfilled" in table.stdout and "KES 360" in table.stdout
