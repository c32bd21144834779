"""Conversations and Products pages against the real database: isolation, edits, CSV, hand-back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mtaabot.businesses import create_business
from tests.dashboard.conftest import metric, new_app, open_page, sign_in, texts


def _product(conn, business_id: str, name: str) -> dict:
    return conn.execute("SELECT * FROM products WHERE business_id = %s AND name = %s",
                        (business_id, name)).fetchone()


def test_owner_a_never_sees_owner_b_chats_or_products(shops) -> None:
    a, b = shops
    at = sign_in(new_app(), a.api_key)
    open_page(at, "conversations")
    assert not at.exception
    assert metric(at, "Waiting") == "1"
    shown = texts(at) + " ".join(str(o) for o in at.selectbox[0].options)
    assert "Nataka kuongea na mtu" in shown
    assert "2547220202" not in shown  # B's customers' numbers
    open_page(at, "products")
    assert metric(at, "Products") == "3"
    names = set(at.data_editor[0].value["name"])  # the editor's columns keep their data names
    assert names == {"Unga wa Ugali 2kg", "Sukari 1kg", "Mafuta ya Kupika 1L"}
    assert "Sneakers Air" not in texts(at)


def test_product_price_and_availability_edit_persists(shops, conn) -> None:
    a, _ = shops
    at = sign_in(new_app(), a.api_key)
    open_page(at, "products")
    table = at.data_editor[0].value
    row = int(table.index[table["name"] == "Mafuta ya Kupika 1L"][0])
    at.session_state["products_editor_0"] = {
        "edited_rows": {row: {"price": 375, "is_available": True}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="save_products").click().run()
    assert not at.exception
    assert any("Updated: Mafuta ya Kupika 1L" in s.value for s in at.success)
    saved = _product(conn, a.id, "Mafuta ya Kupika 1L")
    assert saved["price"] == Decimal("375.00") and saved["is_available"] is True
    assert metric(at, "Available") == "3"  # the page shows the new state after saving


def test_invalid_price_is_refused_and_nothing_changes(shops, conn) -> None:
    a, _ = shops
    at = sign_in(new_app(), a.api_key)
    open_page(at, "products")
    table = at.data_editor[0].value
    row = int(table.index[table["name"] == "Sukari 1kg"][0])
    at.session_state["products_editor_0"] = {
        "edited_rows": {row: {"price": -5}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="save_products").click().run()
    assert not at.exception
    assert any("Nothing was saved" in e.value for e in at.error)
    assert "the price must be more than 0" in at.dataframe[-1].value.to_csv()
    assert _product(conn, a.id, "Sukari 1kg")["price"] == Decimal("185.00")


def test_csv_upload_saves_good_rows_and_shows_row_errors(shops, conn) -> None:
    a, b = shops
    csv_text = ("name,description,price,currency,is_available,metadata\n"
                "Chumvi 500g,Table salt,45,KES,true,\n"
                "Maziwa 500ml,Fresh milk,abc,KES,true,\n")
    at = sign_in(new_app(), a.api_key)
    open_page(at, "products")
    at.file_uploader(key="products_csv").set_value(("catalogue.csv", csv_text.encode(), "text/csv")).run()
    at.button(key="import_csv").click().run()
    assert not at.exception
    assert any("Added 1" in s.value for s in at.success)
    errors = at.dataframe[-1].value
    assert list(errors["Line"]) == [3] and "not a number" in errors["Error"][0]
    assert _product(conn, a.id, "Chumvi 500g")["price"] == Decimal("45.00")
    assert _product(conn, a.id, "Maziwa 500ml") is None
    assert _product(conn, b.id, "Chumvi 500g") is None  # imported into the signed-in shop only


def test_hand_back_returns_the_chat_to_the_bot(shops, conn) -> None:
    a, _ = shops
    at = sign_in(new_app(), a.api_key)
    open_page(at, "conversations")
    at.button(key="hand_back").click().run()
    assert not at.exception
    status = conn.execute("SELECT status, handed_back_at FROM conversations WHERE id = %s",
                          (a.escalated_conversation_id,)).fetchone()
    assert status["status"] == "ai_active" and status["handed_back_at"] is not None
    assert metric(at, "Waiting") == "0"
    assert "No chats are waiting" in texts(at)


def test_new_shop_is_told_how_to_connect_whatsapp(shops, conn) -> None:
    shop = create_business(conn, name="Salon ya Neema", tone="rafiki", whatsapp_number="254711000299")
    conn.commit()
    at = sign_in(new_app(), shop["api_key"])
    assert not at.exception
    page = texts(at)
    assert "mtaabot business connect-whatsapp --business \"Salon ya Neema\"" in page
    open_page(at, "products")
    assert "No products yet" in texts(at)
    open_page(at, "conversations")
    assert "No chats are waiting" in texts(at)


def test_owner_cannot_switch_to_another_business_by_tampering_with_state(shops, conn) -> None:
    from mtaabot.dashboard import auth

    a, b = shops
    at = sign_in(new_app(), a.api_key)
    at.session_state["operator_business"] = b.id  # what the operator's switcher would set
    open_page(at, "products")
    assert not at.exception
    assert metric(at, "Products") == "3" and a.name in texts(at) and b.name not in texts(at)
    owner = auth.sign_in_owner(conn, a.api_key)
    with pytest.raises(auth.NotAllowed):
        auth.business_scope(conn, owner, b.id)
