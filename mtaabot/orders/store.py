"""Orders and their items in the database: carts, totals from the catalogue, status transitions, stock.

Nothing here commits; callers own the transaction. Every query is scoped by business_id, and a
customer's cart by conversation, so no one ever sees another shop's or another customer's order.
"""

from __future__ import annotations

import uuid
from decimal import ROUND_CEILING, Decimal
from typing import Any

import psycopg

STATUSES = ("draft", "awaiting_payment", "paid", "fulfilled", "cancelled", "payment_failed")
OPEN_STATUSES = ("draft", "awaiting_payment", "payment_failed")
# Which status may follow which (owner, customer, callback and CLI all go through this table).
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"awaiting_payment", "cancelled"}),
    "awaiting_payment": frozenset({"paid", "payment_failed", "cancelled", "draft"}),
    "payment_failed": frozenset({"awaiting_payment", "paid", "cancelled", "draft"}),
    "paid": frozenset({"fulfilled", "cancelled"}),
    "fulfilled": frozenset(),
    "cancelled": frozenset(),
}
MAX_QUANTITY = Decimal(500)  # more than this in one chat line is asked about, not taken


class OrderError(ValueError):
    """An order change that is not allowed (unknown order, bad transition, bad quantity, no stock)."""


def _uuid(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, TypeError):
        return None


def amount_due(total: Decimal | float | int) -> int:
    """M-Pesa takes whole shillings: the total rounded up (never less than the order is worth)."""
    return int(Decimal(str(total)).to_integral_value(ROUND_CEILING))


OWNER_PRICE_DAYS = 7  # the customer may pay days later ("LIPA TENA"): the agreed price holds a week, not the bot's 24 h


def keep_owner_price(conn: psycopg.Connection, business_id: Any, conversation_id: Any, product_id: Any,
                     price: Decimal) -> None:
    """The owner's price of a product for one customer (ODA n BEI, or an amount the owner wrote them): every line of
    it takes this price, up or down, for OWNER_PRICE_DAYS (`set_item`, `refresh_prices`)."""
    conn.execute(
        """INSERT INTO price_offers (business_id, conversation_id, product_id, price, expires_at, set_by_owner)
           VALUES (%s, %s, %s, %s, CURRENT_TIMESTAMP + make_interval(days => %s), true)
           ON CONFLICT (conversation_id, product_id) DO UPDATE SET price = EXCLUDED.price,
               expires_at = EXCLUDED.expires_at, set_by_owner = true""",
        (str(business_id), str(conversation_id), str(product_id), price, OWNER_PRICE_DAYS))


def paid_so_far(order: dict[str, Any]) -> Decimal:
    """What the owner has recorded as received for an order still waiting for the rest (a deposit, a part paid in
    cash or on M-Pesa); 0 for one not yet paid at all. A paid order's `paid_amount_kes` is its whole payment."""
    if order["status"] in ("awaiting_payment", "payment_failed") and order.get("paid_amount_kes"):
        return Decimal(order["paid_amount_kes"])
    return Decimal(0)


def money_received(order: dict[str, Any]) -> Decimal:
    """What the owner has received for an order: all of it once paid, else the part recorded so far."""
    if order["status"] in ("paid", "fulfilled"):
        return Decimal(order["paid_amount_kes"] or order["total_kes"])
    return paid_so_far(order)


def balance_due(order: dict[str, Any]) -> int:
    """What is left to pay on M-Pesa: the total less what was received, in whole shillings."""
    return amount_due(max(Decimal(0), Decimal(str(order["total_kes"])) - paid_so_far(order)))


def keep_received(conn: psycopg.Connection, order: dict[str, Any], received: Decimal | None) -> None:
    """The money the owner has received for `order` so far is `received` (None: nothing), as of now; the status is
    the caller's."""
    conn.execute("""UPDATE orders SET paid_amount_kes = %s,
                    part_received_at = CASE WHEN %s::numeric IS NULL THEN NULL ELSE CURRENT_TIMESTAMP END,
                    updated_at = CURRENT_TIMESTAMP WHERE id = %s""", (received, received, order["id"]))


