"""Billing fixtures: the fake Daraja server, the real Flask app over HTTP, a business on trial."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from werkzeug.serving import make_server

from tests.fakes.fake_daraja import FakeDaraja

CALLBACK_TOKEN = "cb-secret-token-7d3f"


@pytest.fixture
def fake_daraja(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDaraja]:
    with FakeDaraja() as fake:
        for name, value in fake.env(token=CALLBACK_TOKEN).items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("MPESA_ALLOWED_IPS", raising=False)
        yield fake


@pytest.fixture
def webhook_url(db_url: str, fake_daraja: FakeDaraja, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The real webhook app (`create_app`) served over HTTP; Daraja calls it back at its callback path."""
    from webhook import create_app

    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setenv("MPESA_CALLBACK_URL", url)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def business(conn: psycopg.Connection) -> dict[str, Any]:
    from mtaabot.businesses import create_business

    row = create_business(conn, name="Mama Njeri Duka", tone="mtaa", whatsapp_number="0711000101")
    conn.commit()
    return row


def snapshot(conn: psycopg.Connection) -> tuple[list[dict[str, Any]], ...]:
    """Everything billing may change, for 'nothing changed' assertions."""
    conn.commit()
    subs = conn.execute("SELECT * FROM subscriptions ORDER BY id").fetchall()
    shops = conn.execute("SELECT id, status, updated_at FROM businesses ORDER BY id").fetchall()
    calls = conn.execute("SELECT id, outcome FROM mpesa_callbacks ORDER BY id").fetchall()
    notes = conn.execute("SELECT id FROM notifications ORDER BY id").fetchall()
    return subs, shops, calls, notes
