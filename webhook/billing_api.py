"""Business REST API for billing: POST /api/v1/billing/pay {plan, phone}, GET /api/v1/billing (Bearer key)."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify, request

from mtaabot.billing.daraja import DarajaConfigError, DarajaError
from mtaabot.billing.payments import start_payment
from mtaabot.billing.plans import UnknownPlan
from mtaabot.billing.summary import billing_summary
from mtaabot.businesses import business_for_api_key
from mtaabot.cli.common import dumps
from mtaabot.db import connection
from mtaabot.phones import InvalidPhone

log = logging.getLogger(__name__)
bp = Blueprint("billing_api", __name__, url_prefix="/api/v1/billing")


def _json(obj: object, status: int = 200) -> Response:
    return Response(dumps(obj), status=status, mimetype="application/json")


def _api_key() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _unauthorized() -> tuple[Response, int]:
    return jsonify(error="missing or invalid API key (Authorization: Bearer mtb_…)"), 401


@bp.get("")
def status():
    with connection() as conn:
        business = business_for_api_key(conn, _api_key())
        if business is None:
            return _unauthorized()
        return _json(billing_summary(conn, business["id"]))


@bp.post("/pay")
def pay():
    body = request.get_json(silent=True)
    with connection() as conn:
        business = business_for_api_key(conn, _api_key())
        if business is None:
            return _unauthorized()
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