def record_payment(conn: psycopg.Connection, order: dict[str, Any], amount: Decimal | None) -> dict[str, Any]:
    """The owner received `amount` for `order` (None: the whole of what was left). Kept on the order as money received
    so far; reaching the total makes the order paid (stock taken once). Returns the order row as it now is."""
    received = paid_so_far(order) + (Decimal(balance_due(order)) if amount is None else amount)
    keep_received(conn, order, received)
    if received >= amount_due(order["total_kes"]):
        set_status(conn, order["business_id"], order["id"], "paid", actor="owner")
    return get_order(conn, order["business_id"], order["id"])


def _qty(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def order_view(conn: psycopg.Connection, order: dict[str, Any]) -> dict[str, Any]:
    """An order as the CLI, the REST API, the dashboard and `mtaabot ask` show it."""
    items = conn.execute(
        """SELECT product_id, name, quantity, unit_price, variant FROM order_items
           WHERE order_id = %s AND business_id = %s
           ORDER BY created_at, name, length(coalesce(variant, '')), variant""",
        (order["id"], order["business_id"])).fetchall()
    customer = conn.execute("SELECT customer_phone, customer_name FROM conversations WHERE id = %s",
                            (order["conversation_id"],)).fetchone()
    return {
        "id": str(order["id"]), "number": order["number"], "status": order["status"], "kind": order["kind"],
        "source": order["source"],
        "total": float(order["total_kes"]),
        "items": [{"product_id": str(i["product_id"]), "name": i["name"], "quantity": _qty(i["quantity"]),
                   "unit_price": float(i["unit_price"]), "variant": i["variant"]} for i in items],
        "fulfilment": order["fulfilment"], "delivery_location": order["delivery_location"],
        "delivery_fee": float(order["delivery_fee_kes"]) if order.get("delivery_fee_kes") is not None else None,
        "customer_note": order["customer_note"],
        "booking_at": order["booking_at"].isoformat() if order["booking_at"] else None,
        "customer": (customer["customer_name"] or customer["customer_phone"]) if customer else None,
        "receipt": order["mpesa_receipt_number"],
        "created_at": order["created_at"].isoformat() if order["created_at"] else None,
        "paid_at": order["paid_at"].isoformat() if order["paid_at"] else None,
        # a paid order's whole payment, nothing left (it showed 0 paid and the whole total due; owner test s31)
        "paid_so_far": float(money_received(order)),
        "balance_due": 0 if order["status"] in ("paid", "fulfilled") else balance_due(order),
        # confirmed before and back to a draft while the customer changes it: still the owner's to see
        "changing": order["status"] == "draft" and order.get("confirmed_at") is not None,
    }


def item_text(item: dict[str, Any]) -> str:
    """One line of an order view as the dashboard and the CLI list it: "2 × Nike Air Force 1 White (size 42)"."""
    return f"{item['quantity']} × {item['name']}" + (f" ({item['variant']})" if item.get("variant") else "")


def open_cart(conn: psycopg.Connection, business_id: Any, conversation_id: Any) -> dict[str, Any] | None:
    return conn.execute("SELECT * FROM orders WHERE business_id = %s AND conversation_id = %s AND status = 'draft'",
                        (str(business_id), str(conversation_id))).fetchone()


def latest_open(conn: psycopg.Connection, business_id: Any, conversation_id: Any) -> dict[str, Any] | None:
    """The chat's order still in play: a cart, or one waiting for (or retrying) payment."""
    return conn.execute(
        """SELECT * FROM orders WHERE business_id = %s AND conversation_id = %s AND status = ANY(%s)
           AND updated_at > CURRENT_TIMESTAMP - interval '3 days'
           ORDER BY (status = 'draft') DESC, updated_at DESC LIMIT 1""",
        (str(business_id), str(conversation_id), list(OPEN_STATUSES))).fetchone()


def open_orders(conn: psycopg.Connection, business_id: Any, conversation_id: Any) -> list[dict[str, Any]]:
    """Every order of the chat still in play (as `latest_open` reads them), oldest first."""
    return conn.execute(
        """SELECT * FROM orders WHERE business_id = %s AND conversation_id = %s AND status = ANY(%s)
           AND updated_at > CURRENT_TIMESTAMP - interval '3 days' ORDER BY number""",
        (str(business_id), str(conversation_id), list(OPEN_STATUSES))).fetchall()


def claims_of(conn: psycopg.Connection, order: dict[str, Any]) -> bool:
    """The customer said they paid this order (order_payment_claims)."""
    return conn.execute("SELECT 1 FROM order_payment_claims WHERE order_id = %s LIMIT 1",
                        (str(order["id"]),)).fetchone() is not None


def payment_claimed(conn: psycopg.Connection, order: dict[str, Any]) -> bool:
    """The customer said they paid this order (order_payment_claims), or the owner recorded part of it as received:
    its money is the owner's to settle."""
    return paid_so_far(order) > 0 or claims_of(conn, order)


def money_in(conn: psycopg.Connection, order: dict[str, Any]) -> Decimal:
    """The money a customer has paid, or says they paid, for an order: all of a paid order; else the part the owner
    recorded and the payments the customer claimed since (a code given twice counted once)."""
    if order["status"] in ("paid", "fulfilled"):
        return Decimal(order["paid_amount_kes"] or order["total_kes"])
    claimed = conn.execute(
        """SELECT coalesce(sum(amount_kes), 0) AS said FROM (
               SELECT DISTINCT ON (coalesce(mpesa_code, id::text)) amount_kes FROM order_payment_claims
               WHERE order_id = %s AND claimed_at > coalesce(%s, '-infinity'::timestamptz)) k""",
        (str(order["id"]), order.get("part_received_at"))).fetchone()["said"]
    return paid_so_far(order) + Decimal(claimed)


def latest_placed(conn: psycopg.Connection, business_id: Any, conversation_id: Any) -> dict[str, Any] | None:
    """The chat's most recent order past the cart (paid, fulfilled, cancelled...) of the last 30 days."""
    return conn.execute(
        """SELECT * FROM orders WHERE business_id = %s AND conversation_id = %s AND status <> 'draft'
           AND updated_at > CURRENT_TIMESTAMP - interval '30 days' ORDER BY updated_at DESC LIMIT 1""",
        (str(business_id), str(conversation_id))).fetchone()


def earlier_customer_messages(conn: psycopg.Connection, business_id: Any, conversation_id: Any,
                               limit: int = 3) -> list[dict[str, Any]]:
    """The customer's messages of the last three hours before the latest one, newest first: each one's `content`,
    `created_at` and `answered` (the intent of the bot's answer to it, None when unanswered)."""
    return conn.execute(
        """SELECT u.content, u.created_at, b.intent AS answered FROM messages u
           LEFT JOIN messages b ON b.reply_to = u.id AND b.role = 'bot'
           WHERE u.business_id = %s AND u.conversation_id = %s AND u.role = 'user'
             AND u.created_at > CURRENT_TIMESTAMP - interval '3 hours'
           ORDER BY u.created_at DESC, u.id DESC OFFSET 1 LIMIT %s""",
        (str(business_id), str(conversation_id), limit)).fetchall()


def last_list(conn: psycopg.Connection, business_id: Any, conversation_id: Any, at_least: int) -> list[Any]:
    """The products of the bot's latest answer of the last three hours that listed at least `at_least` of them
    ("na ya pili size 42" after an order summary points at the list shown before it); [] when none did."""
    row = conn.execute(
        """SELECT product_ids FROM messages WHERE business_id = %s AND conversation_id = %s AND role = 'bot'
           AND cardinality(product_ids) >= %s AND created_at > CURRENT_TIMESTAMP - interval '3 hours'
           ORDER BY created_at DESC LIMIT 1""", (str(business_id), str(conversation_id), at_least)).fetchone()
    return list(row["product_ids"]) if row else []


def recent_products(conn: psycopg.Connection, business_id: Any, conversation_id: Any, n: int,
                    turns: int = 6) -> list[Any]:
    """The products the bot's latest `turns` answers of the last three hours were about, newest first, each once,
    at most `n` ("how much is a pedicure?" / "and manicure?" / "book both": the two)."""
    rows = conn.execute(
        """SELECT product_ids FROM messages WHERE business_id = %s AND conversation_id = %s AND role = 'bot'
           AND created_at > CURRENT_TIMESTAMP - interval '3 hours' ORDER BY created_at DESC LIMIT %s""",
        (str(business_id), str(conversation_id), turns)).fetchall()
    found: list[Any] = []
    for row in rows:
        for pid in row["product_ids"] or []:
            if pid not in found:
                found.append(pid)
    return found[:n]


def create_cart(conn: psycopg.Connection, business_id: Any, conversation_id: Any, *, kind: str = "order",
                source: str = "chat") -> dict[str, Any]:
    """A new draft order with the next per-shop number (or the chat's existing cart)."""
    existing = open_cart(conn, business_id, conversation_id)
    if existing and existing["updated_at"] > conn.execute(
            "SELECT CURRENT_TIMESTAMP - interval '3 days' AS t").fetchone()["t"]:
        return existing
    if existing:  # a cart left for days is abandoned, not silently continued
        conn.execute("""UPDATE orders SET status = 'cancelled', cancelled_at = CURRENT_TIMESTAMP,
                            failure_reason = 'abandoned cart', updated_at = CURRENT_TIMESTAMP WHERE id = %s""",
                     (existing["id"],))
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 18))", (f"orders:{business_id}",))
    number = conn.execute("SELECT coalesce(max(number), 0) + 1 AS n FROM orders WHERE business_id = %s",
                          (str(business_id),)).fetchone()["n"]
    return conn.execute(
        """INSERT INTO orders (business_id, number, conversation_id, kind, source)
           VALUES (%s, %s, %s, %s, %s) RETURNING *""",
        (str(business_id), number, str(conversation_id), kind, source)).fetchone()


