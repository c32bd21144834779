"""Owner numbers per shop: the first one is trusted (whoever runs MtaaBot typed it); more are added with a
one-time code sent to that number, which the new owner sends back to the shop's WhatsApp."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Any

import psycopg

from mtaabot.phones import normalize_whatsapp_number

CODE_MINUTES = 30
MAX_CODE_ATTEMPTS = 5


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def add_trusted_owner(conn: psycopg.Connection, business_id: uuid.UUID | str, phone: str) -> dict[str, Any]:
    """A verified owner number (from `business create --owner-phone`)."""
    number = normalize_whatsapp_number(phone)
    conn.execute("UPDATE businesses SET owner_phone = coalesce(owner_phone, %s) WHERE id = %s", (number, str(business_id)))
    return conn.execute(
        """INSERT INTO business_owners (business_id, phone, verified_at) VALUES (%s, %s, CURRENT_TIMESTAMP)
           ON CONFLICT (business_id, phone) DO UPDATE SET verified_at = coalesce(business_owners.verified_at,
               CURRENT_TIMESTAMP), code_hash = NULL RETURNING *""", (str(business_id), number)).fetchone()


def start_verification(conn: psycopg.Connection, business_id: uuid.UUID | str, phone: str) -> tuple[dict[str, Any], str]:
    """Record an unverified owner number with a fresh one-time code; returns (row, code). The caller sends
    the code to that number; it is stored only as a hash."""
    number = normalize_whatsapp_number(phone)
    code = f"{secrets.randbelow(10**6):06d}"
    row = conn.execute(
        """INSERT INTO business_owners (business_id, phone, code_hash, code_expires_at)
           VALUES (%s, %s, %s, CURRENT_TIMESTAMP + make_interval(mins => %s))
           ON CONFLICT (business_id, phone) DO UPDATE SET code_hash = EXCLUDED.code_hash,
               code_expires_at = EXCLUDED.code_expires_at, code_attempts = 0
           RETURNING *""", (str(business_id), number, _hash(code), CODE_MINUTES)).fetchone()
    return row, code


def try_code(conn: psycopg.Connection, business_id: uuid.UUID | str, phone: str, text: str) -> bool | None:
    """A message from a number waiting for verification: True when it carries the right code (now verified),
    False for a wrong or expired code, None when this number is not waiting for one."""
    row = conn.execute(
        """SELECT * FROM business_owners WHERE business_id = %s AND phone = %s AND verified_at IS NULL
           AND code_hash IS NOT NULL FOR UPDATE""", (str(business_id), phone)).fetchone()
    if row is None:
        return None
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) != 6:
        return None  # not an attempt at the code: an ordinary message from that number
    expired = conn.execute("SELECT %s < CURRENT_TIMESTAMP AS x", (row["code_expires_at"],)).fetchone()["x"]
    if expired or row["code_attempts"] >= MAX_CODE_ATTEMPTS or not secrets.compare_digest(_hash(digits), row["code_hash"]):
        conn.execute("UPDATE business_owners SET code_attempts = code_attempts + 1 WHERE id = %s", (row["id"],))
        return False
    conn.execute("""UPDATE business_owners SET verified_at = CURRENT_TIMESTAMP, code_hash = NULL
                    WHERE id = %s""", (row["id"],))
    return True


OWNER_ROW = "SELECT 1 AS found FROM business_owners WHERE business_id = %s AND phone = %s LIMIT 1"


def may_be_owner(conn: psycopg.Connection, business: dict[str, Any], phone: str,
                 owner_row: bool | None = None) -> bool:
    """False when `phone` can be neither a verified owner nor a number waiting for its code (the shop's
    legacy owner_phone, or any owner row for it): then `try_code` is None and `is_owner` False, read with
    one indexed probe instead of three queries (the engine asks this for every customer message).
    `owner_row`: whether OWNER_ROW found a row, when the caller read it already."""
    if business.get("owner_phone") and business["owner_phone"] == phone:
        return True
    if owner_row is not None:
        return owner_row
    return conn.execute(OWNER_ROW, (str(business["id"]), phone)).fetchone() is not None


def is_owner(conn: psycopg.Connection, business_id: uuid.UUID | str, phone: str | None) -> bool:
    """A verified owner number of this shop (or its one legacy `owner_phone` when no owner rows exist)."""
    return bool(phone) and phone in owner_phones(conn, business_id)


def owner_phones(conn: psycopg.Connection, business_id: uuid.UUID | str) -> list[str]:
    """Verified owner numbers; the legacy `businesses.owner_phone` counts as verified when no row exists."""
    rows = [r["phone"] for r in conn.execute(
        "SELECT phone FROM business_owners WHERE business_id = %s AND verified_at IS NOT NULL ORDER BY added_at",
        (str(business_id),))]
    if rows:
        return rows
    legacy = conn.execute("SELECT owner_phone FROM businesses WHERE id = %s", (str(business_id),)).fetchone()
    return [legacy["owner_phone"]] if legacy and legacy["owner_phone"] else []
