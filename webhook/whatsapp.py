"""WhatsApp Cloud API webhook: `GET /webhook` verification and signed `POST /webhook` deliveries.

Thin: checks the signature over the raw body, parses, and hands each change to
`mtaabot.whatsapp.inbound` (store once + enqueue). Replies are produced by the worker, so Meta gets
its 200 within milliseconds. Database trouble answers 503 so Meta retries; nothing answers 500.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

import psycopg
from flask import Blueprint, Response, jsonify, request
from psycopg_pool import PoolTimeout

from mtaabot.config import get_settings
from mtaabot.db import get_pool
from mtaabot.whatsapp.inbound import DeliveryReport, process_batch
from mtaabot.whatsapp.payloads import PayloadError, loads, parse_body

log = logging.getLogger(__name__)
bp = Blueprint("whatsapp", __name__)


def signature_ok(secret: str, body: bytes, header: str) -> bool:
    """X-Hub-Signature-256 = 'sha256=' + hex HMAC-SHA256(raw body, app secret), compared in constant time."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.strip().encode("utf-8", "replace"))


@bp.get("/webhook")
def verify() -> Response | tuple[Response, int]:
    mode = request.args.get("hub.mode", "")
    token = request.args.get("hub.verify_token", "")
    challenge = request.args.get("hub.challenge", "")
    if mode != "subscribe" or not token or not challenge:
        return jsonify(error="expected hub.mode=subscribe, hub.verify_token and hub.challenge"), 400
    from mtaabot.secretbox import hash_verify_token

    ok = False
    deployment_token = get_settings().whatsapp_verify_token
    if deployment_token and hmac.compare_digest(deployment_token.encode(), token.encode()):
        ok = True
    else:
        try:
            with get_pool().connection(timeout=5.0) as conn:
                ok = conn.execute("SELECT 1 FROM api_configs WHERE webhook_verify_token = %s",  # stored hashed
                                  (hash_verify_token(token[:100]),)).fetchone() is not None
        except (psycopg.Error, PoolTimeout):
            log.exception("database unavailable during webhook verification")
            return jsonify(error="database unavailable, try again"), 503
    if not ok:
        return jsonify(error="verify token does not match"), 403
    return Response(challenge[:200], status=200, mimetype="text/plain")


@bp.post("/webhook")
def receive() -> tuple[Response, int]:
    secret = get_settings().whatsapp_app_secret
    if not secret:
        log.error("WHATSAPP_APP_SECRET is not set: refusing webhook deliveries")
        return jsonify(error="webhook not configured"), 503
    header = request.headers.get("X-Hub-Signature-256")
    if not header:
        return jsonify(error="missing X-Hub-Signature-256"), 401
    body = request.get_data(cache=False)
    if not signature_ok(secret, body, header):
        log.warning("webhook with a wrong signature refused (%d bytes)", len(body))
        return jsonify(error="signature does not match"), 403
    try:
        data = loads(body)
    except PayloadError as exc:
        return jsonify(error=str(exc)), 400
    batches = parse_body(data)
    report = DeliveryReport()
    try:
        with get_pool().connection(timeout=5.0) as conn:
            for batch in batches:
                process_batch(conn, batch, report)
    except (psycopg.OperationalError, PoolTimeout) as exc:
        log.error("database unavailable, asking Meta to retry: %s", type(exc).__name__)
        return jsonify(error="database unavailable, retry later"), 503
    except Exception:  # never a 500: Meta retries a 503, so nothing is lost
        log.exception("webhook delivery could not be stored; asking Meta to retry")
        return jsonify(error="temporary failure, retry later"), 503
    return jsonify(status="ok", **report.as_dict()), 200
