"""Conversations page: the escalated inbox, a transcript, hand back to the bot, and an owner reply box."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st
import ui

from mtaabot.dashboard import live, metrics
from mtaabot.dashboard.formatting import LANGUAGE_NAMES, day, label, minutes, number

business_id, shop = ui.business()
ui.page_header("conversations", shop)

with ui.db() as conn:
    inbox = live.escalated_inbox(conn, business_id)
    waiting = live.escalated_count(conn, business_id)

handovers = ui.mart("mart_time_to_human", business_id,
                    since=("escalated_at", metrics.today_nairobi() - timedelta(days=29)))
cols = st.columns(2)
cols[0].metric(label("waiting"), number(waiting))
cols[1].metric(label("reply_time"), "—" if handovers.missing else minutes(metrics.median_minutes_to_human(handovers.frame)))
flash = st.session_state.pop("conversations_flash", None)
if flash:
    st.success(flash)

if not inbox:
    st.info("No chats are waiting for you. When the bot is unsure, or a customer asks for a person, "
            "the chat lands here · Hakuna mazungumzo yanayokusubiri.")
    st.stop()

names = {str(c["id"]): f"{c['customer_name'] or c['customer_phone']} — {day(c['escalated_at'])} "
         f"({(c['escalation_reason'] or 'escalated').replace('_', ' ')})" for c in inbox}
if waiting > len(inbox):
    st.caption(f"Showing the {len(inbox)} most recent · Zinaonyeshwa {len(inbox)} za karibuni")
conversation_id = st.selectbox("Escalated chats · Mazungumzo yaliyopelekwa kwako", list(names),
                               format_func=names.__getitem__, key="inbox_choice")

with ui.db() as conn:
    messages, total = live.conversation_transcript(conn, business_id, conversation_id)
if total > len(messages):
    st.caption(f"Showing the latest {len(messages)} of {total} messages · Jumbe za karibuni")
for m in messages:
    who = {"customer": "user", "ai": "assistant", "system": "assistant", "owner": "human"}.get(m["author"], "user")
    avatar = {"user": ":material/person:", "assistant": ":material/smart_toy:", "human": ":material/storefront:"}[who]
    with st.chat_message("user" if who == "user" else "assistant", avatar=avatar):
        st.write(m["content"])
        extra = [day(m["created_at"])]
        if m["detected_language"]:
            extra.append(LANGUAGE_NAMES.get(m["detected_language"], m["detected_language"]))
        if m["confidence_score"] is not None and m["author"] == "ai":
            extra.append(f"confidence {float(m['confidence_score']):.2f}")
        if m["author"] == "owner":
            extra.append("you · wewe")
        st.caption(" · ".join(extra))

with st.form("owner_reply", clear_on_submit=True):
    text = st.text_area("Reply as the shop · Jibu kama duka", key="owner_reply_text", max_chars=4096)
    if st.form_submit_button("Send on WhatsApp · Tuma"):
        try:
            with ui.db() as conn:
                live.send_owner_reply(conn, business_id, conversation_id, text)
        except live.ReplyUnavailable as exc:
            st.warning(str(exc))
        except ValueError as exc:
            st.error(str(exc))
        else:
            st.session_state["conversations_flash"] = "Sent to WhatsApp · Imetumwa"
            st.rerun()

if st.button(label("hand_back"), key="hand_back", type="primary"):
    with ui.db() as conn:
        done = live.hand_back(conn, business_id, conversation_id)
    if done:
        st.session_state["conversations_flash"] = "The bot is answering this customer again · Bot imerudi."
        st.rerun()
    else:
        st.error("That chat is not in this shop.")

st.subheader("Alerts to your WhatsApp · Tahadhari kwa WhatsApp yako")
with ui.db() as conn:
    from mtaabot.owners.alerts import alert_delivery

    sent_alerts = alert_delivery(conn, business_id, limit=30)
if not sent_alerts:
    st.caption("No alerts yet · Bado hakuna tahadhari.")
else:
    st.dataframe(pd.DataFrame([{
        "#": a["number"], "Kind · Aina": a["kind"], "Alert · Tahadhari": a["body"][:160],
        "Delivery · Imefika": a["delivery"] + (f" ({a['delivery_error'][:80]})" if a["delivery_error"] else ""),
        "Answered · Imejibiwa": "yes" if a["answered_at"] else "—",
    } for a in sent_alerts]), hide_index=True, width="stretch")
