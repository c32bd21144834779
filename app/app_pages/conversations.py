"""Conversations page: the escalated inbox, a transcript, hand back to the bot, and an owner reply box."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st
import ui
from ui import t

from mtaabot.dashboard import i18n, metrics, records
from mtaabot.whatsapp.outbox import OwnerReplyRefused

business_id, shop = ui.business()
ui.page_header("conversations", shop)

with ui.db() as conn:
    inbox = records.escalated_inbox(conn, business_id)
    waiting = records.escalated_count(conn, business_id)

handovers = ui.mart("mart_time_to_human", business_id,
                    since=("escalated_at", metrics.today_nairobi() - timedelta(days=29)))
cols = st.columns(2)
cols[0].metric(t("conversations.waiting"), i18n.number(waiting))
cols[1].metric(t("conversations.reply_time"),
               "—" if handovers.missing else i18n.minutes(ui.lang(), metrics.median_minutes_to_human(handovers.frame)))
flash = st.session_state.pop("conversations_flash", None)
if flash:
    st.success(t(flash))

if not inbox:
    st.info(t("conversations.none_waiting"))
    st.stop()


def _reason(value: str | None) -> str:
    return ui.t_or(f"reason.{value or 'escalated'}", (value or "").replace("_", " "))


names = {str(c["id"]): f"{c['customer_name'] or c['customer_phone']} — {ui.day(c['escalated_at'])} "
         f"({_reason(c['escalation_reason'])})" for c in inbox}
if waiting > len(inbox):
    st.caption(t("conversations.showing_recent", n=len(inbox)))
conversation_id = st.selectbox(t("conversations.escalated_chats"), list(names),
                               format_func=names.__getitem__, key="inbox_choice")

with ui.db() as conn:
    messages, total = records.conversation_transcript(conn, business_id, conversation_id)
if total > len(messages):
    st.caption(t("conversations.showing_latest", n=len(messages), total=total))
for m in messages:
    who = {"customer": "user", "ai": "assistant", "system": "assistant", "owner": "human"}.get(m["author"], "user")
    avatar = {"user": ":material/person:", "assistant": ":material/smart_toy:", "human": ":material/storefront:"}[who]
    with st.chat_message("user" if who == "user" else "assistant", avatar=avatar):
        st.write(m["content"])
        extra = [ui.day(m["created_at"])]
        if m["detected_language"]:
            extra.append(i18n.language_name(ui.lang(), m["detected_language"]))
        if m["confidence_score"] is not None and m["author"] == "ai":
            extra.append(t("conversations.confidence", value=f"{float(m['confidence_score']):.2f}"))
        if m["author"] == "owner":
            extra.append(t("conversations.you"))
        st.caption(" · ".join(extra))

# the owner's words for each OwnerReplyRefused.reason (the outbox holds the rule)
REPLY_REFUSED = {"empty": "conversations.write_first", "too_long": "conversations.too_long",
                 "not_this_shop": "conversations.not_this_shop", "window_closed": "conversations.window_closed"}
with st.form("owner_reply", clear_on_submit=True):
    text = st.text_area(t("conversations.reply_label"), key="owner_reply_text", max_chars=4096)
    if st.form_submit_button(t("conversations.send"), key="owner_reply_send"):
        try:
            with ui.db() as conn:
                records.send_owner_reply(conn, business_id, conversation_id, text)
        except OwnerReplyRefused as exc:
            st.error(t(REPLY_REFUSED[exc.reason]))
        else:
            st.session_state["conversations_flash"] = "conversations.sent"
            st.rerun()

if st.button(t("conversations.hand_back"), key="hand_back", type="primary"):
    with ui.db() as conn:
        done = records.hand_back(conn, business_id, conversation_id)
    if done:
        st.session_state["conversations_flash"] = "conversations.handed_back"
        st.rerun()
    else:
        st.error(t("conversations.not_this_shop"))

st.subheader(t("conversations.alerts"))
with ui.db() as conn:
    from mtaabot.owners.alerts import alert_delivery

    sent_alerts = alert_delivery(conn, business_id, limit=30)
if not sent_alerts:
    st.caption(t("conversations.no_alerts"))
else:
    ui.table("alerts", [{
        "#": a["number"], t("conversations.alert_kind"): a["kind"], t("conversations.alert_body"): a["body"][:160],
        t("conversations.alert_delivery"): a["delivery"] + (f" ({a['delivery_error'][:80]})" if a["delivery_error"] else ""),
        t("conversations.alert_answered"): t("fmt.yes") if a["answered_at"] else "—",
    } for a in sent_alerts], title_column=t("conversations.alert_kind"))
