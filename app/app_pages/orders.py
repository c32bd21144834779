"""Orders page: today's orders, what still waits for payment, what to hand over, and a "mark fulfilled"
action; orders and revenue per day from the `mart_orders_daily` mart."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import altair as alt
import pandas as pd
import streamlit as st
import ui

from mtaabot.dashboard.formatting import kes, label
from mtaabot.orders import store

business_id, shop = ui.business()
ui.page_header("orders", shop)
NAIROBI = ZoneInfo("Africa/Nairobi")

with ui.db() as conn:
    orders = store.list_orders(conn, business_id, limit=200)
today = datetime.now(NAIROBI).date()


def _local_day(iso: str | None):
    return datetime.fromisoformat(iso).astimezone(NAIROBI).date() if iso else None


todays = [o for o in orders if _local_day(o["created_at"]) == today]
unpaid = [o for o in orders if o["status"] in ("awaiting_payment", "payment_failed")]
to_fulfil = [o for o in orders if o["status"] == "paid"]
cols = st.columns(4)
cols[0].metric("Orders today · Oda za leo", len(todays))
cols[1].metric("Unpaid · Hazijalipwa", len(unpaid))
cols[2].metric("To fulfil · Za kupeleka", len(to_fulfil))
cols[3].metric("Paid today · Zimelipwa leo",
               kes(sum(o["total"] for o in todays if o["status"] in ("paid", "fulfilled"))))


def _table(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{
        "#": o["number"], "Customer · Mteja": o["customer"] or "—", "Status · Hali": o["status"],
        "Items · Bidhaa": ", ".join(f"{i['quantity']} × {i['name']}" for i in o["items"]),
        "Total · Jumla": kes(o["total"]), "Receipt · Risiti": o["receipt"] or "—",
        "When · Lini": (o["booking_at"] or o["created_at"] or "")[:16].replace("T", " "),
    } for o in rows])


st.subheader("To fulfil · Za kupeleka")
if not to_fulfil:
    st.caption("Nothing paid is waiting · Hakuna oda iliyolipwa inayosubiri.")
else:
    st.dataframe(_table(to_fulfil), hide_index=True, width="stretch")
    numbers = {o["number"]: o["id"] for o in to_fulfil}
    picked = st.selectbox("Order · Oda", list(numbers), key="fulfil_order", format_func=lambda n: f"#{n}")
    if st.button("Mark fulfilled · Imekamilika", key="mark_fulfilled", type="primary"):
        with ui.db() as conn:
            try:
                store.set_status(conn, business_id, numbers[picked], "fulfilled", actor="dashboard")
                st.session_state["orders_flash"] = f"Order #{picked} fulfilled · Oda #{picked} imekamilika"
            except store.OrderError as exc:
                st.session_state["orders_flash"] = f"error: {exc}"
        st.rerun()
flash = st.session_state.pop("orders_flash", None)
if flash:
    (st.error if flash.startswith("error:") else st.success)(flash)

st.subheader("Waiting for payment · Zinasubiri malipo")
if unpaid:
    st.dataframe(_table(unpaid), hide_index=True, width="stretch")
else:
    st.caption("No unpaid orders · Hakuna oda zisizolipwa.")

st.subheader("Today · Leo")
if todays:
    st.dataframe(_table(todays), hide_index=True, width="stretch")
else:
    st.caption("No orders today yet · Bado hakuna oda leo.")

st.subheader(f"{label('orders')} — 30 days")
daily = ui.mart("mart_orders_daily", business_id)
if not ui.show_missing(daily) and not daily.empty:
    frame = daily.frame.copy()
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    frame["revenue_kes"] = frame["revenue_kes"].astype(float)
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("order_date:T", title="Day · Siku"), y=alt.Y("revenue_kes:Q", title="Revenue (KES) · Mapato"),
        tooltip=["order_date:T", "orders:Q", "paid_orders:Q", "revenue_kes:Q", "conversion:Q"])
    st.altair_chart(bars, width="stretch")
    total = float(frame["revenue_kes"].sum())
    paid = int(frame["paid_orders"].sum())
    st.caption(f"{int(frame['orders'].sum())} orders, {paid} paid, revenue {kes(total)}"
               + (f", average basket {kes(total / paid)}" if paid else ""))
