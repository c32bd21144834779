"""Usage page: AI replies and tokens against the plan quota, with a warning near the limit."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st
import ui

from mtaabot.dashboard import metrics
from mtaabot.dashboard.formatting import label, number, percent

business_id, shop = ui.business()
ui.page_header("usage", shop)

today = metrics.today_nairobi()
monthly = ui.mart("mart_token_usage_monthly", business_id)
billing = ui.mart("mart_billing_status", business_id)
daily = ui.mart("mart_token_usage_daily", business_id, since=("usage_date", today - timedelta(days=29)))

if not ui.show_missing(monthly):
    q = metrics.quota_state(monthly.frame, billing.frame, today)
    cols = st.columns(3)
    cols[0].metric(label("ai_replies"), f"{number(q.ai_replies)} / {number(q.quota)}" if q.quota
                   else number(q.ai_replies))
    cols[1].metric(label("quota_used"), percent(q.used))
    cols[2].metric(label("tokens"), number(q.tokens))
    if q.used is not None:
        st.progress(min(1.0, q.used), text=f"{percent(q.used)} of the {q.plan or ''} plan's monthly AI replies")
    if q.level == "over":
        st.error("You have used all AI replies for this month: customers are being handed to you. "
                 "Upgrade on the Billing page · Majibu ya AI yameisha mwezi huu; pandisha mpango.")
    elif q.level == "warn":
        st.warning(f"Almost at your limit: {percent(q.used)} of this month's AI replies used. "
                   "Consider upgrading on the Billing page · Karibu kufikia kikomo.")

if not ui.show_missing(daily):
    if daily.empty:
        st.info("No AI replies yet this period · Bado hakuna majibu ya AI.")
    else:
        frame = daily.frame.copy()
        frame["usage_date"] = pd.to_datetime(frame["usage_date"]).dt.strftime("%Y-%m-%d")  # one bar per day
        recent = frame.sort_values("usage_date").tail(30).set_index("usage_date")
        st.subheader("Tokens per day · Tokeni kwa siku")
        st.bar_chart(recent[["tokens_in", "tokens_out"]].rename(
            columns={"tokens_in": "Customer messages", "tokens_out": "Replies"}))
        st.subheader("AI replies per day · Majibu ya AI kwa siku")
        st.line_chart(recent[["ai_replies"]])
