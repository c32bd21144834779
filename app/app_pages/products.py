"""Products page: the catalogue as an editable table (price, availability, stock, description; add and
delete rows), validated and saved together, with each product's search state; CSV upload with row errors."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import ui
from ui import t

from mtaabot.dashboard import catalogue, i18n, records

business_id, shop = ui.business()
ui.page_header("products", shop)

flash = st.session_state.pop("products_flash", None)
if flash:
    st.success(flash)

with ui.db() as conn:
    rows = catalogue.product_table(conn, business_id)

cols = st.columns(2)
cols[0].metric(t("products.count"), i18n.number(len(rows)))
cols[1].metric(t("products.available"), i18n.number(sum(r["is_available"] for r in rows)))
if not rows:
    st.info(t("products.none"))

version = st.session_state.get("products_editor_version", 0)
editor_key = f"products_editor_{version}"
table = pd.DataFrame(rows, columns=["id", "name", "price", "is_available", "stock", "description", "search"])
table["stock"] = table["stock"].astype("Int64")
table["search"] = [t(f"products.search_{s}") for s in table["search"]]
st.caption(t("products.edit_hint"))
st.data_editor(
    table[["name", "price", "is_available", "stock", "description", "search"]],
    key=editor_key, hide_index=True, width="stretch", num_rows="dynamic", disabled=["search"],
    column_config={
        "name": st.column_config.TextColumn(t("products.name"), max_chars=255),
        "price": st.column_config.NumberColumn(t("products.price"), min_value=0, step=1, format="%,.0f"),
        "is_available": st.column_config.CheckboxColumn(t("products.available_col"), default=True),
        "stock": st.column_config.NumberColumn(t("products.stock"), min_value=0, step=1, format="%d"),
        "description": st.column_config.TextColumn(t("products.description")),
        "search": st.column_config.TextColumn(t("products.search")),
    })
state = st.session_state.get(editor_key) or {}
# Always enabled: the table's last edit reaches the server together with this click.
if st.button(t("products.save"), key="save_products", type="primary"):
    with ui.db() as conn:
        outcome = catalogue.save_changes(conn, business_id, rows, edited=state.get("edited_rows"),
                                         added=state.get("added_rows"), deleted=state.get("deleted_rows"))
    if not outcome.ok:
        st.error(t("products.not_saved"))
        ui.table("product_problems", [{t("products.row"): p.row or "—", t("products.problem"): t(p.key, **p.fields)}
                                      for p in outcome.problems], title_column=t("products.row"))
    else:
        names = outcome.saved + outcome.deleted
        message = t("products.saved", names=", ".join(names)) if names else t("products.nothing_changed")
        if outcome.reembed:
            message += " " + t("products.reembed_queued", n=outcome.reembed)
        st.session_state["products_flash"] = message
        st.session_state["products_editor_version"] = version + 1
        st.rerun()

if rows:
    st.subheader(t("products.quick"))
    st.caption(t("products.quick_hint"))
    positions = {r["id"]: pos for pos, r in enumerate(rows)}
    names = {r["id"]: r["name"] for r in rows}
    with st.form("quick_price"):
        picked = st.selectbox(t("products.name"), list(names), key="quick_product", format_func=names.__getitem__)
        price = st.number_input(t("products.price"), min_value=0.0, step=1.0, key="quick_price_value",
                                value=float(rows[positions[picked]]["price"]) if picked else 0.0)
        available = st.checkbox(t("products.available_col"), value=True, key="quick_available")
        if st.form_submit_button(t("products.quick_save"), key="quick_save", type="primary"):
            with ui.db() as conn:
                outcome = catalogue.save_changes(conn, business_id, rows, edited={
                    positions[picked]: {"price": price, "is_available": available}})
            if outcome.ok:
                st.session_state["products_flash"] = t("products.saved", names=", ".join(outcome.saved))
                st.session_state["products_editor_version"] = version + 1
                st.rerun()
            st.error(t("products.not_saved") + " " + "; ".join(t(p.key, **p.fields) for p in outcome.problems))

st.subheader(t("products.upload"))
st.caption(t("products.upload_hint"))
upload = st.file_uploader(t("products.csv_file"), type=["csv"], key="products_csv")
if upload is not None and st.button(t("products.import"), key="import_csv"):
    with ui.db() as conn:
        report = records.import_products(conn, business_id, upload.getvalue())
    st.success(t("products.imported", inserted=report.inserted, updated=report.updated, unchanged=report.unchanged))
    if report.errors:
        st.error(t("products.row_errors", n=len(report.errors)))
        ui.table("csv_errors", [{t("products.line"): e.get("line"), t("products.name"): e.get("name") or "",
                                 t("products.error"): i18n.csv_error(ui.lang(), e["error"])} for e in report.errors],
                 title_column=t("products.line"))
