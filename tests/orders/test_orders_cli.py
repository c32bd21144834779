"""Orders CLI cases test_cli_contract.py leaves out: filters, empty lists, an unknown shop or status, a till
owned by a store number, and a cancelled order that cannot be revived."""

from __future__ import annotations

import json

from tests.orders.order_history import make_history


def test_orders_cli_filters_and_refusals(conn, run_cli) -> None:
    history = make_history(conn)
    unpaid = json.loads(run_cli("orders", "list", "--business", "Duka A", "--status", "awaiting_payment",
                                "--json").stdout)
    assert [o["id"] for o in unpaid] == [str(history["late"]["id"])]
    assert unpaid[0]["items"][0] | {"product_id": None} == {"product_id": None, "name": "Sugar 1kg", "quantity": 1,
                                                            "unit_price": 180.0, "variant": None}
    table = run_cli("orders", "list", "--business", "Duka A", "--status", "paid").stdout
    assert "KES 740" in table and "2 × Sugar 1kg" in table and "1 × Cooking oil 1L" in table and "cancelled" not in table
    assert run_cli("orders", "list", "--business", "Duka B", "--status", "fulfilled").stdout.strip() == "no orders"

    nobody = run_cli("orders", "list", "--business", "No Such Duka")
    assert nobody.returncode == 1 and nobody.stderr.startswith("error:") and "Traceback" not in nobody.stderr
    odd = run_cli("orders", "set-status", str(history["late"]["id"]), "shipped")
    assert odd.returncode != 0 and "shipped" in odd.stderr and "fulfilled" in odd.stderr
    revive = run_cli("orders", "set-status", str(history["cancelled"]["id"]), "paid")
    assert revive.returncode == 1 and revive.stderr.startswith("error:") and "cancelled" in revive.stderr
    assert json.loads(run_cli("orders", "list", "--business", "Duka A", "--status", "cancelled", "--json").stdout)[0][
        "status"] == "cancelled"

    till = run_cli("business", "set-payment", "--business", "Duka B", "--till", "5123456", "--store", "7654321")
    assert till.returncode == 0, till.stderr
    shown = json.loads(till.stdout)
    assert (shown["method"], shown["shortcode"], shown["store_number"]) == ("till", "5123456", "7654321")
    bad = run_cli("business", "set-payment", "--business", "Duka B", "--till", "12ab")
    assert bad.returncode == 1 and bad.stderr.startswith("error:")