def _recompute(conn: psycopg.Connection, order_id: Any) -> dict[str, Any]:
    return conn.execute(
        """UPDATE orders o SET total_kes = coalesce((SELECT sum(round(quantity * unit_price, 2))
                                                    FROM order_items WHERE order_id = o.id), 0)
                                     + CASE WHEN fulfilment = 'delivery' THEN coalesce(delivery_fee_kes, 0) ELSE 0 END,
               updated_at = CURRENT_TIMESTAMP
           WHERE id = %s RETURNING *""", (str(order_id),)).fetchone()


def set_item(conn: psycopg.Connection, order: dict[str, Any], product: dict[str, Any], quantity: Decimal, *,
             add: bool = True, variant: str | None = None) -> dict[str, Any]:
    """Put `quantity` of a product in one size/colour (`variant`) in the cart: its own line, added to what that line
    holds when `add`; price from the catalogue. Another size of the same product is another line.

    OrderError for a bad quantity or more than the stock (all the product's lines together)."""
    if product["business_id"] != order["business_id"]:
        raise OrderError("that product is not sold by this shop")
    if not product["is_available"]:
        raise OrderError(f"{product['name']} is not available")
    current = conn.execute(
        """SELECT quantity FROM order_items WHERE order_id = %s AND product_id = %s
           AND variant IS NOT DISTINCT FROM %s""", (order["id"], product["id"], variant)).fetchone()
    total_qty = quantity + (current["quantity"] if current and add else 0)
    if total_qty <= 0:
        raise OrderError("the quantity must be more than zero")
    _check_stock(conn, order, product, total_qty, other_than=variant)
    offer = conn.execute(
        """SELECT price FROM price_offers WHERE conversation_id = %s AND product_id = %s AND expires_at > now()
           AND (price < %s OR set_by_owner)""", (order["conversation_id"], product["id"], product["price"])).fetchone()
    conn.execute(
        """INSERT INTO order_items (order_id, business_id, product_id, name, quantity, unit_price, variant)
           VALUES (%s, %s, %s, %s, %s, %s, %s)
           ON CONFLICT (order_id, product_id, variant) DO UPDATE SET quantity = EXCLUDED.quantity,
               unit_price = EXCLUDED.unit_price, name = EXCLUDED.name""",
        (order["id"], order["business_id"], product["id"], product["name"], total_qty,
         offer["price"] if offer else product["price"], variant))
    return _recompute(conn, order["id"])


