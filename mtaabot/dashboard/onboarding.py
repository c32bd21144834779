"""Self-serve onboarding from the dashboard: open a shop, save the key, catalogue, WhatsApp, plan.

Off unless the operator sets MTAABOT_DASHBOARD_SIGNUP. Opening the shop is one transaction (business,
API key, onboarding row), so a refused or interrupted attempt leaves nothing behind. Each later step is
stamped in `shop_onboarding` when it is done or skipped, so an owner who leaves half-way resumes where
they stopped after signing in again. Problems carry a catalogue key (`signup.*`) and its fields, so the
page explains them in the owner's language.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import psycopg
import requests

from mtaabot import businesses
from mtaabot.config import get_settings
from mtaabot.phones import InvalidPhone, normalize_whatsapp_number

STEPS = ("key_saved_at", "catalogue_at", "whatsapp_at", "plan_at")
TONES = businesses.TONES


class SignupProblem(ValueError):
    """Something the owner can fix; `key` is the catalogue entry that explains it."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


def signup_enabled() -> bool:
    return bool(get_settings().dashboard_signup)


def progress(conn: psycopg.Connection, business_id: str | None) -> dict[str, Any] | None:
    """The shop's onboarding row, or None for shops not opened from the browser."""
    if not business_id:
        return None
    return conn.execute("SELECT * FROM shop_onboarding WHERE business_id = %s", (business_id,)).fetchone()


def pending(conn: psycopg.Connection, business_id: str | None) -> bool:
    row = progress(conn, business_id)
    return row is not None and row["completed_at"] is None


def next_step(row: dict[str, Any] | None) -> str | None:
    """The first step not done or skipped yet (None when the set-up is finished)."""
    if row is None:
        return None
    return next((s for s in STEPS if row[s] is None), None)


def sample_reply(tone: str, lang: str, shop: str) -> str:
    """How the bot greets a customer in this tone (the engine's own reply builder)."""
    from mtaabot.reply_builder import ReplyBuilder

    builder = ReplyBuilder(language="ENG" if lang == "en" else ("SHENG" if tone == "mtaa" else "SWA"), tone=tone,
                           business={"name": shop.strip() or "Duka"})
    return builder.greeting()


def open_shop(conn: psycopg.Connection, *, name: str, tone: str, whatsapp_number: str,
              location: str | None = None, opening_hours: str | None = None) -> dict[str, Any]:
    """Create the shop (14-day trial) and its onboarding row together; returns the row with the clear
    `api_key` (shown once). Raises SignupProblem for a missing or duplicate name, a bad or taken number."""
    name = " ".join((name or "").split())
    if not name:
        raise SignupProblem("signup.err_name")
    if tone not in TONES:
        raise SignupProblem("signup.err_tone")
    try:
        number = normalize_whatsapp_number(whatsapp_number)
    except InvalidPhone:
        raise SignupProblem("signup.err_number", number=(whatsapp_number or "").strip()) from None
    if conn.execute("SELECT 1 FROM businesses WHERE lower(name) = lower(%s)", (name,)).fetchone():
        raise SignupProblem("signup.err_name_taken", name=name)
    if conn.execute("SELECT 1 FROM businesses WHERE whatsapp_number = %s", (number,)).fetchone():
        raise SignupProblem("signup.err_number_taken")
    try:
        with conn.transaction():
            row = businesses.create_business(conn, name=name, tone=tone, whatsapp_number=number,
                                             location=(location or "").strip() or None,
                                             opening_hours=(opening_hours or "").strip() or None)
            conn.execute("INSERT INTO shop_onboarding (business_id) VALUES (%s)", (row["id"],))
    except businesses.InvalidBusiness:  # someone took the name or number a moment ago
        conn.rollback()
        raise SignupProblem("signup.err_name_taken", name=name) from None
    conn.commit()
    return row


def mark(conn: psycopg.Connection, business_id: str, step: str) -> dict[str, Any] | None:
    """Stamp a step as done (or skipped); the set-up is complete once every step is. Committed."""
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}")
    from psycopg import sql

    row = conn.execute(
        sql.SQL("UPDATE shop_onboarding SET {col} = coalesce({col}, CURRENT_TIMESTAMP) WHERE business_id = %s "
                "RETURNING *").format(col=sql.Identifier(step)), (business_id,)).fetchone()
    if row is not None and next_step(row) is None and row["completed_at"] is None:
        row = conn.execute("UPDATE shop_onboarding SET completed_at = CURRENT_TIMESTAMP WHERE business_id = %s "
                           "RETURNING *", (business_id,)).fetchone()
    conn.commit()
    return row


# ---- WhatsApp ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    key: str
    fields: dict[str, Any] = field(default_factory=dict)


def check_whatsapp(phone_number_id: str, access_token: str, *, timeout: float = 10.0) -> ConnectionCheck:
    """Ask the Graph API for the phone number with this token (`GET /{version}/{phone_number_id}`), as
    WhatsApp would authorise a send. The token is sent only to the configured Graph URL, never logged."""
    phone_number_id = (phone_number_id or "").strip()
    token = (access_token or "").strip()
    if not phone_number_id.isdigit() or not token:
        return ConnectionCheck(False, "signup.err_fields")
    settings = get_settings()
    url = f"{settings.whatsapp_graph_url.rstrip('/')}/{settings.whatsapp_api_version}/{phone_number_id}"
    try:
        resp = requests.get(url, params={"fields": "display_phone_number,verified_name"},
                            headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
    except requests.RequestException as exc:
        return ConnectionCheck(False, "signup.err_unreachable", {"error": type(exc).__name__})
    try:
        body = resp.json()
    except ValueError:
        body = {}
    if resp.status_code == 200 and isinstance(body, dict) and "error" not in body:
        return ConnectionCheck(True, "signup.connected", {
            "number": str(body.get("display_phone_number") or phone_number_id),
            "name": str(body.get("verified_name") or "—")})
    error = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else {}
    code = error.get("code", resp.status_code)
    if resp.status_code == 401 or code in (190, 102, 10, 200):
        return ConnectionCheck(False, "signup.err_token", {"code": code})
    if resp.status_code in (400, 404) or code in (100, 803):
        return ConnectionCheck(False, "signup.err_number_id", {"code": code})
    return ConnectionCheck(False, "signup.err_unreachable", {"error": f"HTTP {resp.status_code}"})


def connect_whatsapp(conn: psycopg.Connection, business_id: str, phone_number_id: str,
                     access_token: str) -> str:
    """Store the (checked) phone number id and the access token, encrypted; returns the webhook verify
    token to give Meta (stored hashed, so it is shown once). Committed."""
    verify_token = secrets.token_urlsafe(18)
    try:
        businesses.connect_whatsapp(conn, business_id, phone_number_id=phone_number_id.strip(),
                                    access_token=access_token.strip(), verify_token=verify_token)
    except businesses.InvalidBusiness:
        conn.rollback()
        raise SignupProblem("signup.err_id_taken") from None
    conn.commit()
    return verify_token


def webhook_url() -> str:
    base = get_settings().public_url or "https://<your-host>"
    return base.rstrip("/") + "/webhook"
