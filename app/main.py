"""MtaaBot owner dashboards (Streamlit): sign-in gate, sidebar with business switcher, page navigation."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import streamlit as st  # noqa: E402
import ui  # noqa: E402

from mtaabot.dashboard import auth  # noqa: E402
from mtaabot.dashboard.formatting import label  # noqa: E402

st.set_page_config(page_title="MtaaBot", page_icon=":material/forum:", layout="wide")
try:
    st.set_option("client.toolbarMode", "viewer")  # owners need no "Deploy" menu
except Exception:  # noqa: BLE001 - an older/newer Streamlit that refuses it just keeps its default
    pass

PAGES_DIR = Path(__file__).resolve().parent / "app_pages"


def _sidebar(user: auth.DashboardUser) -> None:
    with st.sidebar:
        st.markdown(f"**{user.display_name}**  \n{'Operator' if user.is_operator else 'Owner · Mwenye duka'}")
        if user.is_operator:
            with ui.db() as conn:
                shops = auth.visible_businesses(conn, user)
            if shops:
                ids = [s["id"] for s in shops]
                names = {s["id"]: s["name"] for s in shops}
                if st.session_state.get(ui.BUSINESS_KEY) not in ids:
                    st.session_state[ui.BUSINESS_KEY] = ids[0]
                st.selectbox("Business · Biashara", ids, key=ui.BUSINESS_KEY, format_func=names.__getitem__)
        if st.button("Sign out · Toka", key="sign_out"):
            for key in (ui.USER_KEY, ui.BUSINESS_KEY):
                st.session_state.pop(key, None)
            st.rerun()


user = ui.current_user()
if user is None:
    nav = st.navigation([st.Page(PAGES_DIR / "login.py", title=label("sign_in"), icon=":material/key:", default=True)])
else:
    nav = st.navigation([
        st.Page(PAGES_DIR / "overview.py", title=label("overview"), icon=":material/insights:", default=True),
        st.Page(PAGES_DIR / "conversations.py", title=label("conversations"), icon=":material/forum:"),
        st.Page(PAGES_DIR / "languages.py", title=label("languages"), icon=":material/translate:"),
        st.Page(PAGES_DIR / "usage.py", title=label("usage"), icon=":material/data_usage:"),
        st.Page(PAGES_DIR / "products.py", title=label("products"), icon=":material/storefront:"),
        st.Page(PAGES_DIR / "orders.py", title=label("orders"), icon=":material/shopping_cart:"),
        st.Page(PAGES_DIR / "billing.py", title=label("billing"), icon=":material/payments:"),
    ] + ([st.Page(PAGES_DIR / "operator.py", title="Operator · Shops", icon=":material/shield_person:")]
         if user.is_operator else []))  # suspend / reactivate shops, audit log (issue 22)
    _sidebar(user)
nav.run()
