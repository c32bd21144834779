"""Engine test helpers: the embedding model loaded once per session, shops with embedded catalogues."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest

from mtaabot import businesses, products
from mtaabot.conversations import Customer, get_or_create_conversation, store_inbound_message
from mtaabot.devtools import demo
from mtaabot.embeddings import embed_stale_products, encode
from mtaabot.engine import EngineResult, respond


@pytest.fixture(scope="session", autouse=True)
def warm_model() -> None:
    """Load all-MiniLM-L6-v2 once for the whole engine test session."""
    encode(["warm up"])


def make_shop(conn: psycopg.Connection, *, name: str | None = None, tone: str = "mtaa",
              catalogue: str | None = None, location: str | None = "Kawangware 56, Nairobi",
              opening_hours: str | None = "Mon-Sat 7am-9pm") -> dict[str, Any]:
    """A business with its catalogue imported and embedded (committed)."""
    shop = businesses.create_business(conn, name=name or f"Duka {uuid.uuid4().hex[:6]}", tone=tone,
                                      location=location, opening_hours=opening_hours)
    if catalogue is None:
        catalogue = demo.demo_catalogue()["Mama Njeri Duka"]
    report = products.import_csv(conn, shop["id"], catalogue)
    assert report.ok, report.errors
    conn.commit()
    embed_stale_products(conn, shop["id"])
    return shop


def make_salon(conn: psycopg.Connection, catalogue: str, minutes: int = 60) -> dict[str, Any]:
    """A shop open every day whose every catalogue row is a service of `minutes` (committed)."""
    shop = make_shop(conn, catalogue=catalogue, opening_hours="Mon-Sun 7am-9pm", tone="rafiki")
    conn.execute("UPDATE products SET is_service = true, duration_minutes = %s WHERE business_id = %s",
                 (minutes, shop["id"]))
    conn.commit()
    return shop


def ask(conn: psycopg.Connection, shop: dict[str, Any], text: str, customer: str | None = None,
        who: Customer | None = None) -> EngineResult:
    """Store `text` like an inbound WhatsApp message and run the engine on it (committed). `customer` is a
    phone number; `who` any customer identity (a BSUID-only one); neither: a new customer."""
    who = who or (Customer(phone=customer) if customer else Customer(bsuid=f"t.{uuid.uuid4().hex}"))
    conv = get_or_create_conversation(conn, shop["id"], who)
    msg, _ = store_inbound_message(conn, business_id=shop["id"], conversation_id=conv["id"], content=text,
                                   wamid=f"t.{uuid.uuid4().hex}")
    result = respond(conn, business_id=shop["id"], conversation_id=conv["id"], user_message_id=msg["id"])
    conn.commit()
    return result


def order_lines(result: EngineResult) -> dict[tuple[str, str | None], int]:
    """The answer's order as {(product name, variant): quantity} (empty when there is none)."""
    return {(i["name"], i["variant"]): i["quantity"] for i in (result.order or {}).get("items", [])}


def last_alert(conn: psycopg.Connection, shop: dict[str, Any]) -> str | None:
    """The body of the shop's latest owner alert about a customer (a hand-over), or None."""
    row = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'escalation' "
                       "ORDER BY created_at DESC LIMIT 1", (shop["id"],)).fetchone()
    return row["body"] if row else None