def _check_stock(conn: psycopg.Connection, order: dict[str, Any], product: dict[str, Any], quantity: Decimal, *,
                 other_than: str | None, line_id: Any = None) -> None:
    """OrderError when `quantity` in one variant plus the product's lines in other variants (other sizes; not the
    line `line_id`) is more than the stock."""
    left = stock_left(conn, order, product)
    if left is None:
        return
    others = conn.execute(
        """SELECT coalesce(sum(quantity), 0) AS q FROM order_items WHERE order_id = %s AND product_id = %s
           AND variant IS DISTINCT FROM %s AND id IS DISTINCT FROM %s""",
        (order["id"], product["id"], other_than, str(line_id) if line_id else None)).fetchone()["q"]
    if quantity + others > left:
        raise OrderError(f"only {left} of {product['name']} left")


def stock_left(conn: psycopg.Connection, order: dict[str, Any], product: dict[str, Any]) -> Decimal | None:
    """How many of a counted product `order` can still have: the stock less what other customers' confirmed, unpaid
    orders hold (`held_stock`); None when the shop does not count it. The cart said "2 in your order" of the last two
    another customer had said yes to, and the yes then met "sold out" (customer test s25)."""
    if product.get("stock") is None:
        return None
    held = conn.execute(
        """SELECT coalesce(sum(ceil(i.quantity)), 0) AS q FROM orders o JOIN order_items i ON i.order_id = o.id
           WHERE o.business_id = %s AND o.id <> %s AND o.status = 'awaiting_payment' AND i.product_id = %s
             AND o.updated_at > CURRENT_TIMESTAMP - make_interval(days => %s)""",
        (str(order["business_id"]), str(order["id"]), str(product["id"]), HELD_DAYS)).fetchone()["q"]
    return max(Decimal(product["stock"]) - held, Decimal(0))


