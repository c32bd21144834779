"""Orders page: today's orders, what still waits for payment, what to hand over, and a "mark fulfilled"
action; orders and revenue per day from the `mart_orders_daily` mart."""

from __future__ import annotations

from datetime import datetime

import altair as alt
import pandas as pd
import streamlit as st
import ui
from ui import t

from mtaabot.dashboard import i18n
from mtaabot.orders import checkout, store

business_id, shop = ui.business()
ui.page_header("orders", shop)

with ui.db() as conn:
    orders = store.list_orders(conn, business_id, limit=200)
today = datetime.now(i18n.NAIROBI).date()


def _local_day(iso: str | None):
    return datetime.fromisoformat(iso).astimezone(i18n.NAIROBI).date() if iso else None


todays = [o for o in orders if _local_day(o["created_at"]) == today]
unpaid = [o for o in orders if o["status"] in ("awaiting_payment", "payment_failed")]
to_fulfil = [o for o in orders if o["status"] == "paid"]
cols = st.columns(4)
cols[0].metric(t("orders.today_count"), i18n.number(len(todays)))
cols[1].metric(t("orders.unpaid"), i18n.number(len(unpaid)))
cols[2].metric(t("orders.to_fulfil"), i18n.number(len(to_fulfil)))
cols[3].metric(t("orders.paid_today"),
               i18n.kes(sum(o["total"] for o in todays if o["status"] in ("paid", "fulfilled"))))


def _rows(rows: list[dict]) -> list[dict]:
    return [{
        "#": o["number"], t("orders.customer"): o["customer"] or "—",
        t("orders.status"): ui.t_or(f"order_status.{o['status']}", o["status"]),
        t("orders.items"): ", ".join(map(store.item_text, o["items"])),
        t("orders.total"): i18n.kes(o["total"]), t("orders.receipt"): o["receipt"] or "—",
        t("orders.when"): ui.day(o["booking_at"] or o["created_at"]),
    } for o in rows]


st.subheader(t("orders.to_fulfil"))
if not to_fulfil:
    st.caption(t("orders.nothing_to_fulfil"))
else:
    ui.table("to_fulfil", _rows(to_fulfil), title_column="#")
    numbers = {o["number"]: o["id"] for o in to_fulfil}
    picked = st.selectbox(t("orders.order"), list(numbers), key="fulfil_order", format_func=lambda n: f"#{n}")
    if st.button(t("orders.mark_fulfilled"), key="mark_fulfilled", type="primary"):
        with ui.db() as conn:
            try:
                store.set_status(conn, business_id, numbers[picked], "fulfilled", actor="dashboard")
                checkout.tell_owner_change(conn, store.get_order(conn, business_id, numbers[picked]), "fulfilled")
                st.session_state["orders_flash"] = ("ok", picked, "")
            except store.OrderError as exc:
                st.session_state["orders_flash"] = ("error", picked, str(exc))
        st.rerun()
flash = st.session_state.pop("orders_flash", None)
if flash:
    kind, number, error = flash
    if kind == "ok":
        st.success(t("orders.fulfilled", number=number))
    else:
        st.error(t("orders.not_changed", number=number, error=error))

st.subheader(t("orders.waiting_payment"))
if unpaid:
    ui.table("unpaid", _rows(unpaid), title_column="#")
else:
    st.caption(t("orders.no_unpaid"))

st.subheader(t("orders.today"))
if todays:
    ui.table("today", _rows(todays), title_column="#")
else:
    st.caption(t("orders.none_today"))

st.subheader(t("orders.per_day"))
daily = ui.mart("mart_orders_daily", business_id)
if not ui.show_missing(daily, "mart_orders_daily") and not daily.empty:
    frame = daily.frame.copy()
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    frame["revenue_kes"] = frame["revenue_kes"].astype(float)
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("order_date:T", title=t("orders.day")), y=alt.Y("revenue_kes:Q", title=t("orders.revenue")),
        tooltip=["order_date:T", "orders:Q", "paid_orders:Q", "revenue_kes:Q", "conversion:Q"])
    st.altair_chart(bars, width="stretch")
    total = float(frame["revenue_kes"].sum())
    paid = int(frame["paid_orders"].sum())
    summary = t("orders.summary", orders=i18n.number(frame["orders"].sum()), paid=i18n.number(paid),
                revenue=i18n.kes(total))
    st.caption(summary + (", " + t("orders.basket", basket=i18n.kes(round(total / paid))) if paid else ""))
