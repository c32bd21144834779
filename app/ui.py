"""Small view helpers shared by the dashboard pages: session user, language, business scope, DB access,
empty states, phone-friendly tables. Every text comes from the catalogue through `t`."""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
import streamlit as st

from mtaabot.dashboard import auth, i18n
from mtaabot.dashboard.marts import MartData, load_mart

USER_KEY = "mtaabot_user"
BUSINESS_KEY = "operator_business"
LANG_KEY = "ui_lang"  # the language shown (sw | en)
LANG_WIDGET = "lang_switch"
LANG_CHOSEN = "ui_lang_chosen"  # the visitor picked a language before signing in


@contextmanager
def db() -> Iterator[psycopg.Connection]:
    """A pooled connection for one page action (committed on success)."""
    from mtaabot.db import connection

    with connection() as conn:
        yield conn


# ---- language -----------------------------------------------------------------------------------

def lang() -> i18n.Lang:
    return i18n.normalise(st.session_state.get(LANG_KEY, "sw"))


def t(key: str, **fields: Any) -> str:
    """The catalogue text for `key` in the signed-in user's language."""
    return i18n.text(lang(), key, **fields)


def t_or(key: str, fallback: str) -> str:
    return i18n.text_or(lang(), key, fallback)


def day(value: Any, **kwargs: Any) -> str:
    return i18n.day(lang(), value, **kwargs)


def _language_changed() -> None:
    chosen = i18n.normalise(st.session_state.get(LANG_WIDGET))
    st.session_state[LANG_KEY] = chosen
    st.session_state[LANG_CHOSEN] = True
    user = current_user()
    if user is not None:
        from mtaabot.dashboard import preferences

        with db() as conn:
            preferences.set_language(conn, user, chosen)


def language_switch() -> None:
    """Kiswahili | English; remembered for the signed-in user."""
    st.session_state[LANG_WIDGET] = lang()
    st.radio(t("sidebar.language"), list(i18n.LANGS), key=LANG_WIDGET, horizontal=True,
             format_func=i18n.LANGUAGE_LABELS.__getitem__, on_change=_language_changed,
             label_visibility="collapsed")


def sign_in_as(user: auth.DashboardUser) -> None:
    """Keep a signed-in user in the session, in their remembered language (or the shop's default)."""
    from mtaabot.dashboard import preferences

    with db() as conn:
        stored = preferences.stored_language(conn, user)
        if stored is None and st.session_state.get(LANG_CHOSEN):
            language = preferences.set_language(conn, user, lang())  # what they picked on the sign-in page
        else:
            language = stored or preferences.language_for(conn, user)
    st.session_state[USER_KEY] = user
    st.session_state[LANG_KEY] = language


# ---- who and which shop ---------------------------------------------------------------------------

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
        st.warning(t("common.sign_in_first"))
        st.stop()
    return user


def business() -> tuple[str, str]:
    """(business_id, name) this page shows, decided server-side from the signed-in user."""
    user = require_user()
    with db() as conn:
        requested = st.session_state.get(BUSINESS_KEY) if user.is_operator else None
        business_id = auth.business_scope(conn, user, requested)
        if business_id is None:
            st.info(t("common.no_shops"))
            st.stop()
        names = {b["id"]: b["name"] for b in auth.visible_businesses(conn, user)}
    return business_id, names.get(business_id, "")


def page_header(key: str, shop: str) -> None:
    st.title(t(f"nav.{key}"))
    st.caption(shop)
    from mtaabot.dashboard.freshness import data_as_of  # issue 24: "data as of HH:MM" (Nairobi), mart pages

    if (as_of := data_as_of(key)) is not None:
        line = t("freshness.as_of", time=as_of.time) if as_of.time else t("freshness.never")
        st.caption(line + (f" · {t('freshness.delayed')}" if as_of.delayed else ""))


# ---- marts ----------------------------------------------------------------------------------------

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


def show_missing(data: MartData, name: str = "") -> bool:
    """Explain an unbuilt mart; True when the caller should skip its chart."""
    if data.missing:
        st.info(t("common.mart_missing", name=name or "mart"))
        return True
    return False


def connect_whatsapp_hint(shop: str) -> None:
    st.info(t("common.connect_whatsapp", shop=shop))


# ---- phone-sized ---------------------------------------------------------------------------------

PHONE_CSS = """
<style>
/* Tables collapse to cards on a phone: the wide table on larger screens, the cards below 640 px. */
@media (max-width: 640px) { div[class*="st-key-wide_"] { display: none !important; } }
@media (min-width: 641px) { div[class*="st-key-cards_"] { display: none !important; } }
.mtb-card { border: 1px solid rgba(128,128,128,.35); border-radius: .5rem; padding: .5rem .75rem;
            margin-bottom: .5rem; overflow-wrap: anywhere; }
.mtb-card b { font-weight: 600; }
/* On a phone, side-by-side numbers sit two to a row instead of one long column. */
@media (max-width: 640px) {
  div[data-testid="stHorizontalBlock"] { flex-wrap: wrap !important; gap: .5rem 1rem !important; }
  div[data-testid="stHorizontalBlock"] > div[data-testid="stColumn"] {
    flex: 1 1 calc(50% - 1rem) !important; min-width: calc(50% - 1rem) !important; width: auto !important; }
  div[data-testid="stMetricValue"] { font-size: 1.6rem; }
}
/* Nothing may push the page wider than the screen. */
.stMainBlockContainer { max-width: 100%; }
.stMarkdown code { white-space: pre-wrap; word-break: break-all; }
</style>
"""


def phone_css() -> None:
    st.html(PHONE_CSS)


def table(name: str, rows: Sequence[dict[str, Any]], *, title_column: str | None = None,
          column_config: dict[str, Any] | None = None) -> None:
    """A table on large screens that collapses to one card per row on a phone (CSS media queries)."""
    import pandas as pd

    with st.container(key=f"wide_{name}"):
        st.dataframe(pd.DataFrame(list(rows)), hide_index=True, width="stretch", column_config=column_config)
    with st.container(key=f"cards_{name}"):
        cards = []
        for row in rows:
            items = list(row.items())
            head = str(row.get(title_column, "")) if title_column else ""
            body = "<br>".join(f"<b>{html.escape(str(k))}</b>: {html.escape(str(v))}" for k, v in items
                               if k != title_column)
            cards.append(f'<div class="mtb-card">{"<b>" + html.escape(head) + "</b><br>" if head else ""}{body}</div>')
        st.html("".join(cards))
