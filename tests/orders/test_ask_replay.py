"""`mtaabot ask -` replays a whole order conversation for one customer (the contract's `order` and
`quantity` fields), through the real console script."""

from __future__ import annotations

import json

from mtaabot.devtools import demo


def test_an_order_conversation_replayed_from_stdin(run_cli, tmp_path):
    assert run_cli("business", "create", "--name", "Replay Duka", "--tone", "mtaa",
                   "--whatsapp-number", "0711000909").returncode == 0
    csv_path = tmp_path / "duka.csv"  # the demo catalogue, imported like an owner would
    csv_path.write_text(demo.demo_catalogue()["Mama Njeri Duka"])
    assert run_cli("products", "import", "--business", "Replay Duka", str(csv_path)).returncode == 0
    lines = "Niaje, nitumie sukari mbili na unga moja\nna mafuta lita moja pia\nndio\n"
    result = run_cli("ask", "--business", "Replay Duka", "--customer", "0712300400", "-", input=lines)
    assert result.returncode == 0, result.stderr
    cart, more, confirmed = [json.loads(line) for line in result.stdout.splitlines()]
    assert cart["intent"] == "order" and cart["quantity"] == 2 and cart["owner_command"] is None
    assert {i["name"]: i["quantity"] for i in cart["order"]["items"]} == {"Kabras Sugar 1kg": 2,
                                                                          "Jogoo Maize Flour 2kg": 1}
    assert set(cart["order"]["items"][0]) >= {"product_id", "name", "quantity", "unit_price"}
    assert more["order"]["id"] == cart["order"]["id"] and len(more["order"]["items"]) == 3
    total = sum(i["quantity"] * i["unit_price"] for i in more["order"]["items"])
    assert confirmed["order"]["status"] == "awaiting_payment" and confirmed["order"]["total"] == total
    question = run_cli("ask", "--business", "Replay Duka", "Sukari ni ngapi?")
    answer = json.loads(question.stdout)
    assert answer["order"] is None and answer["quantity"] is None and answer["intent"] == "product"
