"""Orders REST API under /api/v1/orders (Bearer = the business's mtaabot API key; another shop's order is 404).

GET /api/v1/orders[?status=S]      the shop's orders, newest first
GET /api/v1/orders/<id>            one order (id or the shop's short order number)
POST /api/v1/orders/<id>/status    {"status": "fulfilled"}: 409 with the reason for a transition that is not allowed
"""

from __future__ import annotations

from typing import Any

import psycopg
from flask import Blueprint, Response, jsonify, request

from mtaabot.orders import store
from webhook.api import ApiError
from webhook.auth import authenticated

bp = Blueprint("orders_v1", __name__, url_prefix="/api/v1")


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> tuple[Response, int]:
    return jsonify(error=exc.message, **exc.extra), exc.status


@bp.errorhandler(psycopg.OperationalError)
def _db_down(_: Exception) -> tuple[Response, int]:
    return jsonify(error="database unavailable, try again shortly"), 503


def _order_or_404(conn: psycopg.Connection, business: dict[str, Any], order_ref: str) -> dict[str, Any]:
    row = store.get_order(conn, business["id"], order_ref)
    if row is None or (row["status"] == "draft" and not store.items(conn, row)):
        raise ApiError(404, "order not found")
    return row


@bp.get("/orders")
@authenticated
def list_orders(conn: psycopg.Connection, business: dict[str, Any]):
    status = request.args.get("status")
    if status is not None and status not in store.STATUSES:
        raise ApiError(422, f"unknown status {status!r}", allowed=list(store.STATUSES))
    try:
        limit = min(500, max(1, int(request.args.get("limit", 50))))
    except ValueError:
        raise ApiError(422, "limit must be a number") from None
    return jsonify(orders=store.list_orders(conn, business["id"], status=status, limit=limit))


@bp.get("/orders/<order_ref>")
@authenticated
def get_order(conn: psycopg.Connection, business: dict[str, Any], order_ref: str):
    return jsonify(store.order_view(conn, _order_or_404(conn, business, order_ref)))


@bp.post("/orders/<order_ref>/status")
@authenticated
def set_status(conn: psycopg.Connection, business: dict[str, Any], order_ref: str):
    order = _order_or_404(conn, business, order_ref)  # another shop's order is 404 whatever the body says
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "body must be a JSON object like {\"status\": \"fulfilled\"}")
    status = body.get("status")
    if status not in store.STATUSES:
        raise ApiError(422, f"unknown status {status!r}", allowed=list(store.STATUSES))
    try:
        return jsonify(store.set_status(conn, business["id"], order["id"], status, actor="api"))
    except store.OrderError as exc:
        raise ApiError(409, str(exc)) from None
