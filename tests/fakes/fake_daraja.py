"""A real local HTTP server speaking Safaricom Daraja's OAuth, STK Push and STK Query shapes.

Scriptable and recording: tests (and the dashboard's "Renew with M-Pesa") point `MPESA_BASE_URL` at
`FakeDaraja.url`, then decide how each push ends (`set_query_result`, `send_callback`, or
`auto_callback`). Shapes follow `tests/fixtures/mpesa/` (copied from the shared protocol fixtures).

    with FakeDaraja() as fake:
        monkeypatch.setenv("MPESA_BASE_URL", fake.url); fake.env() gives every MPESA_* variable
"""

from __future__ import annotations

import base64
import copy
import itertools
import json
import re
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import requests

from tests.fakes.http_server import LocalHTTPServer, send_json

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "mpesa"
SANDBOX_PASSKEY = "test-passkey-not-a-secret"
NAIROBI = ZoneInfo("Africa/Nairobi")
_PHONE_RE = re.compile(r"254[17]\d{8}")


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def callback_payload(checkout_request_id: str, result_code: int | str = 0, *, amount: float = 999.0,
                     receipt: str | None = "NLJ7RT61SV", phone: int | None = None,
                     merchant_request_id: str = "29115-34620561-1", result_desc: str | None = None,
                     ) -> dict[str, Any]:
    """A Daraja stkCallback body shaped like the fixtures (success with metadata, failures without).
    `phone=None` leaves PhoneNumber out (as in Safaricom's masked callbacks); `send_callback` passes the
    number the push prompted, as Safaricom does."""
    names = {0: "callback_success", 1032: "callback_cancelled", 1037: "callback_timeout", 1: "callback_insufficient"}
    try:
        base = fixture(names.get(int(result_code), "callback_cancelled"))
    except ValueError:
        base = fixture("callback_cancelled")
    stk = base["Body"]["stkCallback"]
    stk["CheckoutRequestID"] = checkout_request_id
    stk["MerchantRequestID"] = merchant_request_id
    stk["ResultCode"] = result_code
    if result_desc is not None:
        stk["ResultDesc"] = result_desc
    for item in stk.get("CallbackMetadata", {}).get("Item", []):
        if item["Name"] == "Amount":
            item["Value"] = amount
        elif item["Name"] == "MpesaReceiptNumber":
            if receipt is None:
                item.pop("Value", None)
            else:
                item["Value"] = receipt
        elif item["Name"] == "PhoneNumber" and phone is not None:
            item["Value"] = phone
        elif item["Name"] == "TransactionDate":
            item["Value"] = int(datetime.now(NAIROBI).strftime("%Y%m%d%H%M%S"))
    if phone is None and "CallbackMetadata" in stk:
        stk["CallbackMetadata"]["Item"] = [i for i in stk["CallbackMetadata"]["Item"] if i["Name"] != "PhoneNumber"]
    return base


