"""Catalogue editing on the Products page: the owner's product table, validated changes saved together.

The page hands over what its table editor collected: edits by row, added rows and deleted rows. Every
change is checked first (name given and unique in the shop, price above 0, stock a whole number 0 or
more, a product on orders is not deleted); if any is wrong nothing is saved and each problem is
reported by row with a catalogue key, so the page explains it in the owner's language. Saved changes to
a product's text (name, description) make its search vector stale: the `product_embeddings` Dagster
asset (requested by the `products_changed` sensor) re-embeds it, and `search_state` shows "queued" until
it has. Prices, availability and stock are read live by the engine, so they count at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import psycopg

from mtaabot import products

COLUMNS = ("name", "price", "is_available", "stock", "description")


@dataclass
class Problem:
    row: int  # 1-based row in the table as the owner sees it (added rows follow the existing ones)
    key: str  # catalogue key
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class SaveOutcome:
    saved: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    reembed: int = 0  # products whose text changed: queued for re-embedding

    @property
    def ok(self) -> bool:
        return not self.problems


def product_table(conn: psycopg.Connection, business_id: str) -> list[dict[str, Any]]:
    """The shop's products in the page's order, with whether each one's search vector is current."""
    from mtaabot.embeddings import model_version

    rows = conn.execute(
        """SELECT p.id, p.name, p.price, p.is_available, p.stock, p.description,
                  (e.product_id IS NOT NULL AND e.content_hash IS NOT DISTINCT FROM p.content_hash) AS embedded
           FROM products p
           LEFT JOIN product_embeddings e ON e.product_id = p.id AND e.model = %s
           WHERE p.business_id = %s ORDER BY p.is_available DESC, p.name""",
        (model_version(), business_id)).fetchall()
    return [{"id": str(r["id"]), "name": r["name"], "price": float(r["price"]),
             "is_available": bool(r["is_available"]), "stock": r["stock"], "description": r["description"] or "",
             "search": "ready" if r["embedded"] else "queued"} for r in rows]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str)
                                                                               and not value.strip())


def _price(value: Any) -> Decimal | None:
    if _blank(value):
        return None
    try:
        price = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None
    return price if price.is_finite() else None


def _check(row_no: int, values: dict[str, Any], problems: list[Problem]) -> dict[str, Any] | None:
    """A validated product dict, or None with the row's problems added."""
    before = len(problems)
    name = "" if _blank(values.get("name")) else str(values["name"]).strip()
    if not name:
        problems.append(Problem(row_no, "products.err_name_missing"))
    elif len(name) > 255:
        problems.append(Problem(row_no, "products.err_name_long"))
    raw_price = values.get("price")
    price = _price(raw_price)
    if price is None and not _blank(raw_price):
        problems.append(Problem(row_no, "products.err_price_number"))
    elif price is None or price <= 0:
        problems.append(Problem(row_no, "products.err_price"))
    stock = values.get("stock")
    if _blank(stock):
        stock = None
    else:
        try:
            number = float(stock)
        except (TypeError, ValueError):
            number = -1.0
        if number < 0 or not number.is_integer():
            problems.append(Problem(row_no, "products.err_stock"))
        else:
            stock = int(number)
    if len(problems) > before:
        return None
    description = "" if _blank(values.get("description")) else str(values["description"]).strip()
    return {"name": name, "price": price.quantize(Decimal("0.01")), "stock": stock,
            "is_available": bool(values.get("is_available", True)) if not _blank(values.get("is_available"))
            else True, "description": description or None}


