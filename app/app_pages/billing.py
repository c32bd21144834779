"""Billing page: plan, status, period end with days left, payment history, and renew with M-Pesa."""

from __future__ import annotations

import pandas as pd
import payflow
import streamlit as st
import ui
from ui import t

from mtaabot.dashboard import i18n, records

business_id, shop = ui.business()
ui.page_header("billing", shop)
lang = ui.lang()

status = ui.mart("mart_billing_status", business_id)
if not ui.show_missing(status, "mart_billing_status"):
    if status.empty:
        st.info(t("billing.no_info"))
    else:
        row = status.frame.iloc[0]
        cols = st.columns(4)
        tier = str(row["plan_tier"] or "trial")
        cols[0].metric(t("billing.plan"), ui.t_or(f"plan.{tier}", tier.title()))
        state = str(row["subscription_status"] or row["business_status"] or "")
        cols[1].metric(t("billing.status"), ui.t_or(f"payment_status.{state}", state or "—"))
        period_end = row["period_end"] if pd.notna(row["period_end"]) else None
        cols[2].metric(t("billing.period_end"), ui.day(i18n.local_date(period_end)))
        days_left = int(row["days_left"]) if pd.notna(row["days_left"]) else None
        cols[3].metric(t("billing.days_left"), i18n.days_left(lang, days_left))
        if days_left is not None and days_left <= 3:
            st.warning(t("billing.ends_soon"))

with ui.db() as conn:
    history = records.payment_history(conn, business_id)
    default_phone = records.owner_phone(conn, business_id)

def _note(note: str | None) -> str:
    """M-Pesa's reason for a failed payment in the owner's language (the billing package words it in English)."""
    from mtaabot.billing.payments import FAILURE_REASONS

    codes = {text: code for code, text in FAILURE_REASONS.items()}
    return t(f"mpesa_reason.{codes[note]}") if note in codes else (note or "")


st.subheader(t("billing.payments"))
if not history:
    st.caption(t("billing.no_payments"))
else:
    paid = sum(int(h["amount_kes"] or 0) for h in history if h["receipt"])
    st.metric(t("billing.paid_total"), i18n.kes(paid))
    ui.table("payments", [{
        t("billing.date"): ui.day(h["date"]), t("billing.plan"): ui.t_or(f"plan.{h['plan']}", str(h["plan"]).title()),
        t("billing.amount"): i18n.kes(h["amount_kes"]),
        t("billing.status"): ui.t_or(f"payment_status.{h['status']}", str(h["status"])),
        t("billing.receipt"): h["receipt"] or "—",
        t("billing.period"): f"{ui.day(h['period_start'], with_time=False)} → {ui.day(h['period_end'], with_time=False)}",
        t("billing.note"): _note(h["note"]),
    } for h in history], title_column=t("billing.date"))

st.subheader(t("billing.renew"))
payflow.plan_form(business_id, "renew", default_phone)
payflow.payment_status(business_id, "renew")
