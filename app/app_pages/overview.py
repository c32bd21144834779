"""Overview page: messages, customers, reply rate and escalations for today / 7 / 30 days, and a trend."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st
import ui

from mtaabot.dashboard import live, metrics
from mtaabot.dashboard.formatting import label, number, percent

business_id, shop = ui.business()
ui.page_header("overview", shop)

today = metrics.today_nairobi()
activity = ui.mart("mart_daily_business_activity", business_id,
                   since=("activity_date", today - timedelta(days=29)))
with ui.db() as conn:
    has_messages = live.message_count(conn, business_id) > 0
    connected = live.whatsapp_connected(conn, business_id)
    customers = metrics.customer_counts(conn, business_id, today) if has_messages else {}

if not has_messages:
    if not connected:
        ui.connect_whatsapp_hint(shop)
    else:
        st.info("WhatsApp is connected. Numbers appear after your first customer writes · "
                "WhatsApp imeunganishwa; takwimu zitaonekana mteja wa kwanza akiandika.")
elif not ui.show_missing(activity):
    windows = metrics.activity_windows(activity.frame, customers, today)
    for key in ("today", "last_7", "last_30"):
        w = windows[key]
        st.subheader(label(key))
        cols = st.columns(4)
        cols[0].metric(label("messages"), number(w.messages))
        cols[1].metric(label("customers"), number(w.customers))
        cols[2].metric(label("reply_rate"), percent(w.reply_rate))
        cols[3].metric(label("escalations"), number(w.escalations))
    st.subheader("Messages per day · Jumbe kwa siku (30)")
    st.line_chart(metrics.activity_trend(activity.frame, today))
    if activity.empty:
        st.caption("The analytics tables have no rows for this shop yet; they refresh on a schedule "
                   "(or run `mtaabot dbt build`).")
