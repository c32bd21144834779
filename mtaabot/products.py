"""Product catalogue: validated rows, idempotent CSV import on (business, name), CRUD."""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mtaabot.orders.when import CALENDAR_WORD

CSV_COLUMNS = ("name", "description", "price", "currency", "is_available", "metadata")
# Optional columns for orders and bookings: kept as they are when a file or body leaves them out.
OPTIONAL_COLUMNS = ("stock", "retailer_id", "is_service", "duration_minutes")
COLUMN_ALIASES = {"sku": "retailer_id", "product_retailer_id": "retailer_id"}
_TRUE = {"true", "1", "yes", "y", "t", "ndiyo", "available"}
_FALSE = {"false", "0", "no", "n", "f", "hapana", "unavailable"}


class ProductIn(BaseModel):
    """One product as an owner supplies it (CSV row, REST body)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = Field(min_length=1, max_length=255)
    description: str | None = None
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    currency: str = Field(default="KES", min_length=3, max_length=3)
    is_available: bool = True
    metadata: dict[str, Any] | None = None
    stock: int | None = Field(default=None, ge=0, le=10_000_000)  # None = not tracked
    retailer_id: str | None = Field(default=None, max_length=100)  # SKU in the shop's WhatsApp catalogue
    is_service: bool = False  # booked with a time (salon, repair), not shipped
    duration_minutes: int | None = Field(default=None, gt=0, le=24 * 60)

    @field_validator("stock", "duration_minutes", "retailer_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("is_service", mode="before")
    @classmethod
    def _service(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip().lower()
            if text == "" or text in _FALSE:
                return False
            if text in _TRUE or text in ("service", "huduma"):
                return True
            raise ValueError(f"is_service {value!r} must be true or false")
        return value

    @field_validator("price", mode="before")
    @classmethod
    def _price(cls, value: Any) -> Any:
        if isinstance(value, str):
            cleaned = value.replace(",", "").replace("KES", "").replace("Ksh", "").strip()
            try:
                return Decimal(cleaned)
            except InvalidOperation as exc:
                raise ValueError(f"price {value!r} is not a number") from exc
        return value

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> Any:
        return (value or "KES").strip().upper() if isinstance(value, str) or value is None else value

    @field_validator("is_available", mode="before")
    @classmethod
    def _available(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip().lower()
            if text == "" or text in _TRUE:
                return True  # an empty cell keeps the schema default: available
            if text in _FALSE:
                return False
            raise ValueError(f"is_available {value!r} must be true or false")
        return value

    @field_validator("metadata", mode="before")
    @classmethod
    def _metadata(cls, value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                parsed = json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(f"metadata is not valid JSON ({exc.msg})") from exc
            if not isinstance(parsed, dict):
                raise ValueError("metadata must be a JSON object")
            return parsed
        return value


@dataclass
class ImportReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
                "errors": self.errors}


_UPSERT = """
INSERT INTO products (business_id, name, description, price, currency, is_available, metadata, stock, retailer_id,
                      is_service, duration_minutes)
VALUES (%(business_id)s, %(name)s, %(description)s, %(price)s, %(currency)s, %(is_available)s, %(metadata)s,
        %(stock)s, %(retailer_id)s, %(is_service)s, %(duration_minutes)s)
ON CONFLICT (business_id, name) DO UPDATE SET
    description = EXCLUDED.description, price = EXCLUDED.price, currency = EXCLUDED.currency,
    is_available = EXCLUDED.is_available, metadata = EXCLUDED.metadata,
    stock = CASE WHEN %(set_stock)s THEN EXCLUDED.stock ELSE products.stock END,
    retailer_id = CASE WHEN %(set_retailer_id)s THEN EXCLUDED.retailer_id ELSE products.retailer_id END,
    is_service = CASE WHEN %(set_is_service)s THEN EXCLUDED.is_service ELSE products.is_service END,
    duration_minutes = CASE WHEN %(set_duration_minutes)s THEN EXCLUDED.duration_minutes
                            ELSE products.duration_minutes END
WHERE (products.description, products.price, products.currency, products.is_available, products.metadata)
      IS DISTINCT FROM
      (EXCLUDED.description, EXCLUDED.price, EXCLUDED.currency, EXCLUDED.is_available, EXCLUDED.metadata)
   OR (%(set_stock)s AND products.stock IS DISTINCT FROM EXCLUDED.stock)
   OR (%(set_retailer_id)s AND products.retailer_id IS DISTINCT FROM EXCLUDED.retailer_id)
   OR (%(set_is_service)s AND products.is_service IS DISTINCT FROM EXCLUDED.is_service)
   OR (%(set_duration_minutes)s AND products.duration_minutes IS DISTINCT FROM EXCLUDED.duration_minutes)
