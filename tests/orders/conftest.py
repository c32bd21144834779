"""Order tests: the engine helpers (model loaded once), and for checkout the real webhook app over HTTP,
the real worker, the fake Graph API and the fake Daraja (M-Pesa calls back into the app)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.engine.conftest import warm_model  # noqa: F401  (session fixture: load the model once)
from tests.fakes.fake_daraja import FakeDaraja
from tests.webhook.conftest import App, app, graph, wa_env, worker  # noqa: F401  (shared fixtures)

CALLBACK_TOKEN = "orders-cb-token-5c1a"


@pytest.fixture
def daraja(wa_env: dict[str, str], app: App, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDaraja]:  # noqa: F811
    """Fake Daraja whose callbacks reach the real app at /mpesa/callback/<token>."""
    with FakeDaraja() as fake:
        for name, value in fake.env(callback_url=app.url, token=CALLBACK_TOKEN).items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("MPESA_ALLOWED_IPS", raising=False)
        yield fake


def till_shop(conn: psycopg.Connection, catalogue: str, till: str = "5123456") -> dict[str, Any]:
    """A shop (tests.engine.conftest.make_shop) paid through an M-Pesa till, so a yes waits for the payment."""
    from mtaabot.orders.checkout import set_payment_settings
    from tests.engine.conftest import make_shop

    shop = make_shop(conn, catalogue=catalogue)
    set_payment_settings(conn, shop["id"], till=till)
    conn.commit()
    return shop


def connected_shop(conn: psycopg.Connection, *, name: str, tone: str, phone_number_id: str, number: str,
                   catalogue: str, opening_hours: str = "Mon-Sat 8am-8pm") -> dict[str, Any]:
    """A shop with its WhatsApp number connected and its catalogue imported and embedded."""
    from mtaabot.businesses import connect_whatsapp, create_business
    from mtaabot.embeddings import embed_stale_products
    from mtaabot.products import import_csv
    from tests.webhook.conftest import ACCESS_TOKEN, VERIFY_TOKEN

    shop = create_business(conn, name=name, tone=tone, whatsapp_number=number, location="Nairobi",
                           opening_hours=opening_hours)
    connect_whatsapp(conn, shop["id"], phone_number_id=phone_number_id, access_token=ACCESS_TOKEN + name[:3],
                     verify_token=VERIFY_TOKEN)
    report = import_csv(conn, shop["id"], "name,description,price,currency,is_available,metadata\n" + catalogue)
    assert report.ok, report.errors
    conn.commit()
    embed_stale_products(conn, shop["id"])
    conn.commit()
    return shop
