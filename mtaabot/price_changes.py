"""Prices the owner set to start on a later day ("BEI unga 210 kuanzia kesho", "price of sugar 200 from Monday").

The change waits in `price_changes` and customers keep getting today's price until that day (it was applied at
once: customer test s24). On the day it is written to `products.price` by whichever comes first: the shop's next
message (the engine sees `businesses.price_changes_due_on` in the shop's row it already read) or the owners'
5-minute schedule (`apply_due` for every shop), so the catalogue page and the dashboard follow too.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

NAIROBI = ZoneInfo("Africa/Nairobi")

_REFRESH_DUE_ON = """UPDATE businesses b SET price_changes_due_on = (
                         SELECT min(starts_on) FROM price_changes p WHERE p.business_id = b.id AND p.applied_at IS NULL)
                     WHERE b.id = %s"""


def today() -> date:
    return datetime.now(NAIROBI).date()


def schedule(conn: psycopg.Connection, business_id: str, product_id: str, price: Decimal, starts_on: date) -> None:
    """Keep `price` for the product from `starts_on` (a later day); the same product and day said again replaces it."""
    conn.execute("""INSERT INTO price_changes (business_id, product_id, price, starts_on) VALUES (%s, %s, %s, %s)
                    ON CONFLICT (product_id, starts_on) WHERE applied_at IS NULL DO UPDATE SET price = EXCLUDED.price,
                        created_at = CURRENT_TIMESTAMP""", (str(business_id), str(product_id), price, starts_on))
    conn.execute(_REFRESH_DUE_ON, (str(business_id),))


def pending(conn: psycopg.Connection, business_id: str, product_id: str) -> list[dict[str, Any]]:
    """The product's prices still to come, soonest first."""
    return conn.execute("""SELECT price, starts_on FROM price_changes
                           WHERE business_id = %s AND product_id = %s AND applied_at IS NULL ORDER BY starts_on""",
                        (str(business_id), str(product_id))).fetchall()


def due(business: dict[str, Any], on: date | None = None) -> bool:
    """Whether the shop's row says a price change has come (no statement)."""
    starts = business.get("price_changes_due_on")
    return starts is not None and starts <= (on or today())


def apply_due(conn: psycopg.Connection, business_id: str | None = None, on: date | None = None) -> int:
    """Write every change whose day has come to its product (for one shop, or all). Returns how many products
    changed. Of several due for one product, the latest day's wins. Does not commit."""
    on = on or today()
    rows = conn.execute(
        """WITH due AS (
               UPDATE price_changes SET applied_at = CURRENT_TIMESTAMP
               WHERE applied_at IS NULL AND starts_on <= %(on)s
                 AND (%(b)s::uuid IS NULL OR business_id = %(b)s::uuid)
               RETURNING business_id, product_id, price, starts_on, id),
           latest AS (SELECT DISTINCT ON (product_id) product_id, price FROM due ORDER BY product_id, starts_on DESC, id DESC)
           UPDATE products p SET price = latest.price FROM latest WHERE p.id = latest.product_id
           RETURNING p.business_id""", {"on": on, "b": str(business_id) if business_id else None}).fetchall()
    shops = {str(business_id)} if business_id else {str(r["business_id"]) for r in rows}
    if not business_id:  # every shop whose due day passed, even if its product was deleted meanwhile
        shops |= {str(r["id"]) for r in conn.execute(
            "SELECT id FROM businesses WHERE price_changes_due_on <= %s", (on,)).fetchall()}
    for shop in shops:
        conn.execute(_REFRESH_DUE_ON, (shop,))
    return len(rows)