RETURNING id, (xmax = 0) AS inserted
"""


_DURATION_KEYS = ("duration_minutes", "duration_min", "duration_mins", "duration")


def _duration_in(metadata: dict[str, Any] | None) -> int | None:
    """A service length given in metadata ({"duration_min": 60}) instead of its own column."""
    for key in _DURATION_KEYS:
        value = (metadata or {}).get(key)
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 24 * 60:
            return value
    return None


def _params(business_id: uuid.UUID | str, product: ProductIn) -> dict[str, Any]:
    data = product.model_dump()
    data["metadata"] = Jsonb(data["metadata"]) if data["metadata"] is not None else None
    data["business_id"] = str(business_id)
    given = set(product.model_fields_set)
    if "duration_minutes" not in given and (minutes := _duration_in(product.metadata)) is not None:
        data["duration_minutes"] = minutes  # a timed thing is a service that is booked
        given.add("duration_minutes")
    for name in OPTIONAL_COLUMNS:
        data[f"set_{name}"] = name in given
    return data


def upsert_product(conn: psycopg.Connection, business_id: uuid.UUID | str, product: ProductIn) -> str:
    """Insert or update by (business, name). Returns 'inserted', 'updated' or 'unchanged'."""
    row = conn.execute(_UPSERT, _params(business_id, product)).fetchone()
    if row is None:
        return "unchanged"
    return "inserted" if row["inserted"] else "updated"


def _error_text(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "row"
        parts.append(f"{loc}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def import_csv(conn: psycopg.Connection, business_id: uuid.UUID | str, text: str) -> ImportReport:
    """Import a catalogue CSV. Good rows are saved even when others fail; each bad row is reported
    with its line number (the header is line 1). A leading `business` column is ignored."""
    report = ImportReport()
    # newline="": the csv module handles \r, \r\n and \n line ends itself (a bare \r otherwise raised)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        report.errors.append({"line": 1, "error": f"not readable as CSV: {exc}"})
        return report
    missing = [c for c in ("name", "price") if c not in header]
    if missing:
        report.errors.append({"line": 1, "error": f"missing column(s): {', '.join(missing)}; expected "
                              f"{','.join(CSV_COLUMNS)}"})
        return report
    reader.fieldnames = header
    seen: set[str] = set()
    rows = iter(reader)
    while True:
        try:
            raw = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:  # malformed from here on: keep what was saved, report the line
            report.errors.append({"line": reader.line_num, "error": f"not readable as CSV: {exc}"})
            break
        line = reader.line_num
        if None in raw:
            report.errors.append({"line": line, "error": "too many fields (a comma inside an unquoted value?)"})
            continue
        values = {COLUMN_ALIASES.get(k, k): v for k, v in raw.items()
                  if COLUMN_ALIASES.get(k, k) in CSV_COLUMNS + OPTIONAL_COLUMNS and v is not None}
        if not any((v or "").strip() for v in raw.values()):
            continue  # blank line
        try:
            product = ProductIn(**values)
        except ValidationError as exc:
            report.errors.append({"line": line, "name": (raw.get("name") or "").strip(), "error": _error_text(exc)})
            continue
        if product.name.lower() in seen:
            report.errors.append({"line": line, "name": product.name, "error": "duplicate name in this file"})
            continue
        seen.add(product.name.lower())
        try:
            with conn.transaction():
                outcome = upsert_product(conn, business_id, product)
        except psycopg.Error as exc:
            report.errors.append({"line": line, "name": product.name, "error": f"database rejected row: {exc.diag.message_primary}"})
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def list_products(conn: psycopg.Connection, business_id: uuid.UUID | str) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT * FROM products WHERE business_id = %s ORDER BY is_available DESC, name", (str(business_id),)
    ).fetchall()


def get_product(conn: psycopg.Connection, business_id: uuid.UUID | str, product_id: uuid.UUID | str) -> dict[str, Any] | None:
    try:
        pid = str(uuid.UUID(str(product_id)))
    except ValueError:
        return None
    return conn.execute(
        "SELECT * FROM products WHERE business_id = %s AND id = %s", (str(business_id), pid)
    ).fetchone()


def update_product(
    conn: psycopg.Connection, business_id: uuid.UUID | str, product_id: uuid.UUID | str, changes: dict[str, Any]
) -> dict[str, Any] | None:
    """Apply a partial update (validated as a whole product). None when the product is not this business's."""
    current = get_product(conn, business_id, product_id)
    if current is None:
        return None
    merged = {k: current[k] for k in CSV_COLUMNS + OPTIONAL_COLUMNS} | changes
    product = ProductIn(**merged)
    params = _params(business_id, product) | {"id": str(current["id"])}
    return conn.execute(
        """UPDATE products SET name = %(name)s, description = %(description)s, price = %(price)s,
               currency = %(currency)s, is_available = %(is_available)s, metadata = %(metadata)s,
               stock = %(stock)s, retailer_id = %(retailer_id)s, is_service = %(is_service)s,
               duration_minutes = %(duration_minutes)s
           WHERE id = %(id)s AND business_id = %(business_id)s RETURNING *""",
        params,
    ).fetchone()


def delete_product(conn: psycopg.Connection, business_id: uuid.UUID | str, product_id: uuid.UUID | str) -> bool:
    if get_product(conn, business_id, product_id) is None:
        return False
    conn.execute("DELETE FROM products WHERE business_id = %s AND id = %s", (str(business_id), str(product_id)))
    return True


def names_with_calendar_words(conn: psycopg.Connection, business_id: uuid.UUID | str, text: str) -> list[str]:
    """The shop's product names that share a day or month word with `text` ("Fresh Fri Cooking Oil 3L" for "na fresh
    fri?"); none read when the text has no such word, as most have not."""
    said = {m.group(0) for m in CALENDAR_WORD.finditer(text.lower())}
    if not said:
        return []
    rows = conn.execute(r"SELECT name FROM products WHERE business_id = %s AND lower(name) ~ %s",
                        (str(business_id), r"\m(" + "|".join(sorted(said)) + r")\M")).fetchall()
    return [r["name"] for r in rows]