def change_line(conn: psycopg.Connection, order: dict[str, Any], product: dict[str, Any], line_id: Any,
                quantity: Decimal, variant: str | None) -> dict[str, Any]:
    """One line becomes `quantity` in `variant` ("change to size 42"); when the product already has a line in that
    variant, the two become one (their counts added). OrderError as `set_item`."""
    if quantity <= 0:
        raise OrderError("the quantity must be more than zero")
    line = conn.execute("SELECT id FROM order_items WHERE id = %s AND order_id = %s AND product_id = %s",
                        (str(line_id), order["id"], product["id"])).fetchone()
    if line is None:
        raise OrderError("that line is not in the order")
    other = conn.execute(
        """SELECT id, quantity FROM order_items WHERE order_id = %s AND product_id = %s AND id <> %s
           AND variant IS NOT DISTINCT FROM %s""", (order["id"], product["id"], line["id"], variant)).fetchone()
    total = quantity + (other["quantity"] if other else 0)
    _check_stock(conn, order, product, total, other_than=variant, line_id=line["id"])
    if other:
        conn.execute("UPDATE order_items SET quantity = %s WHERE id = %s", (total, other["id"]))
        conn.execute("DELETE FROM order_items WHERE id = %s", (line["id"],))
    else:  # the same line (its place in the order kept), in the new size or colour
        conn.execute("UPDATE order_items SET quantity = %s, variant = %s WHERE id = %s", (total, variant, line["id"]))
    return _recompute(conn, order["id"])


def remove_item(conn: psycopg.Connection, order: dict[str, Any], product_id: Any) -> dict[str, Any]:
    """Every line of the product out of the order (all its sizes and colours)."""
    conn.execute("DELETE FROM order_items WHERE order_id = %s AND product_id = %s", (order["id"], str(product_id)))
    return _recompute(conn, order["id"])


