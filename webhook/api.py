"""Business REST API under /api/v1/ (Bearer = the business's mtaabot API key).

Products CRUD + CSV import, conversations (list, transcript, hand-back, owner reply) and the business
profile. Every query is scoped to the authenticated business: another business's ids answer 404.
Errors are JSON with proper codes (400/401/404/409/413/422); database trouble is 503, never 500.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import psycopg
from flask import Blueprint, Response, jsonify, request
from psycopg_pool import PoolTimeout
from pydantic import ValidationError

from mtaabot import conversations as convs
from mtaabot import products as prods
from mtaabot.businesses import PROFILE_FIELDS, InvalidBusiness, update_profile
from mtaabot.whatsapp.outbox import OutboxError, enqueue_owner_reply
from webhook.auth import authenticated

log = logging.getLogger(__name__)
bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")

CONVERSATION_STATUSES = ("ai_active", "human_escalated", "closed")
BUSINESS_FIELDS = ("id", "name", "location", "tone", "whatsapp_number", "timezone", "status", "description",
                   "opening_hours", "owner_phone", "trial_ends_at", "created_at", "updated_at")


class ApiError(Exception):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> tuple[Response, int]:
    return jsonify(error=exc.message, **exc.extra), exc.status


@bp.errorhandler(psycopg.OperationalError)
@bp.errorhandler(PoolTimeout)
def _db_down(_: Exception) -> tuple[Response, int]:
    log.error("database unavailable for the REST API")
    return jsonify(error="database unavailable, try again shortly"), 503


@bp.errorhandler(psycopg.DataError)
def _bad_value(exc: psycopg.DataError) -> tuple[Response, int]:
    return jsonify(error=f"a value cannot be stored: {str(exc).splitlines()[0][:200]}"), 422


@bp.errorhandler(psycopg.IntegrityError)
def _conflict(exc: psycopg.IntegrityError) -> tuple[Response, int]:
    return jsonify(error="conflicts with existing data"), 409


def _validation(exc: ValidationError) -> ApiError:
    errors = [{"field": ".".join(str(p) for p in e["loc"]) or None, "error": e["msg"].removeprefix("Value error, ")}
              for e in exc.errors()]
    return ApiError(422, "invalid product", details=errors)


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "body must be a JSON object (Content-Type: application/json)")
    return data


def _product(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row.get(k) for k in ("id", "name", "description", "price", "currency", "is_available", "metadata",
                                   "stock", "retailer_id", "is_service", "duration_minutes",
                                   "created_at", "updated_at")}
    if isinstance(out["price"], Decimal):
        out["price"] = float(out["price"])
    return out


def _business(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in BUSINESS_FIELDS}


def _uuid_or_404(value: str, what: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ApiError(404, f"{what} not found") from None


# ---- products ---------------------------------------------------------------------------------------

@bp.get("/products")
@authenticated
def list_products(conn: psycopg.Connection, business: dict[str, Any]):
    return jsonify(products=[_product(r) for r in prods.list_products(conn, business["id"])])


@contextlib.contextmanager
def _product_body_errors() -> Iterator[None]:
    """A product body pydantic rejects → 422 with the fields; a body that is not an object → 400."""
    try:
        yield
    except ValidationError as exc:
        raise _validation(exc) from None
    except TypeError:
        raise ApiError(400, "body must be a JSON object with string keys") from None


@bp.post("/products")
@authenticated
def create_product(conn: psycopg.Connection, business: dict[str, Any]):
    with _product_body_errors():
        product = prods.ProductIn(**_json_body())
    exists = conn.execute("SELECT 1 FROM products WHERE business_id = %s AND name = %s",
                          (business["id"], product.name)).fetchone()
    if exists:
        raise ApiError(409, f"a product named {product.name!r} already exists; PATCH it instead")
    try:
        with conn.transaction():
            prods.upsert_product(conn, business["id"], product)
    except psycopg.errors.UniqueViolation:
        raise ApiError(409, f"a product named {product.name!r} already exists") from None
    row = conn.execute("SELECT * FROM products WHERE business_id = %s AND name = %s",
                       (business["id"], product.name)).fetchone()
    return jsonify(_product(row)), 201


@bp.get("/products/<product_id>")
@authenticated
def get_product(conn: psycopg.Connection, business: dict[str, Any], product_id: str):
    row = prods.get_product(conn, business["id"], product_id)
    if row is None:
        raise ApiError(404, "product not found")
    return jsonify(_product(row))


@bp.patch("/products/<product_id>")
@authenticated
def update_product(conn: psycopg.Connection, business: dict[str, Any], product_id: str):
    changes = _json_body()
    try:
        with _product_body_errors(), conn.transaction():
            row = prods.update_product(conn, business["id"], product_id, changes)
    except psycopg.errors.UniqueViolation:
        raise ApiError(409, "another product already has that name") from None
    if row is None:
        raise ApiError(404, "product not found")
    return jsonify(_product(row))


@bp.delete("/products/<product_id>")
@authenticated
def delete_product(conn: psycopg.Connection, business: dict[str, Any], product_id: str):
    if not prods.delete_product(conn, business["id"], product_id):
        raise ApiError(404, "product not found")
    return Response(status=204)


@bp.post("/products/import")
@authenticated
def import_products(conn: psycopg.Connection, business: dict[str, Any]):
    upload = request.files.get("file")
    raw = upload.read() if upload is not None else request.get_data(cache=False)
    if not raw.strip():
        raise ApiError(400, "send the CSV as the request body (text/csv) or as multipart field 'file'")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError(400, "the CSV must be UTF-8 text") from None
    if "\x00" in text:
        raise ApiError(400, "the CSV contains NUL bytes; is it a spreadsheet file rather than CSV?")
    report = prods.import_csv(conn, business["id"], text)
    body = report.as_dict() | {"embeddings": "stale products are re-embedded by `mtaabot embed` or Dagster"}
    imported = report.inserted + report.updated + report.unchanged
    status = 200 if report.ok else (422 if imported == 0 else 207)
    return jsonify(body), status


# ---- conversations ----------------------------------------------------------------------------------

def _conversation(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in ("id", "customer_phone", "customer_name", "customer_bsuid", "status",
                                    "last_message_at", "last_customer_message_at", "escalated_at",
                                    "escalation_reason", "handed_back_at", "opted_out")}


@bp.get("/conversations")
@authenticated
def list_conversations(conn: psycopg.Connection, business: dict[str, Any]):
    status = request.args.get("status")
    if status is not None and status not in CONVERSATION_STATUSES:
        raise ApiError(400, f"status must be one of {', '.join(CONVERSATION_STATUSES)}")
    try:
        limit = min(500, max(1, int(request.args.get("limit", "100"))))
    except ValueError:
        raise ApiError(400, "limit must be a number") from None
    rows = convs.list_conversations(conn, business["id"], status, limit=limit)
    return jsonify(conversations=[_conversation(r) for r in rows])


@bp.get("/conversations/<conversation_id>")
@authenticated
def get_conversation(conn: psycopg.Connection, business: dict[str, Any], conversation_id: str):
    row = convs.get_conversation(conn, business["id"], conversation_id)
    if row is None:
        raise ApiError(404, "conversation not found")
    messages = convs.transcript(conn, business["id"], row["id"])
    for m in messages:
        if isinstance(m.get("confidence_score"), Decimal):
            m["confidence_score"] = float(m["confidence_score"])
    return jsonify(conversation=_conversation(row), messages=messages)


@bp.post("/conversations/<conversation_id>/hand-back")
@authenticated
def hand_back(conn: psycopg.Connection, business: dict[str, Any], conversation_id: str):
    row = convs.get_conversation(conn, business["id"], conversation_id)
    if row is None:
        raise ApiError(404, "conversation not found")
    if row["status"] != "human_escalated":
        raise ApiError(409, f"conversation is {row['status']}, not human_escalated")
    convs.hand_back(conn, business["id"], row["id"])
    return jsonify(_conversation(convs.get_conversation(conn, business["id"], row["id"])))


@bp.post("/conversations/<conversation_id>/reply")
@authenticated
def owner_reply(conn: psycopg.Connection, business: dict[str, Any], conversation_id: str):
    text = _json_body().get("text")
    if not isinstance(text, str):
        raise ApiError(400, "send {\"text\": \"…\"}")
    _uuid_or_404(conversation_id, "conversation")
    try:
        with conn.transaction():
            message_id = enqueue_owner_reply(conn, business["id"], conversation_id, text)
    except OutboxError as exc:
        raise ApiError(404 if "conversation" in str(exc) else 422, str(exc)) from None
    return jsonify(message_id=message_id, delivery_status="queued"), 202


# ---- business profile -------------------------------------------------------------------------------

@bp.get("/business")
@authenticated
def get_business(conn: psycopg.Connection, business: dict[str, Any]):
    return jsonify(_business(business))


@bp.patch("/business")
@authenticated
def update_business(conn: psycopg.Connection, business: dict[str, Any]):
    try:
        row = update_profile(conn, business["id"], **_json_body())
    except InvalidBusiness as exc:
        raise ApiError(422, str(exc), editable=sorted(PROFILE_FIELDS)) from None
    return jsonify(_business(row))
