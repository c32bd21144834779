"""A fake WhatsApp Cloud API (Graph) server: a real local HTTP server speaking the send shape.

`POST /{version}/{phone_number_id}/messages` with a Bearer token answers
`{"messaging_product": "whatsapp", "contacts": [...], "messages": [{"id": "wamid.FAKE…"}]}` and records
the request. Scriptable: `script(429, 500)` makes the next two sends fail with those statuses (Graph
error bodies, e.g. code 130429 for 429), `script((400, 131047))` returns a specific error code, and
`throttle(phone_number_id)` answers 429 to every send from one business number until turned off.

    with FakeGraph() as graph:
        env["WHATSAPP_GRAPH_URL"] = graph.url
        ...
        graph.wait_for(1)
        graph.sent[0].body["to"]
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.http_server import LocalHTTPServer, send_json

_PATH = re.compile(r"^/(v[\d.]+)/([^/]+)/messages$")
_ERRORS = {
    429: (130429, "Rate limit hit"),
    500: (1, "An unknown error occurred"),
    503: (2, "Service temporarily unavailable"),
    400: (100, "Invalid parameter"),
}
_TITLES = {130429: "Rate limit hit", 131056: "Pair rate limit hit", 131047: "Re-engagement message",
           132001: "Template name does not exist in the translation",
           100: "Invalid parameter", 190: "Invalid OAuth access token"}


def _valid_content(body: dict[str, Any]) -> bool:
    """A text with a body, or a template with a name, a language and text parameters (no new lines, as Meta
    requires)."""
    if body.get("type") == "text":
        return bool((body.get("text") or {}).get("body"))
    if body.get("type") == "template":
        tpl = body.get("template") or {}
        params = [p for c in tpl.get("components") or [] for p in c.get("parameters") or []]
        return bool(tpl.get("name")) and bool((tpl.get("language") or {}).get("code")) and all(
            p.get("type") == "text" and p.get("text") and "\n" not in p["text"] for p in params)
    return False


@dataclass
class Recorded:
    phone_number_id: str
    version: str
    token: str | None
    body: dict[str, Any]
    status: int
    at: float
    wamid: str | None = None


@dataclass
class FakeGraph(LocalHTTPServer):
    host: str = "127.0.0.1"
    port: int = 0
    delay: float = 0.0
    requests: list[Recorded] = field(default_factory=list)  # every request, answered or not
    in_flight: int = 0  # requests received and not yet answered (held by `delay`)
    approved_templates: set[str] = field(default_factory=lambda: {"mtaabot_owner_alert"})
    # `GET /{version}/{phone_number_id}` (the dashboard's "test connection"): tokens Meta accepts (None = any
    # non-empty one) and the phone numbers it knows (None = any numeric id, with a made-up display number).
    valid_tokens: set[str] | None = None
    phone_numbers: dict[str, dict[str, str]] | None = None
    lookups: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._script: list[tuple[int, int | None]] = []
        self._throttled: set[str] = set()
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._ids = itertools.count(1)
        graph = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in two writes: with Nagle on, the body waits for the client's delayed
            # ACK (~40 ms a send on loopback), a stall Meta's servers do not add. TCP_NODELAY, like gunicorn.
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                graph._handle(self)

            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                graph._lookup(self)

        self._serve(Handler, self.host, self.port)
        self.port = self._server.server_address[1]

    def script(self, *responses: int | tuple[int, int]) -> None:
        """Queue answers for the next sends: an HTTP status, or (status, Graph error code)."""
        with self._lock:
            for r in responses:
                self._script.append((r, None) if isinstance(r, int) else (r[0], r[1]))

    def throttle(self, phone_number_id: str, on: bool = True) -> None:
        """While on, every send from this business number answers 429 (Graph code 130429, "Rate limit hit");
        other numbers are not affected."""
        with self._lock:
            (self._throttled.add if on else self._throttled.discard)(phone_number_id)

    @property
    def sent(self) -> list[Recorded]:
        """Requests that were answered 200 (a message WhatsApp would deliver)."""
        with self._lock:
            return [r for r in self.requests if r.status == 200]

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Recorded]:
        """Block until at least `count` messages were accepted (or the timeout); returns them."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while sum(1 for r in self.requests if r.status == 200) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return [r for r in self.requests if r.status == 200]

    def wait_in_flight(self, count: int, timeout: float = 30.0) -> bool:
        """Block until `count` requests are being held (received, not answered yet)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.in_flight < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def _lookup(self, handler: BaseHTTPRequestHandler) -> None:
        """A phone number object, as Graph answers `GET /{version}/{phone_number_id}?fields=...`."""
        match = re.match(r"^/(v[\d.]+)/(\d+)(\?.*)?$", handler.path)
        auth = handler.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else None
        rec = Recorded(phone_number_id=match.group(2) if match else "", version=match.group(1) if match else "",
                       token=token, body={}, status=200, at=time.time())
        if not token or (self.valid_tokens is not None and token not in self.valid_tokens):
            rec.status, payload = 401, {"error": {"message": "Error validating access token", "type": "OAuthException",
                                                  "code": 190, "fbtrace_id": "AbCdEf"}}
        elif match is None or (self.phone_numbers is not None and match.group(2) not in self.phone_numbers):
            rec.status, payload = 400, {"error": {"message": "Unsupported get request. Object does not exist",
                                                  "type": "GraphMethodException", "code": 100, "fbtrace_id": "AbCdEf"}}
        else:
            known = (self.phone_numbers or {}).get(match.group(2)) or {
                "display_phone_number": "+254 711 000 000", "verified_name": "MtaaBot Test Shop"}
            payload = {**known, "id": match.group(2)}
        with self._cond:
            self.lookups.append(rec)
        self._reply(handler, rec.status, payload)

    def _reply(self, handler: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        send_json(handler, status, payload)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        match = _PATH.match(handler.path)
        auth = handler.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else None
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        with self._cond:
            self.in_flight += 1
            self._cond.notify_all()
        try:
            if self.delay:
                time.sleep(self.delay)
            self._answer(handler, match, token, body)
        finally:
            with self._cond:
                self.in_flight -= 1
                self._cond.notify_all()

    def _answer(self, handler: BaseHTTPRequestHandler, match: re.Match[str] | None, token: str | None,
                body: dict[str, Any]) -> None:
        with self._lock:
            if match is not None and match.group(2) in self._throttled:
                status, code = 429, 130429
            else:
                status, code = self._script.pop(0) if self._script else (200, None)
        if match is None:
            status, code = 404, 803
        elif not token:
            status, code = 401, 190
        elif status == 200 and (body.get("messaging_product") != "whatsapp"
                                or not (body.get("to") or body.get("recipient")) or not _valid_content(body)):
            status, code = 400, 100
        elif status == 200 and body.get("type") == "template" and \
                body["template"]["name"] not in self.approved_templates:
            status, code = 400, 132001  # "Template name does not exist in the translation"
        rec = Recorded(phone_number_id=match.group(2) if match else "", version=match.group(1) if match else "",
                       token=token, body=body, status=status, at=time.time())
        if status == 200:
            rec.wamid = f"wamid.FAKE{next(self._ids):08d}"
            payload: dict[str, Any] = {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body.get("to") or body.get("recipient"), "wa_id": body.get("to") or ""}],
                "messages": [{"id": rec.wamid}]}
        else:
            code = code if code is not None else _ERRORS.get(status, (1, "error"))[0]
            payload = {"error": {"message": _TITLES.get(code, _ERRORS.get(status, (0, "error"))[1]),
                                 "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf"}}
        with self._cond:
            self.requests.append(rec)
            self._cond.notify_all()
        self._reply(handler, status, payload)


if __name__ == "__main__":  # a standalone fake for manual runs: python -m tests.fakes.fake_graph 8090
    import sys

    fake = FakeGraph(port=int(sys.argv[1]) if len(sys.argv) > 1 else 8090).start()
    print(f"fake Graph API on {fake.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()