def remove_line(conn: psycopg.Connection, order: dict[str, Any], line_id: Any) -> dict[str, Any]:
    """One line out of the order ("ondoa size 43"): the product's other sizes stay."""
    conn.execute("DELETE FROM order_items WHERE order_id = %s AND id = %s", (order["id"], str(line_id)))
    return _recompute(conn, order["id"])


def items(conn: psycopg.Connection, order: dict[str, Any]) -> list[dict[str, Any]]:
    return conn.execute(
        """SELECT i.*, p.price AS current_price, p.is_available AS current_available, p.stock AS current_stock,
                  p.name AS current_name
           FROM order_items i JOIN products p ON p.id = i.product_id
           WHERE i.order_id = %s AND i.business_id = %s
           ORDER BY i.created_at, i.name, length(coalesce(i.variant, '')), i.variant""",
        (order["id"], order["business_id"])).fetchall()


def service_minutes(conn: psycopg.Connection, order: dict[str, Any]) -> int | None:
    """How long the order's services take one after another (each its catalogue length, times how many); None when
    none has a length."""
    return conn.execute(
        """SELECT sum(p.duration_minutes * greatest(i.quantity, 1))::int AS m FROM order_items i
           JOIN products p ON p.id = i.product_id WHERE i.order_id = %s AND i.business_id = %s""",
        (order["id"], order["business_id"])).fetchone()["m"]