class FakeDaraja(LocalHTTPServer):
    """Daraja stand-in on 127.0.0.1 (random port). Everything it receives is in `requests`."""

    def __init__(self, *, consumer_key: str = "fake-key", consumer_secret: str = "fake-secret",
                 shortcode: str = "174379", passkey: str = SANDBOX_PASSKEY, token_ttl: int = 3599) -> None:
        self.consumer_key, self.consumer_secret = consumer_key, consumer_secret
        self.shortcode, self.passkey, self.token_ttl = shortcode, passkey, token_ttl
        self.requests: list[dict[str, Any]] = []
        self.pushes: dict[str, dict[str, Any]] = {}  # CheckoutRequestID -> STK push body
        self.query_results: dict[str, tuple[int | str, str]] = {}  # CheckoutRequestID -> (code, desc)
        self.push_errors: list[tuple[int, dict[str, Any]]] = []  # next push answers (status, body)
        self.auto_callback: int | None = None  # result code to call back with after each push
        self.auto_callback_delay = 0.2
        self.callback_first: int | None = None  # result code to call back with BEFORE answering the push
        self.early_answers: list[int] = []  # what our app answered those early callbacks (HTTP status)
        self.tokens_issued = 0
        self._tokens: dict[str, float] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._serve(self._handler())

    # -- lifecycle -----------------------------------------------------------------------------
    def env(self, callback_url: str = "https://mtaabot.example.test", token: str = "cb-token-123") -> dict[str, str]:
        """MPESA_* variables that make the app talk to this fake."""
        return {"MPESA_BASE_URL": self.url, "MPESA_CONSUMER_KEY": self.consumer_key,
                "MPESA_CONSUMER_SECRET": self.consumer_secret, "MPESA_SHORTCODE": self.shortcode,
                "MPESA_PASSKEY": self.passkey, "MPESA_CALLBACK_URL": callback_url, "MPESA_CALLBACK_TOKEN": token}

    # -- scripting -----------------------------------------------------------------------------
    def requests_to(self, path: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"] == path]

    def set_query_result(self, checkout_request_id: str, result_code: int | str, desc: str = "") -> None:
        self.query_results[checkout_request_id] = (result_code, desc or f"result {result_code}")

    def expire_tokens(self) -> None:
        self._tokens.clear()

    def send_callback(self, checkout_request_id: str, result_code: int | str = 0, **kwargs: Any
                      ) -> requests.Response:
        """POST a callback for a push to the CallBackURL that push named (as Safaricom would)."""
        push = self.pushes[checkout_request_id]
        body = callback_payload(checkout_request_id, result_code, amount=float(push["Amount"]),
                                phone=int(push["PhoneNumber"]), **kwargs)
        return requests.post(push["CallBackURL"], json=body, timeout=10)

    # -- HTTP ----------------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _send(self, status: int, body: dict[str, Any]) -> None:
                send_json(self, status, body)

            def _record(self, body: Any) -> None:
                with fake._lock:
                    fake.requests.append({"method": self.command, "path": urlsplit(self.path).path,
                                          "query": parse_qs(urlsplit(self.path).query),
                                          "headers": dict(self.headers), "json": body, "at": time.time()})

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                self._record(None)
                if parts.path != "/oauth/v1/generate":
                    return self._send(404, {"errorCode": "404.001.01", "errorMessage": "Resource not found"})
                if parse_qs(parts.query).get("grant_type") != ["client_credentials"]:
                    return self._send(400, {"errorCode": "400.008.02", "errorMessage": "Invalid grant type passed"})
                expected = base64.b64encode(f"{fake.consumer_key}:{fake.consumer_secret}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {expected}":
                    return self._send(400, {"errorCode": "400.008.01", "errorMessage": "Invalid Authentication passed"})
                body = fixture("oauth_token")
                token = f"fake-token-{next(fake._ids)}"
                with fake._lock:
                    fake.tokens_issued += 1
                    fake._tokens[token] = time.monotonic() + fake.token_ttl
                body.update(access_token=token, expires_in=str(fake.token_ttl))
                self._send(200, body)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                self._record(body)
                path = urlsplit(self.path).path
                if path not in ("/mpesa/stkpush/v1/processrequest", "/mpesa/stkpushquery/v1/query"):
                    return self._send(404, {"errorCode": "404.001.01", "errorMessage": "Resource not found"})
                auth = self.headers.get("Authorization", "")
                token = auth.removeprefix("Bearer ")
                if not auth.startswith("Bearer ") or fake._tokens.get(token, 0) < time.monotonic():
                    return self._send(401, {"requestId": "fake", "errorCode": "404.001.03",
                                            "errorMessage": "Invalid Access Token"})
                if not isinstance(body, dict):
                    return self._send(400, {"requestId": "fake", "errorCode": "400.002.02",
                                            "errorMessage": "Bad Request - Invalid JSON"})
                problem = fake._check_password(body)
                if problem:
                    return self._send(400, {"requestId": "fake", "errorCode": "400.002.02",
                                            "errorMessage": f"Bad Request - Invalid {problem}"})
                if path.endswith("processrequest"):
                    return self._push(body)
                return self._query(body)

            def _push(self, body: dict[str, Any]) -> None:
                problem = fake._check_push(body)
                if problem:
                    return self._send(400, {"requestId": "fake", "errorCode": "400.002.02",
                                            "errorMessage": f"Bad Request - Invalid {problem}"})
                if fake.push_errors:
                    status, answer = fake.push_errors.pop(0)
                    return self._send(status, answer)
                n = next(fake._ids)
                checkout = f"ws_CO_{datetime.now(UTC):%d%m%Y%H%M%S}{n:06d}"
                answer = fixture("stk_push_response")
                answer.update(CheckoutRequestID=checkout, MerchantRequestID=f"29115-{n}-1")
                with fake._lock:
                    fake.pushes[checkout] = copy.deepcopy(body)
                if fake.callback_first is not None:  # a quick customer, a slow network: the callback wins
                    fake.early_answers.append(fake.send_callback(checkout, fake.callback_first).status_code)
                self._send(200, answer)
                if fake.auto_callback is not None:
                    code = fake.auto_callback
                    threading.Timer(fake.auto_callback_delay, fake.send_callback, (checkout, code)).start()

            def _query(self, body: dict[str, Any]) -> None:
                checkout = body.get("CheckoutRequestID")
                if checkout not in fake.pushes:
                    return self._send(400, {"requestId": "fake", "errorCode": "400.002.02",
                                            "errorMessage": "Bad Request - Invalid CheckoutRequestID"})
                if checkout not in fake.query_results:
                    answer = fixture("stk_query_pending")
                    answer["requestId"] = checkout
                    return self._send(500, answer)
                code, desc = fake.query_results[checkout]
                answer = fixture("stk_query_success")
                answer.update(CheckoutRequestID=checkout, ResultCode=str(code), ResultDesc=desc)
                self._send(200, answer)

        return Handler

    def _check_password(self, body: dict[str, Any]) -> str | None:
        ts = str(body.get("Timestamp", ""))
        if str(body.get("BusinessShortCode")) != self.shortcode:
            return "BusinessShortCode"
        try:
            datetime.strptime(ts, "%Y%m%d%H%M%S")
        except ValueError:
            return "Timestamp"
        expected = base64.b64encode(f"{self.shortcode}{self.passkey}{ts}".encode()).decode()
        return None if body.get("Password") == expected else "Password"

    def _check_push(self, body: dict[str, Any]) -> str | None:
        if body.get("TransactionType") not in ("CustomerPayBillOnline", "CustomerBuyGoodsOnline"):
            return "TransactionType"
        if not isinstance(body.get("Amount"), int) or body["Amount"] < 1:
            return "Amount"
        for name in ("PartyA", "PhoneNumber"):
            if not _PHONE_RE.fullmatch(str(body.get(name, ""))):
                return name
        # Plans are paid to the platform's own shortcode; a shop's order to the shop's till or paybill.
        if not re.fullmatch(r"[0-9]{5,10}", str(body.get("PartyB", ""))):
            return "PartyB"
        url = urlsplit(str(body.get("CallBackURL", "")))
        if url.scheme != "https" and url.hostname not in ("127.0.0.1", "localhost"):
            return "CallBackURL"
        if not 0 < len(str(body.get("AccountReference", ""))) <= 12:
            return "AccountReference"
        if not 0 < len(str(body.get("TransactionDesc", ""))) <= 13:
            return "TransactionDesc"
        return None
