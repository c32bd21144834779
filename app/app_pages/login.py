"""Sign-in page: owners with their business API key; the operator with MTAABOT_OPERATOR_PASSWORD."""

from __future__ import annotations

import time

import streamlit as st
import ui
from ui import t

from mtaabot.dashboard import auth, onboarding

ui.language_switch()
st.title(f"MtaaBot · {t('nav.sign_in')}")
st.write(t("login.intro"))


def _failed() -> None:
    st.session_state["login_failures"] = st.session_state.get("login_failures", 0) + 1
    time.sleep(min(2.0, 0.25 * st.session_state["login_failures"]))  # slow down guessing
    st.error(t("login.failed"))


def _finish(user: auth.DashboardUser | None) -> None:
    """Keep a signed-in user in the session and show the pages, or count a failed attempt."""
    if user is None:
        _failed()
        return
    ui.sign_in_as(user)
    st.session_state["login_failures"] = 0
    st.rerun()


if st.session_state.pop("session_ended", False):  # the API key was rotated or the account removed
    st.info(ui.t_or("login.session_ended", "Your session ended (the shop's API key was changed). Sign in again · "
                                           "Kikao kimeisha, ingia tena."))
tabs = st.tabs([t("login.owner_tab"), t("login.operator_tab")])
with tabs[0]:
    with st.form("owner_login"):
        api_key = st.text_input(t("login.api_key"), type="password", key="login_api_key",
                                help=t("login.api_key_help"))
        if st.form_submit_button(t("login.submit"), key="owner_sign_in"):
            with ui.db() as conn:
                user = auth.sign_in_owner(conn, api_key)
            _finish(user)
    if onboarding.signup_enabled():
        st.caption(t("login.no_shop_yet"))
        st.page_link("app_pages/signup.py", label=t("login.open_shop"), icon=":material/add_business:")
with tabs[1]:
    if not auth.operator_enabled():
        st.caption(t("login.operator_off"))
    else:
        with st.form("operator_login"):
            username = st.text_input(
                ui.t_or("login.operator_name", "Operator name · Jina"), key="login_operator_name",
                help=ui.t_or("login.operator_name_help", "Your own account (`mtaabot operator add`). Empty only for the "
                                 "bootstrap password, before any account exists."))
            password = st.text_input(t("login.operator_password"), type="password", key="login_operator_password")
            if st.form_submit_button(t("login.operator_submit"), key="operator_sign_in"):
                with ui.db() as conn:
                    _finish(auth.sign_in_operator(password, username, conn))
