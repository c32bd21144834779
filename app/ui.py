"""Small view helpers shared by the dashboard pages: session user, business scope, DB access, empty states."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import streamlit as st

from mtaabot.dashboard import auth
from mtaabot.dashboard.formatting import label
from mtaabot.dashboard.marts import MartData, load_mart

USER_KEY = "mtaabot_user"
BUSINESS_KEY = "operator_business"


@contextmanager
def db() -> Iterator[psycopg.Connection]:
    """A pooled connection for one page action (committed on success)."""
    from mtaabot.db import connection

    with connection() as conn:
        yield conn


def current_user() -> auth.DashboardUser | None:
    """The signed-in user, or None. A session ends here when the shop's API key was rotated or the operator's
    account removed since sign-in (checked once per page run)."""
    user = st.session_state.get(USER_KEY)
    if not isinstance(user, auth.DashboardUser):
        return None
    with db() as conn:
        valid = auth.session_valid(conn, user)
    if not valid:
        for key in (USER_KEY, BUSINESS_KEY):
            st.session_state.pop(key, None)
        st.session_state["session_ended"] = True
        return None
    return user


def require_user() -> auth.DashboardUser:
    user = current_user()
    if user is None:
        st.warning("Please sign in first · Tafadhali ingia kwanza")
        st.stop()
    return user


def business() -> tuple[str, str]:
    """(business_id, name) this page shows, decided server-side from the signed-in user."""
    user = require_user()
    with db() as conn:
        requested = st.session_state.get(BUSINESS_KEY) if user.is_operator else None
        business_id = auth.business_scope(conn, user, requested)
        if business_id is None:
            st.info("No shops yet. Create one with `mtaabot business create --name … --tone mtaa "
                    "--whatsapp-number 2547…` · Hakuna duka bado.")
            st.stop()
        names = {b["id"]: b["name"] for b in auth.visible_businesses(conn, user)}
    return business_id, names.get(business_id, "")


def page_header(key: str, shop: str) -> None:
    st.title(label(key))
    st.caption(shop)


@st.cache_data(ttl=60, show_spinner=False, max_entries=500)
def _cached_mart(database: str, name: str, business_id: str, options: tuple) -> MartData:
    return load_mart(name, business_id, **dict(options))


def mart(name: str, business_id: str, **options: object) -> MartData:
    """A mart's rows for this business, cached for a minute per (database, mart, business); the marts
    themselves only change when dbt runs."""
    from mtaabot.db import database_url

    data = _cached_mart(database_url(), name, business_id, tuple(sorted(options.items())))
    if data.missing:
        _cached_mart.clear()  # do not remember "not built yet"
    return data


def show_missing(data: MartData) -> bool:
    """Explain an unbuilt mart; True when the caller should skip its chart."""
    if data.missing:
        st.info(data.missing)
        return True
    return False


def connect_whatsapp_hint(shop: str) -> None:
    st.info(
        "No WhatsApp messages yet · Bado hakuna jumbe za WhatsApp.\n\n"
        "Connect your WhatsApp Business number so customers' chats reach MtaaBot:\n\n"
        f"`mtaabot business connect-whatsapp --business \"{shop}\" --phone-number-id <ID> "
        "--access-token <TOKEN> --verify-token <VERIFY>`\n\n"
        "Then point the Meta webhook at `https://<your-host>/webhook`. Numbers appear here after the "
        "first chats and the next analytics refresh."
    )
