"""M-Pesa (Daraja) STK callback: POST /mpesa/callback/<token>, secret path token + optional IP allowlist."""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging

import psycopg
from flask import Blueprint, jsonify, request

from mtaabot.billing.payments import (
    MalformedCallback,
    allowed_callback_networks,
    confirm_held_soon,
    handle_callback,
)
from mtaabot.config import get_settings
from mtaabot.db import connection

log = logging.getLogger(__name__)
bp = Blueprint("mpesa", __name__)


def _token_ok(token: str) -> bool:
    expected = get_settings().mpesa_callback_token or ""
    return bool(expected) and hmac.compare_digest(token.encode(), expected.encode())


def _client_ip() -> str:
    if get_settings().mpesa_trust_forwarded_for and request.access_route:
        return request.access_route[-1]  # the address our own proxy appended (the left ones can be forged)
    return request.remote_addr or ""


def _ip_allowed(ip: str) -> bool:
    """MPESA_ALLOWED_IPS: comma-separated addresses or CIDR blocks (`safaricom` = Safaricom's published
    callback addresses); unset = any source."""
    allowed = allowed_callback_networks(get_settings().mpesa_allowed_networks)
    if not allowed:
        return True
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for entry in allowed:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            log.warning("MPESA_ALLOWED_IPS has an invalid entry %r", entry)
    return False


def _answer(status: int, code: int, desc: str):
    return jsonify(ResultCode=code, ResultDesc=desc), status


@bp.post("/mpesa/callback/<token>")
def callback(token: str):
    if not _token_ok(token):
        log.warning("M-Pesa callback with a wrong path token from %s", request.remote_addr)
        return jsonify(error="not found"), 404
    ip = _client_ip()
    if not _ip_allowed(ip):
        log.warning("M-Pesa callback from %s refused (not in MPESA_ALLOWED_IPS)", ip)
        return _answer(403, 1, "Forbidden")
    try:
        payload = json.loads(request.get_data(cache=False))
    except (ValueError, RecursionError):
        log.warning("M-Pesa callback from %s: body is not JSON", ip)
        return _answer(400, 1, "Rejected: body is not JSON")
    try:
        with connection() as conn:
            outcome = handle_callback(conn, payload, remote_addr=ip)
    except MalformedCallback as exc:
        log.warning("M-Pesa callback from %s rejected: %s", ip, exc)
        return _answer(400, 1, f"Rejected: {exc}")
    except psycopg.OperationalError:
        log.exception("M-Pesa callback could not be stored (database unavailable)")
        return _answer(503, 1, "Temporarily unavailable")
    if outcome.outcome == "early":  # no payment carries this id yet: kept, applied when the push's answer is stored
        return _answer(202, 0, "Accepted (kept until its payment request is stored)")
    if outcome.outcome == "held":  # Amount/phone differ from what was asked: M-Pesa's STK query decides
        confirm_held_soon(payload["Body"]["stkCallback"]["CheckoutRequestID"])
    return _answer(200, 0, f"Accepted ({outcome.outcome})")
