"""MtaaBot owner dashboards (Streamlit): sign-in gate, sidebar with language and business switcher, pages."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import streamlit as st  # noqa: E402
import ui  # noqa: E402

from mtaabot.dashboard import auth  # noqa: E402

st.set_page_config(page_title="MtaaBot", page_icon=":material/forum:", layout="wide")
try:
    st.set_option("client.toolbarMode", "viewer")  # owners need no "Deploy" menu
except Exception:  # noqa: BLE001 - an older/newer Streamlit that refuses it just keeps its default
    pass

PAGES_DIR = Path(__file__).resolve().parent / "app_pages"


def _sidebar(user: auth.DashboardUser) -> None:
    with st.sidebar:
        st.markdown(f"**{user.display_name}**  \n{ui.t('sidebar.operator' if user.is_operator else 'sidebar.owner')}")
        ui.language_switch()
        if user.is_operator:
            with ui.db() as conn:
                shops = auth.visible_businesses(conn, user)
            if shops:
                ids = [s["id"] for s in shops]
                names = {s["id"]: s["name"] for s in shops}
                if st.session_state.get(ui.BUSINESS_KEY) not in ids:
                    st.session_state[ui.BUSINESS_KEY] = ids[0]
                st.selectbox(ui.t("sidebar.business"), ids, key=ui.BUSINESS_KEY, format_func=names.__getitem__)
        if st.button(ui.t("sidebar.sign_out"), key="sign_out"):
            for key in list(st.session_state):  # nothing of this shop stays in the browser session
                if key not in (ui.LANG_KEY, ui.LANG_CHOSEN):
                    st.session_state.pop(key, None)
            st.rerun()


def _setup_pending(user: auth.DashboardUser) -> bool:
    """An owner who opened their shop from the browser and has not finished (or skipped) every step."""
    if user.is_operator:
        return False
    from mtaabot.dashboard import onboarding

    with ui.db() as conn:
        return onboarding.pending(conn, user.business_id)


ui.phone_css()
user = ui.current_user()
if user is None:
    pages = [st.Page(PAGES_DIR / "login.py", title=ui.t("nav.sign_in"), icon=":material/key:", default=True)]
    from mtaabot.dashboard import onboarding

    if onboarding.signup_enabled():
        pages.append(st.Page(PAGES_DIR / "signup.py", title=ui.t("nav.signup"), icon=":material/add_business:"))
    nav = st.navigation(pages)
else:
    setup = _setup_pending(user)
    pages = [
        st.Page(PAGES_DIR / "overview.py", title=ui.t("nav.overview"), icon=":material/insights:", default=not setup),
        st.Page(PAGES_DIR / "conversations.py", title=ui.t("nav.conversations"), icon=":material/forum:"),
        st.Page(PAGES_DIR / "languages.py", title=ui.t("nav.languages"), icon=":material/translate:"),
        st.Page(PAGES_DIR / "usage.py", title=ui.t("nav.usage"), icon=":material/data_usage:"),
        st.Page(PAGES_DIR / "products.py", title=ui.t("nav.products"), icon=":material/storefront:"),
        st.Page(PAGES_DIR / "orders.py", title=ui.t("nav.orders"), icon=":material/shopping_cart:"),
        st.Page(PAGES_DIR / "billing.py", title=ui.t("nav.billing"), icon=":material/payments:"),
    ]
    if setup:
        pages.insert(0, st.Page(PAGES_DIR / "signup.py", title=ui.t("nav.setup"), icon=":material/add_business:",
                                default=True))
    if user.is_operator:  # suspend / reactivate shops, audit log (issue 22)
        pages.append(st.Page(PAGES_DIR / "operator.py", title=ui.t("nav.operator"), icon=":material/shield_person:"))
    nav = st.navigation(pages)
    _sidebar(user)
nav.run()
