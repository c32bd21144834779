"""Overview page: messages, customers, reply rate and escalations for today / 7 / 30 days, a trend, and
"Test your bot" (one message through the engine, nothing stored)."""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st
import ui
from ui import t

from mtaabot.dashboard import i18n, metrics, records, sandbox

business_id, shop = ui.business()
ui.page_header("overview", shop)


def _test_box() -> None:
    st.subheader(t("tester.title"))
    st.caption(t("tester.intro"))
    with st.form("try_bot"):
        text = st.text_input(t("tester.message"), key="try_text", placeholder=t("tester.placeholder"),
                             max_chars=sandbox.MAX_CHARS)
        asked = st.form_submit_button(t("tester.send"), key="try_send", type="primary")
    if asked:
        if not (text or "").strip():
            st.warning(t("tester.empty"))
            return
        try:
            with ui.db() as conn, st.spinner():
                answer = sandbox.try_message(conn, business_id, text)
        except Exception as exc:  # noqa: BLE001 - shown to the owner, never a crash page
            st.error(t("tester.failed", error=type(exc).__name__))
            return
        st.session_state["try_answer"] = (business_id, answer)
    kept = st.session_state.get("try_answer")
    if not kept or kept[0] != business_id:
        return
    answer: sandbox.TrialAnswer = kept[1]
    with st.container(border=True, key="try_result"):
        st.markdown(f"**{t('tester.reply')}**")
        if answer.reply:
            st.markdown(answer.reply.replace("\n", "  \n"))
        else:
            st.caption(t("tester.silent"))
        cols = st.columns(3)
        cols[0].metric(t("tester.language"), i18n.language_name(ui.lang(), answer.language))
        cols[1].metric(t("tester.confidence"), "—" if answer.confidence is None else f"{answer.confidence:.2f}")
        cols[2].metric(t("tester.escalated"), t("fmt.yes") if answer.escalated else t("fmt.no"))
        st.markdown(f"**{t('tester.products')}**")
        if answer.products:
            ui.table("try_products", [{t("tester.product"): p.get("name"), t("tester.price"): i18n.kes(p.get("price")),
                                       t("tester.score"): f"{float(p.get('score') or 0):.2f}"}
                                      for p in answer.products], title_column=t("tester.product"))
        else:
            st.caption(t("tester.no_products"))


today = metrics.today_nairobi()
activity = ui.mart("mart_daily_business_activity", business_id,
                   since=("activity_date", today - timedelta(days=29)))
with ui.db() as conn:
    has_messages = records.message_count(conn, business_id) > 0
    connected = records.whatsapp_connected(conn, business_id)
    customers = metrics.customer_counts(conn, business_id, today) if has_messages else {}

if not has_messages:
    if not connected:
        ui.connect_whatsapp_hint(shop)
    else:
        st.info(t("overview.connected_no_messages"))
elif not ui.show_missing(activity, "mart_daily_business_activity"):
    windows = metrics.activity_windows(activity.frame, customers, today)
    for key in ("today", "last_7", "last_30"):
        w = windows[key]
        st.subheader(t(f"overview.{key}"))
        cols = st.columns(4)
        cols[0].metric(t("overview.messages"), i18n.number(w.messages))
        cols[1].metric(t("overview.customers"), i18n.number(w.customers))
        cols[2].metric(t("overview.reply_rate"), i18n.percent(w.reply_rate))
        cols[3].metric(t("overview.escalations"), i18n.number(w.escalations))
    st.subheader(t("overview.per_day"))
    trend = metrics.activity_trend(activity.frame, today)
    long = pd.DataFrame({
        "day": list(trend.index) * 2,
        "series": [t("overview.from_customers")] * len(trend) + [t("overview.sent")] * len(trend),
        "count": list(trend.iloc[:, 0]) + list(trend.iloc[:, 1]),
    })
    chart = alt.Chart(long).mark_line(point=False).encode(
        x=alt.X("day:T", title=t("overview.day")), y=alt.Y("count:Q", title=t("overview.count")),
        color=alt.Color("series:N", title=t("overview.series"), legend=alt.Legend(orient="bottom")))
    st.altair_chart(chart, width="stretch")
    if activity.empty:
        st.caption(t("overview.no_rows_yet"))

_test_box()
