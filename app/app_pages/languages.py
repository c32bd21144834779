"""Languages & confidence page: language mix over time, confidence histogram, replies to review."""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import streamlit as st
import ui
from ui import t

from mtaabot.dashboard import i18n, metrics

business_id, shop = ui.business()
ui.page_header("languages", shop)

start = metrics.today_nairobi() - timedelta(days=29)
mix = ui.mart("mart_language_mix_daily", business_id, since=("activity_date", start))
conf = ui.mart("mart_confidence_distribution", business_id, since=("activity_date", start))
low = ui.mart("mart_low_confidence_replies", business_id, since=("created_at", start),
              order_by=("confidence_score", "asc"), limit=50)
lang = ui.lang()

if not ui.show_missing(mix, "mart_language_mix_daily"):
    top = metrics.top_language(mix.frame)
    avg = None if conf.missing else metrics.mean_confidence(conf.frame)
    cols = st.columns(2)
    cols[0].metric(t("languages.top_language"),
                   f"{i18n.language_name(lang, top[0])} ({i18n.percent(top[1])})" if top else "—")
    cols[1].metric(t("languages.avg_confidence"), f"{avg:.2f}" if avg is not None else "—")
    if mix.empty:
        st.info(t("languages.no_messages"))
    else:
        st.subheader(t("languages.mix"))
        chart = metrics.language_mix(mix.frame, metrics.today_nairobi())
        chart = chart.rename(columns=lambda c: i18n.language_name(lang, str(c)))
        st.bar_chart(chart, x_label=t("overview.day"), y_label=t("overview.messages"), width="stretch")

if not ui.show_missing(conf, "mart_confidence_distribution") and not conf.empty:
    st.subheader(t("languages.confidence"))
    hist = metrics.confidence_histogram(conf.frame)
    hist.columns = [t("languages.replies"), t("languages.escalated_replies")]
    long = hist.reset_index(names="bucket").melt("bucket", var_name="series", value_name="count")
    bars = alt.Chart(long).mark_bar().encode(
        x=alt.X("bucket:N", title=t("languages.bucket"), sort=list(hist.index)),
        y=alt.Y("count:Q", title=t("overview.count")),
        color=alt.Color("series:N", title=t("overview.series"), legend=alt.Legend(orient="bottom")),
        xOffset="series:N")
    st.altair_chart(bars, width="stretch")

if not ui.show_missing(low, "mart_low_confidence_replies"):
    st.subheader(t("languages.review"))
    if low.empty:
        st.caption(t("languages.nothing_to_review"))
    else:
        review = low.frame.sort_values("confidence_score")
        ui.table("review", [{
            t("languages.when"): ui.day(r["created_at"]),
            t("languages.language"): i18n.language_name(lang, r["detected_language"]),
            t("tester.confidence"): f"{float(r['confidence_score']):.2f}",
            t("languages.customer_wrote"): r["customer_text"],
            t("languages.bot_replied"): r["bot_reply"],
            t("languages.escalated"): t("fmt.yes") if r["escalated"] else t("fmt.no"),
        } for r in review.to_dict("records")], title_column=t("languages.when"))
