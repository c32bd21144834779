"""Businesses (tenants): creation with a hashed API key, lookup by id or name, WhatsApp connection."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from typing import Any

import psycopg
from psycopg import sql

from mtaabot.phones import normalize_whatsapp_number

TONES = ("mtaa", "rafiki", "kazi", "sana")
TRIAL_DAYS = 14
API_KEY_PREFIX = "mtb_"


class BusinessNotFound(LookupError):
    """No business matches the given id or name."""


class InvalidBusiness(ValueError):
    """Business fields that cannot be stored (bad tone, duplicate name or number...)."""


def generate_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(api_key: str) -> str:
    """API keys are 256-bit random, so a plain SHA-256 is enough (no salt/stretching needed)."""
    return "sha256$" + hashlib.sha256(api_key.encode()).hexdigest()


def create_business(
    conn: psycopg.Connection,
    *,
    name: str,
    tone: str = "mtaa",
    whatsapp_number: str | None = None,
    location: str | None = None,
    opening_hours: str | None = None,
    description: str | None = None,
    owner_phone: str | None = None,
) -> dict[str, Any]:
    """Create a business on a 14-day trial. Returns its row plus the clear `api_key` (shown once)."""
    name = (name or "").strip()
    if not name:
        raise InvalidBusiness("business name is required")
    if tone not in TONES:
        raise InvalidBusiness(f"tone must be one of {', '.join(TONES)} (got {tone!r})")
    number = normalize_whatsapp_number(whatsapp_number) if whatsapp_number else None
    owner_phone = normalize_whatsapp_number(owner_phone) if owner_phone else None
    api_key = generate_api_key()
    try:
        with conn.transaction():
            row = conn.execute(
                """
                INSERT INTO businesses (name, location, tone, whatsapp_number, status, trial_ends_at,
                                        opening_hours, description, owner_phone)
                VALUES (%s, %s, %s, %s, 'trial', CURRENT_TIMESTAMP + make_interval(days => %s), %s, %s, %s)
                RETURNING *
                """,
                (name, location, tone, number, TRIAL_DAYS, opening_hours, description, owner_phone),
            ).fetchone()
            conn.execute(
                "INSERT INTO api_configs (business_id, mtaabot_api_key, api_key_prefix) VALUES (%s, %s, %s)",
                (row["id"], hash_api_key(api_key), api_key[:10]),
            )
            if owner_phone:  # the first owner number is trusted: whoever runs MtaaBot typed it
                conn.execute("""INSERT INTO business_owners (business_id, phone, verified_at)
                                VALUES (%s, %s, CURRENT_TIMESTAMP)""", (row["id"], owner_phone))
    except psycopg.errors.UniqueViolation as exc:
        raise InvalidBusiness(f"a business with this name or WhatsApp number already exists: {name}") from exc
    return {**row, "api_key": api_key}


def get_business(conn: psycopg.Connection, business_id: uuid.UUID | str) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM businesses WHERE id = %s", (str(business_id),)).fetchone()
    if row is None:
        raise BusinessNotFound(f"no business with id {business_id}")
    return row


def resolve_business(conn: psycopg.Connection, id_or_name: str) -> dict[str, Any]:
    """Find a business by UUID or by (case-insensitive) name."""
    try:
        return get_business(conn, uuid.UUID(str(id_or_name)))
    except ValueError:
        pass
    row = conn.execute("SELECT * FROM businesses WHERE lower(name) = lower(%s)", (id_or_name.strip(),)).fetchone()
    if row is None:
        raise BusinessNotFound(f"no business named {id_or_name!r}; `mtaabot business list` shows them")
    return row


def list_businesses(conn: psycopg.Connection) -> list[dict[str, Any]]:
    return conn.execute("SELECT * FROM businesses ORDER BY name").fetchall()


def business_for_api_key(conn: psycopg.Connection, api_key: str) -> dict[str, Any] | None:
    """The business owning this clear API key, or None. Compares hashes in constant time."""
    if not api_key or not api_key.startswith(API_KEY_PREFIX):
        return None
    digest = hash_api_key(api_key)
    row = conn.execute(
        """SELECT b.*, a.mtaabot_api_key FROM api_configs a JOIN businesses b ON b.id = a.business_id
           WHERE a.mtaabot_api_key = %s""",
        (digest,),
    ).fetchone()
    if row is None or not hmac.compare_digest(row.pop("mtaabot_api_key"), digest):
        return None
    return row


def rotate_api_key(conn: psycopg.Connection, business_id: uuid.UUID | str) -> str:
    api_key = generate_api_key()
    conn.execute(
        """UPDATE api_configs SET mtaabot_api_key = %s, api_key_prefix = %s, updated_at = CURRENT_TIMESTAMP
           WHERE business_id = %s""",
        (hash_api_key(api_key), api_key[:10], str(business_id)),
    )
    return api_key


def connect_whatsapp(
    conn: psycopg.Connection,
    business_id: uuid.UUID | str,
    *,
    phone_number_id: str,
    access_token: str,
    verify_token: str,
) -> None:
    """Store the Cloud API phone number id, access token and webhook verify token for a business."""
    from mtaabot.secretbox import encrypt, hash_verify_token  # token encrypted, verify token hashed at rest

    try:
        with conn.transaction():
            conn.execute(
                """
                INSERT INTO api_configs (business_id, whatsapp_phone_number_id, whatsapp_access_token,
                                         webhook_verify_token)
                VALUES (%s, %s, %s, %s)
                ON CONFLICT (business_id) DO UPDATE SET
                    whatsapp_phone_number_id = EXCLUDED.whatsapp_phone_number_id,
                    whatsapp_access_token = EXCLUDED.whatsapp_access_token,
                    webhook_verify_token = EXCLUDED.webhook_verify_token,
                    updated_at = CURRENT_TIMESTAMP
                """,
                (str(business_id), phone_number_id, encrypt(access_token), hash_verify_token(verify_token)),
            )
    except psycopg.errors.UniqueViolation as exc:
        raise InvalidBusiness(f"phone number id {phone_number_id} is already connected to another business") from exc


PROFILE_FIELDS = {"tone": 50, "location": 255, "opening_hours": 1000, "description": 4000, "owner_phone": 20,
                  "timezone": 50}  # owner-editable profile fields and their longest value


def update_profile(conn: psycopg.Connection, business_id: uuid.UUID | str, **fields: Any) -> dict[str, Any]:
    """Check and store owner-editable profile fields (PROFILE_FIELDS) in one update; returns the row.

    Raises InvalidBusiness naming the first problem: a field that cannot be changed, a value that is not a string
    (or None), too long, an unknown tone or timezone, a phone number that is not Kenyan."""
    unknown = sorted(set(fields) - set(PROFILE_FIELDS))
    if unknown:
        raise InvalidBusiness(f"these fields cannot be changed here: {', '.join(map(str, unknown))}")
    for key, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise InvalidBusiness(f"{key} must be a string or null")
        if isinstance(value, str) and len(value) > PROFILE_FIELDS[key]:
            raise InvalidBusiness(f"{key} is longer than {PROFILE_FIELDS[key]} characters")
    if "tone" in fields and fields["tone"] not in TONES:
        raise InvalidBusiness(f"tone must be one of {', '.join(TONES)}")
    if fields.get("owner_phone"):
        from mtaabot.phones import InvalidPhone, normalize_ke_msisdn

        try:
            fields["owner_phone"] = normalize_ke_msisdn(fields["owner_phone"])
        except InvalidPhone as exc:
            raise InvalidBusiness(str(exc)) from None
    if fields.get("timezone"):
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(fields["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidBusiness(f"unknown timezone {fields['timezone']!r}") from None
    if not fields:
        return get_business(conn, business_id)
    assignments = sql.SQL(", ").join(sql.SQL("{} = {}").format(sql.Identifier(k), sql.Placeholder(k)) for k in fields)
    return conn.execute(
        sql.SQL("UPDATE businesses SET {}, updated_at = CURRENT_TIMESTAMP WHERE id = {} RETURNING *").format(
            assignments, sql.Placeholder("_id")), fields | {"_id": str(business_id)}).fetchone()
