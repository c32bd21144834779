"""Sign-in page: owners with their business API key; the operator with MTAABOT_OPERATOR_PASSWORD."""

from __future__ import annotations

import time

import streamlit as st
import ui

from mtaabot.dashboard import auth
from mtaabot.dashboard.formatting import label

st.title(f"MtaaBot · {label('sign_in')}")
st.write("Your shop's WhatsApp chats, customers and plan in one place. "
         "· Mazungumzo, wateja na mpango wa duka lako mahali pamoja.")



def _failed() -> None:
    st.session_state["login_failures"] = st.session_state.get("login_failures", 0) + 1
    time.sleep(min(2.0, 0.25 * st.session_state["login_failures"]))  # slow down guessing
    st.error("That did not work. Check it and try again · Haikufaulu, jaribu tena.")


def _finish(user: dict | None) -> None:
    """Keep a signed-in user in the session and show the pages, or count a failed attempt."""
    if user is None:
        _failed()
        return
    st.session_state[ui.USER_KEY] = user
    st.session_state["login_failures"] = 0
    st.rerun()


if st.session_state.pop("session_ended", False):  # the API key was rotated or the account removed
    st.info("Your session ended (the shop's API key was changed). Sign in again · Kikao kimeisha, ingia tena.")
tabs = st.tabs(["Shop owner · Mwenye duka", "Operator"])
with tabs[0], st.form("owner_login"):
    api_key = st.text_input("API key (starts with mtb_)", type="password", key="login_api_key",
                            help="The key shown once when your shop was created (`mtaabot business create`).")
    if st.form_submit_button("Sign in · Ingia", key="owner_sign_in"):
        with ui.db() as conn:
            user = auth.sign_in_owner(conn, api_key)
        _finish(user)
with tabs[1]:
    if not auth.operator_enabled():
        st.caption("Operator sign-in is off (set MTAABOT_OPERATOR_PASSWORD to turn it on).")
    else:
        with st.form("operator_login"):
            username = st.text_input(
                "Operator name · Jina", key="login_operator_name",
                help="Your own account (`mtaabot operator add`). Empty only for the "
                     "bootstrap password, before any account exists.")
            password = st.text_input("Operator password", type="password", key="login_operator_password")
            if st.form_submit_button("Sign in as operator", key="operator_sign_in"):
                with ui.db() as conn:
                    _finish(auth.sign_in_operator(password, username, conn))
