"""Billing page: plan, status, period end with days left, payment history, and renew with M-Pesa."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import ui

from mtaabot.dashboard import live, renew
from mtaabot.dashboard.formatting import day, days_left_text, kes, label, local_date

business_id, shop = ui.business()
ui.page_header("billing", shop)

status = ui.mart("mart_billing_status", business_id)
if not ui.show_missing(status):
    if status.empty:
        st.info("No billing information yet · Hakuna taarifa za malipo bado.")
    else:
        row = status.frame.iloc[0]
        cols = st.columns(4)
        cols[0].metric(label("plan"), str(row["plan_tier"] or "trial").title())
        cols[1].metric(label("status"), str(row["subscription_status"] or row["business_status"] or "—"))
        period_end = row["period_end"] if pd.notna(row["period_end"]) else None
        cols[2].metric(label("period_end"), day(local_date(period_end)))
        days_left = int(row["days_left"]) if pd.notna(row["days_left"]) else None
        cols[3].metric(label("days_left"), days_left_text(days_left))
        if days_left is not None and days_left <= 3:
            st.warning("Your plan ends soon: renew below so customers keep getting answers · "
                       "Mpango wako unaisha karibuni, lipia hapa chini.")

with ui.db() as conn:
    history = live.payment_history(conn, business_id)
    default_phone = live.owner_phone(conn, business_id)

st.subheader("Payments · Malipo")
if not history:
    st.caption("No payments yet · Bado hujalipa.")
else:
    paid = sum(int(h["amount_kes"] or 0) for h in history if h["receipt"])
    st.metric(label("paid_total"), kes(paid))
    table = pd.DataFrame([{
        "Date · Tarehe": day(h["date"]), "Plan": str(h["plan"]).title(), "Amount · Kiasi": kes(h["amount_kes"]),
        "Status · Hali": h["status"], "M-Pesa receipt · Risiti": h["receipt"] or "—",
        "Period · Kipindi": f"{day(h['period_start'])} → {day(h['period_end'])}", "Note": h["note"] or "",
    } for h in history])
    st.dataframe(table, hide_index=True, width="stretch")

st.subheader(label("renew"))
plans = renew.plan_choices()
by_code = {p["code"]: p for p in plans}
with st.form("renew"):
    plan = st.selectbox("Plan · Mpango", list(by_code), key="renew_plan", format_func=lambda c: (
        f"{by_code[c]['name']} — {kes(by_code[c]['price_kes'])} / month, "
        f"{by_code[c]['monthly_ai_replies']:,} AI replies"))
    phone = st.text_input("M-Pesa phone number · Namba ya M-Pesa", value=default_phone, key="renew_phone",
                          placeholder="0712 345 678")
    if st.form_submit_button(label("renew"), type="primary"):
        with ui.db() as conn:
            outcome = renew.start_renewal(conn, business_id, plan, phone)
        st.session_state["renew_outcome"] = outcome

outcome = st.session_state.get("renew_outcome")
if isinstance(outcome, renew.RenewOutcome):
    (st.success if outcome.ok else st.error)(outcome.message)
    if outcome.ok and outcome.checkout_id:
        with ui.db() as conn:
            payment = renew.payment_status(conn, business_id, outcome.checkout_id)
        if payment is not None:
            state = payment.get("status") or ("active" if payment["is_active"] else "pending")
            receipt = payment["mpesa_receipt_number"]
            st.info(f"Payment status · Hali ya malipo: **{state}**"
                    + (f" — receipt {receipt}" if receipt else " (refresh after paying)"))
        st.button("Refresh status · Onyesha upya", key="renew_refresh")