def refresh_prices(conn: psycopg.Connection, order: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Bring item prices and names up to the catalogue's (prices can change between cart and payment).
    Returns (order, changed)."""
    changed = conn.execute(
        """UPDATE order_items i SET unit_price = CASE WHEN o.set_by_owner THEN o.price
                                                     ELSE least(p.price, coalesce(o.price, p.price)) END, name = p.name
           FROM products p LEFT JOIN price_offers o ON o.product_id = p.id AND o.conversation_id = %s
                                                   AND o.expires_at > now()
           WHERE p.id = i.product_id AND i.order_id = %s
             AND (i.unit_price <> CASE WHEN o.set_by_owner THEN o.price
                                       ELSE least(p.price, coalesce(o.price, p.price)) END
                  OR i.name <> p.name) RETURNING i.id""",
        (order["conversation_id"], order["id"])).fetchall()
    if not changed:
        return conn.execute("SELECT * FROM orders WHERE id = %s", (str(order["id"]),)).fetchone(), False
    return _recompute(conn, order["id"]), True


def set_unit_price(conn: psycopg.Connection, order: dict[str, Any], product_id: Any, price: Decimal) -> dict[str, Any]:
    """One product's lines at `price` (the owner's agreed price); the other lines keep theirs. Returns the order."""
    conn.execute("UPDATE order_items SET unit_price = %s WHERE order_id = %s AND product_id = %s",
                 (price, order["id"], str(product_id)))
    return _recompute(conn, order["id"])


def set_fields(conn: psycopg.Connection, order: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """Set order fields by name. The total follows the delivery: its fee counts while the order is a delivery, and
    a fee the owner set for one place does not hold for another the customer names later (one set before any place
    was named holds for the first)."""
    allowed = {"fulfilment", "delivery_location", "customer_note", "booking_at", "booking_minutes", "kind",
               "booking_day", "payment_phone", "confirmed_total_kes", "failure_reason", "delivery_fee_kes",
               "owner_told_booking_at"}
    bad = set(fields) - allowed
    if bad:
        raise ValueError(f"not an order field: {sorted(bad)}")
    place = fields.get("delivery_location")
    if place and "delivery_fee_kes" not in fields and order.get("delivery_fee_kes") is not None \
            and order.get("delivery_location") and order["delivery_location"].casefold() != place.casefold():
        fields["delivery_fee_kes"] = None
    row = order
    for name, value in fields.items():  # names come from the fixed set above, never from input
        row = conn.execute(
            psycopg.sql.SQL("UPDATE orders SET {} = %s, updated_at = CURRENT_TIMESTAMP WHERE id = %s RETURNING *")
            .format(psycopg.sql.Identifier(name)), (value, order["id"])).fetchone()
    if {"fulfilment", "delivery_fee_kes"} & set(fields):
        row = _recompute(conn, order["id"])
    return row


def get_order(conn: psycopg.Connection, business_id: Any, ref: Any, *, lock: bool = False) -> dict[str, Any] | None:
    """An order of this business by id or by its short number (17, "#17")."""
    text = str(ref).strip().lstrip("#")
    suffix = " FOR UPDATE" if lock else ""
    if text.isdigit() and len(text) < 10:
        return conn.execute("SELECT * FROM orders WHERE business_id = %s AND number = %s" + suffix,
                            (str(business_id), int(text))).fetchone()
    oid = _uuid(text)
    if oid is None:
        return None
    return conn.execute("SELECT * FROM orders WHERE business_id = %s AND id = %s" + suffix,
                        (str(business_id), oid)).fetchone()


def list_orders(conn: psycopg.Connection, business_id: Any, *, status: str | None = None,
                limit: int = 50) -> list[dict[str, Any]]:
    if status is not None and status not in STATUSES:
        raise OrderError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    rows = conn.execute(
        """SELECT * FROM orders WHERE business_id = %s AND (%s::text IS NULL OR status = %s)
           AND (status <> 'draft' OR %s::text = 'draft' OR EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = orders.id))
           ORDER BY created_at DESC, number DESC LIMIT %s""",
        (str(business_id), status, status, status, limit)).fetchall()
    return [order_view(conn, r) for r in rows]


HELD_DAYS = 2  # an order said yes to and not paid holds its items this long


def orders_holding(conn: psycopg.Connection, business_id: Any, product_id: Any,
                   statuses: tuple[str, ...] = ("awaiting_payment",)) -> list[dict[str, Any]]:
    """The orders (number, status, how many) that hold a product: confirmed and waiting for payment by default (what
    `held_stock` counts), or also paid and not yet handed over."""
    return conn.execute(
        """SELECT o.number, o.status, sum(ceil(i.quantity))::int AS quantity
           FROM order_items i JOIN orders o ON o.id = i.order_id
           WHERE o.business_id = %s AND i.product_id = %s AND o.status = ANY(%s)
             AND (o.status <> 'awaiting_payment' OR o.updated_at > CURRENT_TIMESTAMP - make_interval(days => %s))
           GROUP BY o.number, o.status ORDER BY o.number""",
        (str(business_id), str(product_id), list(statuses), HELD_DAYS)).fetchall()


def held_stock(conn: psycopg.Connection, business_id: Any, except_order: Any) -> dict[Any, Decimal]:
    """Per product, how many other customers' confirmed orders (waiting for payment, of the last `HELD_DAYS`)
    hold: stock counted against them, so two yeses never sell three phones from two."""
    rows = conn.execute(
        """SELECT i.product_id, sum(ceil(i.quantity)) AS held FROM order_items i JOIN orders o ON o.id = i.order_id
           WHERE o.business_id = %s AND o.id <> %s AND o.status = 'awaiting_payment'
             AND o.updated_at > CURRENT_TIMESTAMP - make_interval(days => %s)
           GROUP BY i.product_id""", (str(business_id), str(except_order), HELD_DAYS)).fetchall()
    return {r["product_id"]: Decimal(r["held"]) for r in rows}


def stock_short(conn: psycopg.Connection, order: dict[str, Any]) -> list[dict[str, Any]]:
    """The order's counted products the stock no longer covers (sold over the counter or to another customer since
    the yes): name, wanted, left. Read before the payment takes them out of stock."""
    return conn.execute(
        """SELECT p.name, sum(ceil(i.quantity))::int AS wanted, p.stock::int AS left
           FROM order_items i JOIN products p ON p.id = i.product_id
           WHERE i.order_id = %s AND p.stock IS NOT NULL
           GROUP BY p.id, p.name, p.stock HAVING sum(ceil(i.quantity)) > p.stock ORDER BY p.name""",
        (order["id"],)).fetchall()


def decrement_stock(conn: psycopg.Connection, order: dict[str, Any]) -> list[str]:
    """Take a paid order's items out of stock (tracked products only; a product's sizes together). Returns names
    now sold out."""
    rows = conn.execute(
        """UPDATE products p SET stock = greatest(0, p.stock - i.quantity)
           FROM (SELECT product_id, sum(ceil(quantity))::int AS quantity FROM order_items WHERE order_id = %s
                 GROUP BY product_id) i
           WHERE p.id = i.product_id AND p.stock IS NOT NULL
           RETURNING p.name, p.stock""", (order["id"],)).fetchall()
    return [r["name"] for r in rows if r["stock"] == 0]


def _restock(conn: psycopg.Connection, order: dict[str, Any]) -> None:
    """Put a paid order's items back in stock (tracked products only): what `decrement_stock` took."""
    conn.execute(
        """UPDATE products p SET stock = p.stock + i.quantity
           FROM (SELECT product_id, sum(ceil(quantity))::int AS quantity FROM order_items WHERE order_id = %s
                 GROUP BY product_id) i
           WHERE p.id = i.product_id AND p.stock IS NOT NULL""", (order["id"],))


