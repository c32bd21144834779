"""Checkout: a shop's payment settings (its own till or paybill) and M-Pesa prompts for orders.

The engine only *queues* a prompt (an `order_payments` row) inside the chat transaction; the worker's
payment loop sends the STK Push outside any transaction and retries while Daraja is down; the
callback (same endpoint and hardening as subscription payments) settles it: full amount -> order
paid, stock decremented, receipt to the customer, owner told; anything else -> the customer is told
and can retry ("lipa tena").
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import psycopg

from mtaabot.businesses import InvalidBusiness

_SHORTCODE = re.compile(r"[0-9]{5,10}")
_ACCOUNT = re.compile(r"[A-Za-z0-9 _-]{1,12}")


def set_payment_settings(conn: psycopg.Connection, business_id: uuid.UUID | str, *, till: str | None = None,
                         paybill: str | None = None, account: str | None = None,
                         store_number: str | None = None) -> dict[str, Any]:
    """Record how this shop's customers pay: `till` (Buy Goods) or `paybill` + `account`.

    InvalidBusiness with a readable reason for a bad combination or value."""
    if bool(till) == bool(paybill):
        raise InvalidBusiness("give exactly one of --till or --paybill")
    code = (till or paybill or "").strip()
    if not _SHORTCODE.fullmatch(code):
        raise InvalidBusiness(f"{code!r} is not a till or paybill number (5 to 10 digits)")
    if paybill and not (account and _ACCOUNT.fullmatch(account.strip())):
        raise InvalidBusiness("a paybill needs --account: the account reference customers pay to "
                              "(1-12 letters, digits, spaces, - or _)")
    if till and account:
        raise InvalidBusiness("--account is only for a paybill; a till has no account number")
    if store_number is not None and not _SHORTCODE.fullmatch(store_number.strip()):
        raise InvalidBusiness(f"{store_number!r} is not a store number (5 to 10 digits)")
    return conn.execute(
        """INSERT INTO business_payment_settings (business_id, method, shortcode, store_number, account_reference)
           VALUES (%s, %s, %s, %s, %s)
           ON CONFLICT (business_id) DO UPDATE SET method = EXCLUDED.method, shortcode = EXCLUDED.shortcode,
               store_number = EXCLUDED.store_number, account_reference = EXCLUDED.account_reference,
               updated_at = CURRENT_TIMESTAMP
           RETURNING *""",
        (str(business_id), "till" if till else "paybill", code, store_number.strip() if store_number else None,
         account.strip() if account and paybill else None)).fetchone()


def payment_settings(conn: psycopg.Connection, business_id: uuid.UUID | str) -> dict[str, Any] | None:
    return conn.execute("SELECT * FROM business_payment_settings WHERE business_id = %s",
                        (str(business_id),)).fetchone()
