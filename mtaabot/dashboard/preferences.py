"""Per-user dashboard preferences kept in the database (today: the language, sw or en)."""

from __future__ import annotations

import psycopg

from mtaabot.dashboard.auth import DashboardUser
from mtaabot.dashboard.i18n import Lang, default_language, normalise


def user_key(user: DashboardUser) -> str:
    """`owner:<business id>` or `operator:<name>`: who the preference belongs to."""
    if user.is_operator:
        return f"operator:{(user.display_name or 'operator')[:100]}"
    return f"owner:{user.business_id}"


def stored_language(conn: psycopg.Connection, user: DashboardUser) -> Lang | None:
    row = conn.execute("SELECT language FROM dashboard_preferences WHERE user_key = %s",
                       (user_key(user),)).fetchone()
    return normalise(row["language"]) if row else None


def language_for(conn: psycopg.Connection, user: DashboardUser) -> Lang:
    """The stored choice; else Kiswahili for an owner whose shop's tone is mtaa or rafiki, English otherwise."""
    stored = stored_language(conn, user)
    if stored is not None:
        return stored
    if user.is_operator or not user.business_id:
        return "en"
    row = conn.execute("SELECT tone FROM businesses WHERE id = %s", (user.business_id,)).fetchone()
    return default_language(row["tone"] if row else None)


def set_language(conn: psycopg.Connection, user: DashboardUser, language: str) -> Lang:
    """Remember the user's language (committed)."""
    lang = normalise(language)
    conn.execute(
        """INSERT INTO dashboard_preferences (user_key, business_id, language) VALUES (%s, %s, %s)
           ON CONFLICT (user_key) DO UPDATE SET language = EXCLUDED.language, updated_at = CURRENT_TIMESTAMP""",
        (user_key(user), None if user.is_operator else user.business_id, lang))
    conn.commit()
    return lang
