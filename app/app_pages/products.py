"""Products page: the catalogue table, availability and price edits, CSV upload with row errors."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import ui

from mtaabot.dashboard import live
from mtaabot.dashboard.formatting import kes, label, number

business_id, shop = ui.business()
ui.page_header("products", shop)

flash = st.session_state.pop("products_flash", None)
if flash:
    st.success(flash)

with ui.db() as conn:
    rows = live.product_rows(conn, business_id)

cols = st.columns(2)
cols[0].metric(label("products_count"), number(len(rows)))
cols[1].metric(label("available"), number(sum(r["is_available"] for r in rows)))

if not rows:
    st.info("No products yet · Hakuna bidhaa bado. Upload your catalogue as a CSV below "
            "(columns: name,description,price,currency,is_available,metadata).")
else:
    editor_key = f"products_editor_{st.session_state.get('products_editor_version', 0)}"
    table = pd.DataFrame(rows)
    table["shown_price"] = [kes(p) for p in table["price"]]
    st.caption("Change a price or tick availability, then save · Badilisha bei au upatikanaji, kisha hifadhi.")
    st.data_editor(
        table[["name", "price", "shown_price", "is_available", "description"]],
        key=editor_key, hide_index=True, width="stretch", num_rows="fixed",
        disabled=["name", "shown_price", "description"],
        column_config={
            "name": "Product · Bidhaa",
            "price": st.column_config.NumberColumn("Price (KES) · Bei", min_value=0, step=1, format="%d"),
            "shown_price": "Customers see · Wateja wanaona",
            "is_available": st.column_config.CheckboxColumn("Available · Ipo"),
            "description": "Description",
        })
    state = st.session_state.get(editor_key) or {}
    edited = state.get("edited_rows", {})
    if st.button("Save changes · Hifadhi", key="save_products", disabled=not edited, type="primary"):
        edits = {rows[int(i)]["id"]: dict(change) for i, change in edited.items() if int(i) < len(rows)}
        with ui.db() as conn:
            outcome = live.save_product_edits(conn, business_id, edits)
        if outcome.errors:
            st.error("Some changes were not saved · Mabadiliko mengine hayakuhifadhiwa")
            st.dataframe(pd.DataFrame(outcome.errors), hide_index=True)
        else:
            st.session_state["products_flash"] = f"Saved {len(outcome.saved)} product(s) · Imehifadhiwa"
            st.session_state["products_editor_version"] = st.session_state.get("products_editor_version", 0) + 1
            st.rerun()

st.subheader("Upload a catalogue (CSV) · Pakia orodha ya bidhaa")
st.caption("Columns: name, description, price, currency, is_available, metadata. Existing products with "
           "the same name are updated; good rows are saved even if others have mistakes.")
upload = st.file_uploader("CSV file", type=["csv"], key="products_csv")
if upload is not None and st.button("Import · Ingiza", key="import_csv"):
    with ui.db() as conn:
        report = live.import_products(conn, business_id, upload.getvalue())
    st.success(f"Added {report.inserted}, updated {report.updated}, unchanged {report.unchanged}.")
    if report.errors:
        st.error(f"{len(report.errors)} row(s) need fixing · Mistari yenye makosa:")
        st.dataframe(pd.DataFrame(report.errors), hide_index=True, width="stretch")
