"""Business REST API for billing: POST /api/v1/billing/pay {plan, phone}, GET /api/v1/billing (Bearer key)."""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from flask import Blueprint, Response, jsonify, request

from mtaabot.billing.daraja import DarajaConfigError, DarajaError
from mtaabot.billing.payments import start_payment
from mtaabot.billing.plans import UnknownPlan
from mtaabot.billing.summary import billing_summary
from mtaabot.jsonout import dumps
from mtaabot.phones import InvalidPhone
from webhook.auth import authenticated

log = logging.getLogger(__name__)
bp = Blueprint("billing_api", __name__, url_prefix="/api/v1/billing")


def _json(obj: object, status: int = 200) -> Response:
    return Response(dumps(obj), status=status, mimetype="application/json")


@bp.get("")
@authenticated
def status(conn: psycopg.Connection, business: dict[str, Any]):
    return _json(billing_summary(conn, business["id"]))


@bp.post("/pay")
@authenticated
def pay(conn: psycopg.Connection, business: dict[str, Any]):
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("plan"), str) \
            or not isinstance(body.get("phone"), str):
        return jsonify(error='send JSON {"plan": "lite|pro|enterprise", "phone": "07XXXXXXXX"}'), 400
    try:
        payment = start_payment(conn, business["id"], body["plan"], body["phone"])
    except (UnknownPlan, InvalidPhone) as exc:
        return jsonify(error=str(exc)), 400
    except DarajaConfigError as exc:
        log.error("billing pay: %s", exc)
        return jsonify(error="M-Pesa payments are not configured on this server"), 503
    except DarajaError as exc:
        return jsonify(error=str(exc)), 502
    return _json(payment, 202)
