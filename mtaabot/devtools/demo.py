"""Demo shops with believable Kenyan catalogues, so a fresh `make run` has something to show."""

from __future__ import annotations

import csv
import io
from importlib import resources
from typing import Any

import psycopg

from mtaabot import businesses, products
from mtaabot.orders.checkout import set_payment_settings

DEMO_SHOPS: list[dict[str, Any]] = [
    {"name": "Mama Njeri Duka", "tone": "mtaa", "whatsapp_number": "254711000101",
     "location": "Kawangware 56, next to the Total stage, Nairobi",
     "opening_hours": "Mon-Sun 6:30am-10pm", "owner_phone": "254722000101"},
    {"name": "Kicks Kona", "tone": "rafiki", "whatsapp_number": "254711000102",
     "location": "Gikomba market, stall 14, Nairobi",
     "opening_hours": "Mon-Sat 8am-7pm", "owner_phone": "254722000102"},
    {"name": "Simu Poa Electronics", "tone": "kazi", "whatsapp_number": "254711000103",
     "location": "Luthuli Avenue, Kimathi House 2nd floor, Nairobi CBD",
     "opening_hours": "Mon-Sat 9am-6pm", "owner_phone": "254722000103"},
    {"name": "Wanjiku Beauty Salon", "tone": "rafiki", "whatsapp_number": "254711000104",
     "location": "Kenyatta Market, Ngong Road, Nairobi",
     "opening_hours": "Mon-Sat 8am-7pm", "owner_phone": "254722000104"},
]
# How each demo shop is paid for orders (made-up numbers: set a real till with `business set-payment`).
DEMO_PAYMENTS: dict[str, dict[str, str]] = {
    "Mama Njeri Duka": {"till": "5123456"},
    "Kicks Kona": {"till": "5234567"},
    "Simu Poa Electronics": {"paybill": "400200", "account": "SIMUPOA"},
    "Wanjiku Beauty Salon": {"till": "5345678"},
}


def demo_catalogue() -> dict[str, str]:
    """Demo CSV text per shop name (same columns as `mtaabot products import`)."""
    text = (resources.files("mtaabot") / "data" / "demo_catalogue.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    per_shop: dict[str, list[dict[str, str]]] = {}
    for row in reader:
        per_shop.setdefault(row.pop("business"), []).append(row)
    out = {}
    for shop, rows in per_shop.items():
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        out[shop] = buf.getvalue()
    return out


def seed_demo(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Create the demo shops (idempotent) and import their catalogues. Returns one summary per shop;
    `api_key` is present only for shops created by this call."""
    catalogues = demo_catalogue()
    summary = []
    for shop in DEMO_SHOPS:
        existing = conn.execute("SELECT * FROM businesses WHERE lower(name) = lower(%s)", (shop["name"],)).fetchone()
        row = existing or businesses.create_business(conn, **shop)
        report = products.import_csv(conn, row["id"], catalogues[shop["name"]])
        # Services are booked, not shipped: a catalogue row with a duration is a service.
        conn.execute(
            """UPDATE products SET is_service = true, duration_minutes = (metadata->>'duration_minutes')::int
               WHERE business_id = %s AND metadata ? 'duration_minutes'""", (row["id"],))
        if not existing:
            set_payment_settings(conn, row["id"], **DEMO_PAYMENTS[shop["name"]])
        summary.append({"id": row["id"], "name": row["name"], "tone": row["tone"],
                        "api_key": row.get("api_key"), "products": report.as_dict()})
    conn.commit()
    return summary
