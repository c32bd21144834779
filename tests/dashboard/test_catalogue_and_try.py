"""Catalogue editing on the Products page and "Test your bot" on the Overview, against the real database
and the real engine: validated edits, adds and deletes; changed text queued for re-embedding; a price edit
changes the engine's answer; the test box stores nothing."""

from __future__ import annotations

from decimal import Decimal

from tests.dashboard.conftest import new_app, open_page, set_language, sign_in, texts


def _edit(at, *, edited=None, added=None, deleted=None):
    version = at.session_state["products_editor_version"] if "products_editor_version" in at.session_state else 0
    key = f"products_editor_{version}"
    at.session_state[key] = {"edited_rows": edited or {}, "added_rows": added or [], "deleted_rows": deleted or []}
    at.run()
    at.button(key="save_products").click()
    return at.run()


def _row(at, name: str) -> int:
    table = at.data_editor[0].value
    return int(table.index[table["name"] == name][0])


def _product(conn, business_id: str, name: str):
    conn.rollback()
    return conn.execute("SELECT * FROM products WHERE business_id = %s AND name = %s", (business_id, name)).fetchone()


def test_add_edit_and_delete_in_one_save(shops, conn) -> None:
    a, b = shops
    at = sign_in(new_app(), a.api_key)
    open_page(at, "products")
    at = _edit(at, edited={_row(at, "Sukari 1kg"): {"stock": 40, "description": "White sugar, 1 kg packet"}},
               added=[{"name": "Chumvi 500g", "price": 45, "is_available": True, "stock": 12}],
               deleted=[_row(at, "Mafuta ya Kupika 1L")])
    assert not at.exception
    assert any("Updated:" in s.value and "Chumvi 500g" in s.value and "Mafuta ya Kupika 1L" in s.value
               for s in at.success)
    sugar = _product(conn, a.id, "Sukari 1kg")
    assert sugar["stock"] == 40 and sugar["description"] == "White sugar, 1 kg packet"
    salt = _product(conn, a.id, "Chumvi 500g")
    assert salt["price"] == Decimal("45.00") and salt["stock"] == 12
    assert _product(conn, a.id, "Mafuta ya Kupika 1L") is None
    assert _product(conn, b.id, "Chumvi 500g") is None
    assert set(at.data_editor[0].value["name"]) == {"Unga wa Ugali 2kg", "Sukari 1kg", "Chumvi 500g"}


def test_every_problem_is_explained_in_kiswahili_and_nothing_is_saved(shops, conn) -> None:
    a, _ = shops
    at = sign_in(new_app(), a.api_key, lang="sw")
    open_page(at, "products")
    at = _edit(at, edited={_row(at, "Sukari 1kg"): {"price": 0}, _row(at, "Unga wa Ugali 2kg"): {"stock": -3}},
               added=[{"name": "sukari 1KG", "price": 190}, {"name": "", "price": 20}])
    assert not at.exception
    assert any("Hakuna kilichohifadhiwa" in e.value for e in at.error)
    problems = " | ".join(at.dataframe[-1].value["Tatizo"])
    assert "bei lazima iwe zaidi ya 0" in problems
    assert "idadi lazima iwe namba kamili" in problems
    assert "tayari lipo dukani" in problems  # the same name in another case
    assert "andika jina la bidhaa" in problems
    assert _product(conn, a.id, "Sukari 1kg")["price"] == Decimal("185.00")
    assert _product(conn, a.id, "sukari 1KG") is None
    set_language(at, "en")
    assert "Nothing was saved" not in texts(at)  # errors belong to the save that failed, not to the page


def test_a_product_on_an_order_is_not_deleted(shops, conn) -> None:
    from mtaabot.orders import store

    a, _ = shops
    sugar = _product(conn, a.id, "Sukari 1kg")
    cart = store.create_cart(conn, a.id, a.escalated_conversation_id)
    store.set_item(conn, cart, sugar, Decimal(1))
    conn.commit()
    at = sign_in(new_app(), a.api_key)
    open_page(at, "products")
    at = _edit(at, deleted=[_row(at, "Sukari 1kg")])
    assert "\"Sukari 1kg\" is on orders; untick Available instead" in " ".join(at.dataframe[-1].value["Problem"])
    assert _product(conn, a.id, "Sukari 1kg") is not None


def _counts(conn, business_id: str) -> dict[str, int]:
    conn.rollback()
    return {t: conn.execute(f"SELECT count(*) AS n FROM {t} WHERE business_id = %s",  # noqa: S608 - fixed names
                            (business_id,)).fetchone()["n"]
            for t in ("conversations", "messages", "orders", "notifications", "outbox")}


def _ask(at, text: str):
    at.text_input(key="try_text").input(text)
    at.button(key="try_send").click()
    return at.run(timeout=180)


def test_test_your_bot_answers_stores_nothing_and_follows_a_price_edit(shops, conn) -> None:
    a, _ = shops
    before = _counts(conn, a.id)
    at = sign_in(new_app(), a.api_key)
    at = _ask(at, "bei ya sukari ni ngapi?")
    assert not at.exception
    shown = texts(at)
    assert "KES 185" in shown or "185" in shown
    assert "Sukari 1kg" in at.dataframe[-1].value.to_csv()
    language = [m.value for m in at.metric if m.label == "Language"][0]
    assert language in ("Swahili", "Sheng")
    assert _counts(conn, a.id) == before  # no conversation, message, order, notice or outbox row kept

    open_page(at, "products")  # asking embedded the catalogue: every product's search is up to date
    assert set(at.data_editor[0].value["search"]) == {"up to date"}
    at = _edit(at, edited={_row(at, "Sukari 1kg"): {"price": 199}, _row(at, "Unga wa Ugali 2kg"):
                           {"description": "Maize flour for ugali, sifted"}})
    assert any("the bot's search is being updated" in s.value for s in at.success)
    table = at.data_editor[0].value
    assert dict(zip(table["name"], table["search"], strict=True)) == {
        "Unga wa Ugali 2kg": "update queued", "Sukari 1kg": "up to date", "Mafuta ya Kupika 1L": "up to date"}

    open_page(at, "overview")
    at = _ask(at, "bei ya sukari ni ngapi?")
    shown = texts(at)
    assert "199" in shown and "185" not in shown
    assert _counts(conn, a.id) == before


def test_quick_price_change_is_validated_like_the_table(shops, conn) -> None:
    a, _ = shops
    at = sign_in(new_app(), a.api_key, lang="sw")
    open_page(at, "products")
    sugar = _product(conn, a.id, "Sukari 1kg")
    at.selectbox(key="quick_product").set_value(str(sugar["id"]))
    at.number_input(key="quick_price_value").set_value(0.0)
    at.button(key="quick_save").click().run()
    assert any("bei lazima iwe zaidi ya 0" in e.value for e in at.error)
    assert _product(conn, a.id, "Sukari 1kg")["price"] == Decimal("185.00")
    at.selectbox(key="quick_product").set_value(str(sugar["id"]))
    at.number_input(key="quick_price_value").set_value(190.0)
    at.checkbox(key="quick_available").uncheck()
    at.button(key="quick_save").click().run()
    assert not at.exception
    assert any("Imesasishwa: Sukari 1kg" in s.value for s in at.success)
    saved = _product(conn, a.id, "Sukari 1kg")
    assert saved["price"] == Decimal("190.00") and saved["is_available"] is False
