"""Choose a plan and pay by M-Pesa, then watch the payment until M-Pesa confirms or refuses it
(Billing page and the last onboarding step)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
import ui
from ui import t

from mtaabot.dashboard import i18n, renew

POLL_SECONDS = 2


def plan_form(business_id: str, prefix: str, default_phone: str = "") -> None:
    """The plan picker and phone number; a push started is remembered in the session under `prefix`."""
    plans = renew.plan_choices()
    by_code = {p["code"]: p for p in plans}
    labels = {c: t("billing.plan_choice", name=p["name"], price=i18n.kes(p["price_kes"]),
                   replies=i18n.number(p["monthly_ai_replies"])) for c, p in by_code.items()}
    with st.form(f"{prefix}_form"):
        plan = st.selectbox(t("billing.plan"), list(by_code), key=f"{prefix}_plan", format_func=labels.__getitem__)
        phone = st.text_input(t("billing.phone"), value=default_phone, key=f"{prefix}_phone",
                              placeholder="0712 345 678")
        if st.form_submit_button(t("billing.pay"), key=f"{prefix}_pay", type="primary"):
            with ui.db() as conn:
                outcome = renew.start_renewal(conn, business_id, plan, phone)
            st.session_state[f"{prefix}_outcome"] = (business_id, outcome)
            st.session_state.pop(f"{prefix}_settled", None)


def payment_status(business_id: str, prefix: str, on_paid: Callable[[], None] | None = None) -> str | None:
    """Show the started payment's state, updating itself every few seconds until it is settled.
    Returns 'active', 'failed', 'pending' or None (nothing started)."""
    kept = st.session_state.get(f"{prefix}_outcome")
    if not kept or kept[0] != business_id or not isinstance(kept[1], renew.RenewOutcome):
        return None  # nothing started for this shop in this session
    outcome = kept[1]
    if not outcome.ok or not outcome.checkout_id:
        st.error(t(outcome.key, **outcome.fields))
        return None
    settled = st.session_state.get(f"{prefix}_settled")
    if settled is None:
        st.success(t(outcome.key, **outcome.fields))
        _poll(business_id, prefix, outcome.checkout_id)
        return "pending"
    _show(settled)
    if settled["status"] == "active" and on_paid is not None:
        on_paid()
    return settled["status"]


def _show(row: dict) -> None:
    if row["status"] == "active":
        receipt = t("billing.receipt_part", receipt=row["mpesa_receipt_number"]) if row["mpesa_receipt_number"] else ""
        st.success(t("billing.confirmed", receipt=receipt, plan=ui.t_or(f"plan.{row['plan_tier']}", row["plan_tier"]),
                     until=ui.day(row["ends_at"], with_time=False)))
    else:
        key, fields = renew.failure_key(row)
        st.error(t("billing.failed", reason=t(key, **fields)))


@st.fragment(run_every=POLL_SECONDS)
def _poll(business_id: str, prefix: str, checkout_id: str) -> None:
    with ui.db() as conn:
        row = renew.follow_payment(conn, business_id, checkout_id)
    if row is None:
        return
    if row["status"] in ("pending", "held"):  # held: M-Pesa's amount is being checked (STK query)
        st.info(t("billing.waiting"))
        return
    st.session_state[f"{prefix}_settled"] = dict(row)
    st.rerun()  # the whole page: the payment is settled, stop polling
