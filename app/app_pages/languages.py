"""Languages & confidence page: language mix over time, confidence histogram, replies to review."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st
import ui

from mtaabot.dashboard import metrics
from mtaabot.dashboard.formatting import LANGUAGE_NAMES, label, percent

business_id, shop = ui.business()
ui.page_header("languages", shop)

start = metrics.today_nairobi() - timedelta(days=29)
mix = ui.mart("mart_language_mix_daily", business_id, since=("activity_date", start))
conf = ui.mart("mart_confidence_distribution", business_id, since=("activity_date", start))
low = ui.mart("mart_low_confidence_replies", business_id, since=("created_at", start),
              order_by=("confidence_score", "asc"), limit=50)

if not ui.show_missing(mix):
    top = metrics.top_language(mix.frame)
    avg = None if conf.missing else metrics.mean_confidence(conf.frame)
    cols = st.columns(2)
    cols[0].metric(label("top_language"),
                   f"{LANGUAGE_NAMES.get(top[0], top[0])} ({percent(top[1])})" if top else "—")
    cols[1].metric(label("avg_confidence"), f"{avg:.2f}" if avg is not None else "—")
    if mix.empty:
        st.info("No customer messages analysed yet · Bado hakuna jumbe. Connect WhatsApp and wait for "
                "the next analytics refresh.")
    else:
        st.subheader("Language mix per day · Mchanganyiko wa lugha")
        chart = metrics.language_mix(mix.frame, metrics.today_nairobi()).rename(columns=LANGUAGE_NAMES)
        st.bar_chart(chart)

if not ui.show_missing(conf) and not conf.empty:
    st.subheader("Reply confidence · Uhakika wa majibu")
    st.bar_chart(metrics.confidence_histogram(conf.frame))

if not ui.show_missing(low):
    st.subheader("Lowest-confidence replies to review (30 days) · Majibu ya kukagua")
    if low.empty:
        st.caption("Nothing to review.")
    else:
        review = low.frame.sort_values("confidence_score")
        st.dataframe(
            review[["created_at", "detected_language", "confidence_score", "customer_text", "bot_reply",
                    "escalated"]],
            hide_index=True, width="stretch",
            column_config={
                "created_at": st.column_config.DatetimeColumn("When · Lini", format="DD MMM HH:mm",
                                                            timezone="Africa/Nairobi"),
                "detected_language": "Language · Lugha",
                "confidence_score": st.column_config.NumberColumn("Confidence", format="%.2f"),
                "customer_text": "Customer wrote · Mteja aliandika",
                "bot_reply": "Bot replied · Bot ilijibu",
                "escalated": "Escalated",
            })