def save_changes(conn: psycopg.Connection, business_id: str, shown: list[dict[str, Any]], *,
                 edited: dict[int | str, dict[str, Any]] | None = None,
                 added: list[dict[str, Any]] | None = None,
                 deleted: list[int] | None = None) -> SaveOutcome:
    """Apply the table's changes to this shop's products, all or nothing (committed when saved).

    `shown` is the table as the page showed it (`product_table`), `edited` maps a row position to the
    changed columns, `added` are new rows, `deleted` row positions."""
    outcome = SaveOutcome()
    edited = {int(k): v for k, v in (edited or {}).items()}
    deleted_rows = sorted({int(i) for i in (deleted or []) if 0 <= int(i) < len(shown)})
    current = {str(p["id"]): p for p in products.list_products(conn, business_id)}

    final: list[tuple[int, str | None, dict[str, Any]]] = []  # (row number, product id or None, values)
    named: list[tuple[int, str]] = []  # every row that stays, with its (new) name, valid or not
    for pos, row in enumerate(shown):
        if pos in deleted_rows:
            continue
        if row["id"] not in current:
            if pos in edited:
                outcome.problems.append(Problem(pos + 1, "products.err_gone"))
            continue
        changes = {k: v for k, v in edited.get(pos, {}).items() if k in COLUMNS}
        named.append((pos + 1, str(changes.get("name") if not _blank(changes.get("name")) else
                                   current[row["id"]]["name"])))
        if not changes:
            final.append((pos + 1, row["id"], {}))
            continue
        db = current[row["id"]]
        merged = {"name": db["name"], "price": db["price"], "is_available": db["is_available"],
                  "stock": db["stock"], "description": db["description"]} | changes
        checked = _check(pos + 1, merged, outcome.problems)
        if checked is not None:
            final.append((pos + 1, row["id"], checked))
    for n, values in enumerate(added or []):
        if all(_blank(values.get(c)) for c in COLUMNS if c != "is_available"):
            continue  # an empty new row the owner did not fill in
        if not _blank(values.get("name")):
            named.append((len(shown) + n + 1, str(values["name"])))
        checked = _check(len(shown) + n + 1, {k: v for k, v in values.items() if k in COLUMNS},
                         outcome.problems)
        if checked is not None:
            final.append((len(shown) + n + 1, None, checked))

    # names unique in the shop (case-insensitive), counting products not in the table as shown
    names: dict[str, int] = {}
    for row_no, name in named:
        key = " ".join(name.split()).lower()
        if key in names:
            outcome.problems.append(Problem(row_no, "products.err_name_taken", {"name": name.strip()}))
        names[key] = row_no
    shown_ids = {r["id"] for r in shown}
    for pid, db in current.items():
        key = " ".join(db["name"].split()).lower()
        if pid not in shown_ids and key in names:
            outcome.problems.append(Problem(names[key], "products.err_name_taken", {"name": db["name"]}))
    to_delete = [shown[pos] for pos in deleted_rows if shown[pos]["id"] in current]
    if to_delete:
        on_orders = {str(r["product_id"]) for r in conn.execute(
            "SELECT DISTINCT product_id FROM order_items WHERE product_id = ANY(%s::uuid[])",
            ([r["id"] for r in to_delete],)).fetchall()}
        for pos in deleted_rows:
            if shown[pos]["id"] in on_orders:
                outcome.problems.append(Problem(pos + 1, "products.err_in_orders", {"name": shown[pos]["name"]}))
    if outcome.problems:
        outcome.problems.sort(key=lambda p: p.row)
        conn.rollback()
        return outcome

    text_before = {pid: (db["name"], db["description"]) for pid, db in current.items()}
    try:
        with conn.transaction():
            for row in to_delete:
                products.delete_product(conn, business_id, row["id"])
                outcome.deleted.append(row["name"])
            for _row_no, pid, values in final:
                if not values:
                    continue
                if pid is None:
                    product = products.ProductIn(name=values["name"], price=values["price"],
                                                 is_available=values["is_available"], stock=values["stock"],
                                                 description=values["description"])
                    products.upsert_product(conn, business_id, product)
                    outcome.reembed += 1
                else:
                    products.update_product(conn, business_id, pid, values)
                    if (values["name"], values["description"]) != text_before[pid]:
                        outcome.reembed += 1
                outcome.saved.append(values["name"])
    except psycopg.errors.UniqueViolation:
        conn.rollback()
        return SaveOutcome(problems=[Problem(0, "products.err_name_taken", {"name": "?"})])
    conn.commit()
    return outcome
