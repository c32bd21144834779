"""Operator page (operators only): every shop's state, suspend / reactivate with a reason, the audit log.

Suspending here is the same as `mtaabot business suspend`: it wins over billing until lifted, the owner is
told, customers get one polite notice and every message is kept. Each change is recorded in `audit_log` under
the signed-in operator's own account name, with the reason.
"""

from __future__ import annotations

import streamlit as st
import ui

from mtaabot import operator as ops
from mtaabot.businesses import BusinessNotFound

user = ui.require_user()
if not user.is_operator:
    st.error("Operators only · Kwa opereta pekee")
    st.stop()
actor = user.operator_name or "operator"

st.title("Shops · Maduka")
st.caption(f"Signed in as {actor}. Suspensions and reactivations are recorded under this name.")

with ui.db() as conn:
    shops = conn.execute(
        """SELECT id, name, status, suspended_at, suspension_reason, suspended_by FROM businesses
           ORDER BY name""").fetchall()
if not shops:
    st.info("No shops yet · Hakuna duka bado")
    st.stop()

st.dataframe([{"shop": s["name"], "billing status": s["status"],
               "suspended": f"{s['suspended_at']:%Y-%m-%d %H:%M} by {s['suspended_by']}: {s['suspension_reason']}"
               if s["suspended_at"] else ""} for s in shops], hide_index=True, width="stretch")

names = {str(s["id"]): s["name"] for s in shops}
suspended = {str(s["id"]) for s in shops if s["suspended_at"]}
shop_id = st.selectbox("Shop · Duka", list(names), format_func=names.__getitem__, key="operator_shop")

if shop_id in suspended:
    note = st.text_input("Note (optional) · Maelezo", key="operator_reactivate_note")
    if st.button("Reactivate · Rudisha", key="operator_reactivate", type="primary"):
        try:
            with ui.db() as conn:
                ops.reactivate(conn, shop_id, actor=actor, note=note.strip() or None)
        except (ops.OperatorError, BusinessNotFound) as exc:
            st.error(str(exc))
        else:
            st.session_state["operator_done"] = f"{names[shop_id]} reactivated"
            st.rerun()
else:
    reason = st.text_input("Reason (required; the owner sees it) · Sababu", key="operator_reason")
    if st.button("Suspend · Simamisha", key="operator_suspend", type="primary"):
        try:
            with ui.db() as conn:
                ops.suspend(conn, shop_id, reason, actor=actor)
        except (ops.OperatorError, BusinessNotFound) as exc:
            st.error(str(exc))
        else:
            st.session_state["operator_done"] = f"{names[shop_id]} suspended"
            st.rerun()

if done := st.session_state.pop("operator_done", None):
    st.success(done)

st.subheader("Audit log · Kumbukumbu")
with ui.db() as conn:
    entries = ops.audit_entries(conn, limit=50)
st.dataframe([{"at": f"{e['at']:%Y-%m-%d %H:%M}", "who": e["actor"], "what": e["action"],
               "shop": names.get(str(e["business_id"]), ""), "detail": e["detail"]} for e in entries],
             hide_index=True, width="stretch")