def unmark_paid(conn: psycopg.Connection, order: dict[str, Any]) -> dict[str, Any]:
    """An order the owner marked paid by mistake: waiting for payment again, nothing received, its items back in
    stock. Only for a paid order with no M-Pesa receipt (a receipt is Safaricom's word, not the owner's) that is not
    yet handed over; OrderError otherwise. Returns the order row as it now is."""
    if order["status"] != "paid" or order.get("mpesa_receipt_number"):
        raise OrderError(f"order #{order['number']} is {order['status']}; it cannot go back to waiting for payment")
    _restock(conn, order)
    conn.execute("""UPDATE orders SET status = 'awaiting_payment', paid_at = NULL, paid_amount_kes = NULL,
                    part_received_at = NULL, updated_at = CURRENT_TIMESTAMP WHERE id = %s""", (order["id"],))
    return get_order(conn, order["business_id"], order["id"])


def set_status(conn: psycopg.Connection, business_id: Any, ref: Any, status: str, *, actor: str = "owner",
               reason: str | None = None) -> dict[str, Any]:
    """Move an order to `status` if the transition is allowed. Paid orders decrement stock once.

    Returns the order view; OrderError with a readable reason otherwise."""
    if status not in STATUSES:
        raise OrderError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    order = get_order(conn, business_id, ref, lock=True)
    if order is None:
        raise OrderError(f"no order {ref} in this shop")
    if order["status"] == status:
        return order_view(conn, order)
    if status not in TRANSITIONS[order["status"]]:
        raise OrderError(f"order #{order['number']} is {order['status']}; it cannot become {status}")
    stamp = {"paid": "paid_at", "fulfilled": "fulfilled_at", "cancelled": "cancelled_at",
             "awaiting_payment": "confirmed_at"}.get(status)
    row = conn.execute(
        psycopg.sql.SQL("""UPDATE orders SET status = %s, updated_at = CURRENT_TIMESTAMP,
                               failure_reason = coalesce(%s, failure_reason) {}
                           WHERE id = %s RETURNING *""").format(
            psycopg.sql.SQL(", {} = coalesce({}, CURRENT_TIMESTAMP)").format(
                psycopg.sql.Identifier(stamp), psycopg.sql.Identifier(stamp)) if stamp else psycopg.sql.SQL("")),
        (status, reason, order["id"])).fetchone()
    if status == "paid":
        decrement_stock(conn, row)
    if status == "cancelled" and order["status"] == "paid":  # its things were taken out of stock at payment
        _restock(conn, row)
    if status == "cancelled":  # a prompt still on the customer's phone no longer counts
        conn.execute("""UPDATE order_payments SET status = 'superseded', updated_at = CURRENT_TIMESTAMP
                        WHERE order_id = %s AND status IN ('queued', 'pending')""", (row["id"],))
    return order_view(conn, row)
