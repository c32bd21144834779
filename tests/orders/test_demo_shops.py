"""`mtaabot demo seed` gives `make run` a salon that takes bookings and shops that take M-Pesa orders."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from mtaabot.conversations import Customer, get_or_create_conversation, store_inbound_message
from mtaabot.devtools.demo import seed_demo
from mtaabot.embeddings import embed_stale_products
from mtaabot.engine import respond


def test_demo_salon_books_a_service_and_every_demo_shop_has_a_till_or_paybill(conn, monkeypatch):
    for name in ("MPESA_CONSUMER_KEY", "MPESA_CONSUMER_SECRET", "MPESA_PASSKEY", "MPESA_CALLBACK_URL"):
        monkeypatch.delenv(name, raising=False)
    seed_demo(conn)
    seed_demo(conn)  # idempotent
    salon = conn.execute("SELECT * FROM businesses WHERE name = 'Wanjiku Beauty Salon'").fetchone()
    services = conn.execute("SELECT name, duration_minutes FROM products WHERE business_id = %s AND is_service",
                            (salon["id"],)).fetchall()
    assert {"Box Braids", "Manicure"} <= {s["name"] for s in services} and all(s["duration_minutes"] for s in services)
    assert conn.execute("SELECT count(*) AS n FROM business_payment_settings").fetchone()["n"] == 4
    embed_stale_products(conn, salon["id"])
    conn.commit()

    def say(text):
        conv = get_or_create_conversation(conn, salon["id"], Customer(phone="254712600001"))
        msg, _ = store_inbound_message(conn, business_id=salon["id"], conversation_id=conv["id"], content=text,
                                       wamid=f"demo.{text}")
        result = respond(conn, business_id=salon["id"], conversation_id=conv["id"], user_message_id=msg["id"])
        conn.commit()
        return result

    booking = say("Habari, nataka kusukwa box braids Jumamosi saa nne")
    assert booking.intent == "booking" and booking.order["kind"] == "booking" and "KES 2,500" in booking.reply
    at = datetime.fromisoformat(booking.order["booking_at"]).astimezone(ZoneInfo("Africa/Nairobi"))
    assert (at.weekday(), at.hour) == (5, 10)
    confirmed = say("Ndio")
    assert confirmed.order["status"] == "awaiting_payment" and "Till 5345678" in confirmed.reply
