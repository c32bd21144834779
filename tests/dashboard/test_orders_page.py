"""Orders page against the real database: the owner's own orders, counts, and "mark fulfilled"."""

from __future__ import annotations

from decimal import Decimal

from mtaabot.orders import store
from tests.dashboard.conftest import metric, new_app, open_page, sign_in, texts


def _order(conn, shop_id: str, conversation_id: str, product_name: str, qty: int, status: str) -> dict:
    product = conn.execute("SELECT * FROM products WHERE business_id = %s AND name = %s",
                           (shop_id, product_name)).fetchone()
    cart = store.create_cart(conn, shop_id, conversation_id)
    store.set_item(conn, cart, product, Decimal(qty))
    store.set_status(conn, shop_id, cart["id"], "awaiting_payment")
    if status in ("paid", "fulfilled"):
        store.set_status(conn, shop_id, cart["id"], "paid")
    conn.commit()
    return store.get_order(conn, shop_id, cart["id"])


def test_owner_sees_own_orders_and_marks_one_fulfilled(shops, conn) -> None:
    a, b = shops
    paid = _order(conn, a.id, a.escalated_conversation_id, "Sukari 1kg", 2, "paid")
    b_conv = conn.execute("SELECT id FROM conversations WHERE business_id = %s LIMIT 1", (b.id,)).fetchone()["id"]
    _order(conn, b.id, b_conv, "Sneakers Air", 1, "paid")
    at = sign_in(new_app(), a.api_key)
    open_page(at, "orders")
    assert not at.exception
    assert metric(at, "To fulfil") == "1" and metric(at, "Orders today") == "1"
    shown = texts(at) + at.dataframe[0].value.to_csv()
    assert "Sukari 1kg" in shown and "KES 370" in shown and "Sneakers Air" not in shown
    at.selectbox(key="fulfil_order").select(paid["number"])
    at.button(key="mark_fulfilled").click().run()
    assert not at.exception
    assert any("fulfilled" in s.value for s in at.success)
    assert store.get_order(conn, a.id, paid["id"])["status"] == "fulfilled"
    assert metric(at, "To fulfil") == "0"
