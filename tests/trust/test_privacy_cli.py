"""`mtaabot privacy export|erase`: everything about one customer in one shop, nothing of anyone else."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from mtaabot import notifications
from mtaabot.orders import store
from tests.engine.conftest import ask, make_shop

ASHA = "254722000111"
OTIENO = "254733000222"


@pytest.fixture
def shops(conn: psycopg.Connection) -> dict[str, Any]:
    """Two shops; Asha talks to both and orders in the first; Otieno talks to the first."""
    a = make_shop(conn, name="Mama Njeri Duka")
    b = make_shop(conn, name="Kibanda cha Baraka")
    ask(conn, a, "Unga ni pesa ngapi?", customer=ASHA)
    ask(conn, a, "Niletee Kawangware stage, nitalipa na 0722000111", customer=ASHA)
    ask(conn, a, "Sukari iko?", customer=OTIENO)
    ask(conn, b, "Mafuta ya kupika bei gani?", customer=ASHA)
    conv = conn.execute("SELECT * FROM conversations WHERE business_id = %s AND customer_phone = %s",
                        (a["id"], ASHA)).fetchone()
    order = store.create_cart(conn, a["id"], conv["id"])
    flour = conn.execute("SELECT * FROM products WHERE business_id = %s AND name ILIKE 'unga%%' LIMIT 1",
                         (a["id"],)).fetchone() or conn.execute(
        "SELECT * FROM products WHERE business_id = %s AND is_available LIMIT 1", (a["id"],)).fetchone()
    order = store.set_item(conn, order, flour, Decimal(2))
    store.set_fields(conn, order, delivery_location="Kawangware stage", payment_phone=ASHA)
    notifications.notify(conn, a["id"], "order", f"New order #{order['number']} from {ASHA}",
                         conversation_id=conv["id"], order_id=order["id"])
    conn.commit()
    return {"a": a, "b": b, "order": order, "flour": flour}


def _messages(conn, business_id, phone) -> list[dict[str, Any]]:
    return conn.execute(
        """SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
           WHERE m.business_id = %s AND c.customer_phone = %s ORDER BY m.created_at""",
        (business_id, phone)).fetchall()


def test_export_has_every_message_and_order_of_that_customer_and_nothing_else(
        conn: psycopg.Connection, shops: dict[str, Any], run_cli) -> None:
    a = shops["a"]
    done = run_cli("privacy", "export", "--business", a["name"], "--customer", "0722 000 111")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    held = _messages(conn, a["id"], ASHA)
    assert len(held) == 4  # two questions, two answers
    assert sorted(m["id"] for m in data["messages"]) == sorted(str(m["id"]) for m in held)
    assert {m["content"] for m in data["messages"]} == {m["content"] for m in held}
    assert data["customer"]["phone"] == ASHA and data["business"]["name"] == "Mama Njeri Duka"
    [order] = data["orders"]
    assert order["number"] == shops["order"]["number"] and order["delivery_location"] == "Kawangware stage"
    assert [i["name"] for i in order["items"]] == [shops["flour"]["name"]] and order["items"][0]["quantity"] == 2
    assert any(n["kind"] == "order" for n in data["notifications"])
    text = done.stdout
    assert "Sukari iko?" not in text and OTIENO not in text  # another customer of the same shop
    assert "Mafuta ya kupika" not in text  # the same customer's chat with another shop
    [entry] = conn.execute("SELECT actor, action, detail::text AS d FROM audit_log").fetchall()
    assert entry["action"] == "privacy_export" and ASHA not in entry["d"] and "Unga" not in entry["d"]


def test_erase_anonymises_one_customer_in_one_shop_and_keeps_counts(
        conn: psycopg.Connection, shops: dict[str, Any], run_cli) -> None:
    a, b = shops["a"], shops["b"]
    before = conn.execute("SELECT count(*) AS n, sum(tokens_used) AS t FROM messages WHERE business_id = %s",
                          (a["id"],)).fetchone()
    refused = run_cli("privacy", "erase", "--business", a["name"], "--customer", ASHA, input="n\n")
    assert refused.returncode == 1 and len(_messages(conn, a["id"], ASHA)) == 4  # said no: nothing erased

    done = run_cli("privacy", "erase", "--business", a["name"], "--customer", ASHA, input="y\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["erased"]["messages"] == 4
    conn.commit()
    assert _messages(conn, a["id"], ASHA) == []  # nothing is kept under the number
    [conv] = conn.execute("SELECT * FROM conversations WHERE business_id = %s AND erased_at IS NOT NULL",
                          (a["id"],)).fetchall()
    assert conv["customer_phone"].startswith("erased:") and conv["customer_wa_id"] is None
    assert conv["customer_name"] is None and conv["customer_bsuid"] is None
    rows = conn.execute("SELECT content, payload FROM messages WHERE conversation_id = %s", (conv["id"],)).fetchall()
    assert len(rows) == 4 and all(r["content"] == "[erased]" and r["payload"] is None for r in rows)
    order = conn.execute("SELECT * FROM orders WHERE id = %s", (shops["order"]["id"],)).fetchone()
    assert order["delivery_location"] is None and order["payment_phone"] is None
    assert order["total_kes"] == shops["order"]["total_kes"] > 0  # revenue counts stay
    bodies = [n["body"] for n in conn.execute("SELECT body FROM notifications WHERE business_id = %s",
                                              (a["id"],)).fetchall()]
    assert not any(ASHA in body for body in bodies)
    # counts for analytics are unchanged
    after = conn.execute("SELECT count(*) AS n, sum(tokens_used) AS t FROM messages WHERE business_id = %s",
                         (a["id"],)).fetchone()
    assert after == before
    # other customers and the other shop untouched
    assert [m["content"] for m in _messages(conn, a["id"], OTIENO) if m["role"] == "user"] == ["Sukari iko?"]
    assert [m["content"] for m in _messages(conn, b["id"], ASHA) if m["role"] == "user"] == \
        ["Mafuta ya kupika bei gani?"]
    actions = [r["action"] for r in conn.execute("SELECT action FROM audit_log ORDER BY id").fetchall()]
    assert actions == ["privacy_erase"]

    # asking again: said so, exit 1
    again = run_cli("privacy", "erase", "--business", a["name"], "--customer", ASHA, "--yes")
    assert again.returncode == 1 and again.stderr.startswith("error: ") and "holds no data" in again.stderr
    export = run_cli("privacy", "export", "--business", a["name"], "--customer", ASHA)
    assert export.returncode == 1 and "holds no data" in export.stderr


def test_unknown_customer_or_shop_is_a_clear_error(conn: psycopg.Connection, run_cli) -> None:
    make_shop(conn, name="Duka Tupu")
    nobody = run_cli("privacy", "erase", "--business", "Duka Tupu", "--customer", "0799000000", "--yes")
    assert nobody.returncode == 1 and "holds no data about customer '0799000000'" in nobody.stderr
    no_shop = run_cli("privacy", "export", "--business", "Hakuna", "--customer", "0799000000")
    assert no_shop.returncode == 1 and no_shop.stderr.startswith("error: ")
