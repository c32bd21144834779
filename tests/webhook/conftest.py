"""Fixtures for the WhatsApp webhook tests: fake Graph API, the real Flask app over HTTP, a worker."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from werkzeug.serving import make_server

from tests.fakes.fake_graph import FakeGraph

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "whatsapp"
APP_SECRET = "test-app-secret-not-real"
PHONE_NUMBER_ID = "109876543210001"  # the number in the protocol fixtures
ACCESS_TOKEN = "EAAG-test-token"
VERIFY_TOKEN = "verify-me-123"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def text_payload(body: str, *, wamid: str, phone: str | None = "254722000001", bsuid: str | None = None,
                 phone_number_id: str = PHONE_NUMBER_ID, name: str = "Mteja") -> dict[str, Any]:
    """A text delivery shaped like the fixtures, for any sender/number."""
    contact: dict[str, Any] = {"profile": {"name": name}}
    message: dict[str, Any] = {"id": wamid, "timestamp": str(int(time.time())), "type": "text",
                               "text": {"body": body}}
    if phone:
        contact["wa_id"] = phone
        message["from"] = phone
    if bsuid:
        contact["user_id"] = bsuid
        if not phone:
            message["from_user_id"] = bsuid
    return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "254711000001", "phone_number_id": phone_number_id},
        "contacts": [contact], "messages": [message]}}]}]}


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    with FakeGraph() as fake:
        yield fake


@pytest.fixture
def wa_env(db_url: str, graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {"WHATSAPP_GRAPH_URL": graph.url, "WHATSAPP_APP_SECRET": APP_SECRET,
           "WHATSAPP_API_VERSION": "v21.0", "WHATSAPP_RETRY_BASE_SECONDS": "0.05", "DATABASE_URL": db_url}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def create_shop(conn: psycopg.Connection, name: str = "Mama Njeri Duka", phone_number_id: str = PHONE_NUMBER_ID,
                number: str = "0711000001", location: str = "Kawangware") -> dict[str, Any]:
    from mtaabot.businesses import connect_whatsapp, create_business
    from mtaabot.products import import_csv

    shop = create_business(conn, name=name, tone="mtaa", whatsapp_number=number, location=location,
                           opening_hours="Mon-Sat 7am-9pm")
    connect_whatsapp(conn, shop["id"], phone_number_id=phone_number_id, access_token=ACCESS_TOKEN + name[:3],
                     verify_token=VERIFY_TOKEN)
    import_csv(conn, shop["id"], "name,description,price,currency,is_available,metadata\n"
               "Maize flour 2kg,Unga wa ugali (Jogoo),210,KES,true,\n"
               "Sugar 1kg,Sukari (Kabras),190,KES,true,\n"
               "Cooking oil 1L,Mafuta ya kupika,380,KES,true,\n"
               "Milk 500ml,Maziwa fresh,65,KES,false,\n")
    conn.commit()
    return shop


@pytest.fixture
def shop(conn: psycopg.Connection, wa_env: dict[str, str]) -> dict[str, Any]:
    return create_shop(conn)


class App:
    """The real Flask app served over HTTP by werkzeug in a thread."""

    def __init__(self) -> None:
        from webhook import create_app

        self.port = free_port()
        self.server = make_server("127.0.0.1", self.port, create_app(), threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.port}"

    def post_webhook(self, payload: dict[str, Any] | bytes, *, signature: str | None = "auto",
                     timeout: float = 30) -> requests.Response:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if signature == "auto":
            headers["X-Hub-Signature-256"] = sign(body)
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        return requests.post(self.url + "/webhook", data=body, headers=headers, timeout=timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def app(wa_env: dict[str, str]) -> Iterator[App]:
    served = App()
    yield served
    served.close()


@pytest.fixture
def worker(wa_env: dict[str, str]) -> Iterator[Any]:
    from mtaabot.whatsapp.worker import Worker

    w = Worker(wa_env["DATABASE_URL"], senders=2, poll_seconds=0.1).start()
    assert w.ready.wait(300), "worker did not load the engine"
    yield w
    w.stop()


def wait_until(check: Callable[[], Any], timeout: float = 30.0, interval: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def query(db_url: str, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    from psycopg.rows import dict_row

    with psycopg.connect(db_url, row_factory=dict_row, autocommit=True) as c:
        return c.execute(sql, params).fetchall()
