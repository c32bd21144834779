"""Usage page: AI replies and tokens against the plan quota, with a warning near the limit."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st
import ui
from ui import t

from mtaabot.dashboard import i18n, metrics

business_id, shop = ui.business()
ui.page_header("usage", shop)

today = metrics.today_nairobi()
monthly = ui.mart("mart_token_usage_monthly", business_id)
billing = ui.mart("mart_billing_status", business_id)
daily = ui.mart("mart_token_usage_daily", business_id, since=("usage_date", today - timedelta(days=29)))

if not ui.show_missing(monthly, "mart_token_usage_monthly"):
    q = metrics.quota_state(monthly.frame, billing.frame, today)
    cols = st.columns(3)
    cols[0].metric(t("usage.ai_replies"), f"{i18n.number(q.ai_replies)} / {i18n.number(q.quota)}" if q.quota
                   else i18n.number(q.ai_replies))
    cols[1].metric(t("usage.quota_used"), i18n.percent(q.used))
    cols[2].metric(t("usage.tokens"), i18n.number(q.tokens))
    if q.used is not None:
        st.progress(min(1.0, q.used), text=t("usage.progress", used=i18n.percent(q.used),
                                             plan=ui.t_or(f"plan.{q.plan}", str(q.plan or ""))))
    if q.level == "over":
        st.error(t("usage.over"))
    elif q.level == "warn":
        st.warning(t("usage.warn", used=i18n.percent(q.used)))

if not ui.show_missing(daily, "mart_token_usage_daily"):
    if daily.empty:
        st.info(t("usage.none"))
    else:
        frame = daily.frame.copy()
        frame["usage_date"] = pd.to_datetime(frame["usage_date"]).dt.strftime("%Y-%m-%d")  # one bar per day
        recent = frame.sort_values("usage_date").tail(30).set_index("usage_date")
        st.subheader(t("usage.tokens_per_day"))
        st.bar_chart(recent[["tokens_in", "tokens_out"]].rename(
            columns={"tokens_in": t("usage.tokens_in"), "tokens_out": t("usage.tokens_out")}),
            x_label=t("overview.day"), y_label=t("usage.tokens"), width="stretch")
        st.subheader(t("usage.replies_per_day"))
        st.line_chart(recent[["ai_replies"]].rename(columns={"ai_replies": t("usage.tokens_out")}),
                      x_label=t("overview.day"), y_label=t("usage.tokens_out"), width="stretch")
