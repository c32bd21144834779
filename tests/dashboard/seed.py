"""Test data for the dashboard: two shops with products, chats (one escalated) and messages today."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg

from mtaabot import businesses, conversations, products

NAIROBI = ZoneInfo("Africa/Nairobi")
CATALOGUE_A = """name,description,price,currency,is_available,metadata
Unga wa Ugali 2kg,Maize flour,210,KES,true,
Sukari 1kg,White sugar,185,KES,true,
Mafuta ya Kupika 1L,Cooking oil,360,KES,false,
"""
CATALOGUE_B = """name,description,price,currency,is_available,metadata
Sneakers Air,Mtumba sneakers size 40-44,2500,KES,true,
"""


@dataclass
class Shop:
    id: str
    name: str
    api_key: str
    escalated_conversation_id: str
    customers_today: int
    messages_in_today: int


def _chat(conn: psycopg.Connection, shop_id: str, phone: str, lines: list[tuple[str, str, float | None]],
          start: datetime) -> str:
    conv = conversations.get_or_create_conversation(conn, shop_id, conversations.Customer(phone=phone))
    at = start
    last_customer = last_customer_at = None
    for role, text, conf in lines:
        author = "customer" if role == "user" else "ai"
        row = conn.execute(
            """INSERT INTO messages (conversation_id, business_id, role, author, content, detected_language,
                                     confidence_score, tokens_used, reply_to, created_at)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id""",
            (conv["id"], shop_id, role, author, text, "SHENG", conf, len(text.split()) * 2,
             None if role == "user" else last_customer, at),
        ).fetchone()
        if role == "user":
            last_customer, last_customer_at = row["id"], at
        at += timedelta(seconds=40)
    conn.execute("""UPDATE conversations SET last_message_at = %s,
                        last_customer_message_at = greatest(last_customer_message_at, %s) WHERE id = %s""",
                 (at, last_customer_at, conv["id"]))
    return str(conv["id"])


def seed_shop(conn: psycopg.Connection, name: str, number: str, catalogue: str, customers: int,
              rng: random.Random) -> Shop:
    row = businesses.create_business(conn, name=name, tone="mtaa", whatsapp_number=number,
                                     owner_phone="254712345678")
    products.import_csv(conn, row["id"], catalogue)
    now = datetime.now(UTC).replace(microsecond=0)
    midnight = datetime.now(NAIROBI).replace(hour=0, minute=0, second=0, microsecond=0)
    anchor = max(now - timedelta(minutes=30), midnight + timedelta(minutes=1))  # always "today" in Nairobi
    escalated = ""
    for i in range(customers):
        lines = [("user", f"Niaje, bei ya unga ni ngapi? ({name} #{i})", None),
                 ("bot", "Unga wa Ugali 2kg ni KES 210, iko.", round(rng.uniform(0.35, 0.95), 2))]
        cid = _chat(conn, row["id"], f"2547220{number[-3:]}{i:03d}", lines, anchor + timedelta(seconds=10 * i))
        if i == 0:
            conn.execute("INSERT INTO messages (conversation_id, business_id, role, author, content, created_at) "
                         "VALUES (%s, %s, 'user', 'customer', 'Nataka kuongea na mtu tafadhali', %s)",
                         (cid, row["id"], anchor + timedelta(minutes=2)))
            conn.execute("UPDATE conversations SET last_customer_message_at = %s WHERE id = %s",
                         (anchor + timedelta(minutes=2), cid))
            conversations.escalate(conn, cid, "asked_for_human")
            escalated = cid
    # an older chat (10 days ago) so the 30-day window differs from today
    _chat(conn, row["id"], f"2547330{number[-3:]}000", [("user", "Mko wapi?", None)], now - timedelta(days=10))
    conn.commit()
    return Shop(id=str(row["id"]), name=name, api_key=row["api_key"], escalated_conversation_id=escalated,
                customers_today=customers, messages_in_today=customers + 1)


def seed_two_shops(conn: psycopg.Connection) -> tuple[Shop, Shop]:
    rng = random.Random(7)
    a = seed_shop(conn, "Duka la Amani", "254711000201", CATALOGUE_A, customers=7, rng=rng)
    b = seed_shop(conn, "Viatu vya Baraka", "254711000202", CATALOGUE_B, customers=3, rng=rng)
    return a, b


def add_owner_reply(conn: psycopg.Connection, shop: Shop, minutes_after_escalation: float) -> None:
    """The owner answers the shop's escalated chat this many minutes after it was handed over."""
    conn.execute(
        """INSERT INTO messages (conversation_id, business_id, role, author, content, created_at)
           SELECT id, business_id, 'bot', 'owner', 'Niko hapa, nikusaidie aje?', escalated_at + %s
           FROM conversations WHERE id = %s""",
        (timedelta(minutes=minutes_after_escalation), shop.escalated_conversation_id))
    conn.commit()


def seed_busy_shop(conn: psycopg.Connection, replies: int = 250) -> Shop:
    """A trial shop (300 AI replies) that has used `replies` of them today: near its limit."""
    row = businesses.create_business(conn, name="Chapati Corner", tone="kazi", whatsapp_number="254711000203")
    conv = conversations.get_or_create_conversation(conn, row["id"], conversations.Customer(phone="254799000001"))
    now = datetime.now(UTC)
    with conn.cursor() as cur:
        for i in range(replies):
            at = now - timedelta(seconds=5 * (replies - i))
            user = cur.execute(
                """INSERT INTO messages (conversation_id, business_id, role, author, content, detected_language,
                                         confidence_score, tokens_used, created_at)
                   VALUES (%s, %s, 'user', 'customer', %s, 'ENG', 0.9, 8, %s) RETURNING id""",
                (conv["id"], row["id"], f"Do you have chapati? {i}", at)).fetchone()
            cur.execute(
                """INSERT INTO messages (conversation_id, business_id, role, author, content, confidence_score,
                                         tokens_used, reply_to, created_at)
                   VALUES (%s, %s, 'bot', 'ai', 'Yes, KES 30 each.', 0.9, 12, %s, %s)""",
                (conv["id"], row["id"], user["id"], at + timedelta(seconds=1)))
    conn.execute("UPDATE conversations SET last_customer_message_at = %s WHERE id = %s", (now, conv["id"]))
    conn.commit()
    return Shop(id=str(row["id"]), name=row["name"], api_key=row["api_key"], escalated_conversation_id="",
                customers_today=1, messages_in_today=replies)
