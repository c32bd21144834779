"""A small, exactly known order history for the orders marts and the dashboard chart.

Shop A (Africa/Nairobi) on 10 Nov 2026 (Nairobi days):
- customer 1 asks about sugar, orders 2 x Sugar (180) + 1 x Cooking oil (380) = KES 740 and pays it;
- customer 3 asks and never orders; customer 5 asks and cancels a KES 190 order;
- customer 4 leaves a cart (draft) with an item: never an order;
- the owner's own chat has a product question: not a customer.
- customer 2 asks and orders at 21:30 / 21:35 UTC, i.e. 00:30 / 00:35 on 11 Nov in Nairobi: that order
  belongs to 11 Nov, awaiting payment.
Shop B pays a KES 5,000 order on 10 Nov (must never show up in A's rows).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import psycopg

from mtaabot.businesses import create_business
from mtaabot.conversations import Customer, get_or_create_conversation, store_inbound_message
from mtaabot.orders import store
from mtaabot.products import import_csv

DAY = date(2026, 11, 10)
NEXT_DAY = date(2026, 11, 11)


def _ask(conn: psycopg.Connection, shop_id: Any, conversation_id: Any, at: str, text: str = "sukari ngapi") -> None:
    row, _ = store_inbound_message(conn, business_id=shop_id, conversation_id=conversation_id, content=text)
    conn.execute("UPDATE messages SET intent = 'product', created_at = %s WHERE id = %s", (at, row["id"]))


def _order(conn: psycopg.Connection, shop_id: Any, conversation_id: Any, at: str, lines: list[tuple[str, int]],
           statuses: tuple[str, ...]) -> dict[str, Any]:
    cart = store.create_cart(conn, shop_id, conversation_id)
    for name, qty in lines:
        product = conn.execute("SELECT * FROM products WHERE business_id = %s AND name = %s",
                               (shop_id, name)).fetchone()
        cart = store.set_item(conn, cart, product, Decimal(qty))
    for status in statuses:
        store.set_status(conn, shop_id, cart["id"], status, actor="test")
    if "paid" in statuses:
        conn.execute("UPDATE orders SET paid_amount_kes = total_kes WHERE id = %s", (cart["id"],))
    return conn.execute("UPDATE orders SET created_at = %s WHERE id = %s RETURNING *", (at, cart["id"])).fetchone()


def make_history(conn: psycopg.Connection) -> dict[str, Any]:
    a = create_business(conn, name="Duka A", tone="mtaa", whatsapp_number="0711000101")
    b = create_business(conn, name="Duka B", tone="kazi", whatsapp_number="0711000202")
    for shop in (a, b):
        report = import_csv(conn, shop["id"], "name,description,price,currency,is_available,metadata\n"
                                              "Sugar 1kg,Sukari,180,KES,true,\n"
                                              "Cooking oil 1L,Mafuta,380,KES,true,\n"
                                              "Rice 2kg,Mchele,190,KES,true,\n"
                                              "Phone,Simu,5000,KES,true,\n")
        assert report.ok, report.errors
    chat = {n: get_or_create_conversation(conn, a["id"], Customer(phone=f"25471200000{n}"))["id"]
            for n in range(1, 6)}
    owner = get_or_create_conversation(conn, a["id"], Customer(phone="254711000101"))["id"]
    conn.execute("UPDATE conversations SET kind = 'owner' WHERE id = %s", (owner,))

    _ask(conn, a["id"], chat[1], "2026-11-10 08:00+00")
    paid = _order(conn, a["id"], chat[1], "2026-11-10 08:05+00", [("Sugar 1kg", 2), ("Cooking oil 1L", 1)],
                  ("awaiting_payment", "paid"))
    _ask(conn, a["id"], chat[3], "2026-11-10 09:00+00")
    _ask(conn, a["id"], chat[5], "2026-11-10 09:55+00")
    cancelled = _order(conn, a["id"], chat[5], "2026-11-10 10:00+00", [("Rice 2kg", 1)],
                       ("awaiting_payment", "cancelled"))
    draft = _order(conn, a["id"], chat[4], "2026-11-10 11:00+00", [("Rice 2kg", 3)], ())
    _ask(conn, a["id"], owner, "2026-11-10 12:00+00", "bei ya sukari?")
    _ask(conn, a["id"], chat[2], "2026-11-10 21:30+00")
    late = _order(conn, a["id"], chat[2], "2026-11-10 21:35+00", [("Sugar 1kg", 1)], ("awaiting_payment",))

    b_chat = get_or_create_conversation(conn, b["id"], Customer(phone="254712000009"))["id"]
    _ask(conn, b["id"], b_chat, "2026-11-10 08:00+00", "simu")
    b_paid = _order(conn, b["id"], b_chat, "2026-11-10 08:10+00", [("Phone", 1)], ("awaiting_payment", "paid"))
    conn.commit()
    return {"a": a, "b": b, "paid": paid, "cancelled": cancelled, "draft": draft, "late": late, "b_paid": b_paid}
