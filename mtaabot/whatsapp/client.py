"""WhatsApp Cloud API (Graph) client: send a text, retry with exponential backoff, per-number rate limit.

Retries (tenacity) on HTTP 429/5xx, connection errors and the Graph error codes 130429 (rate limit)
and 131056 (too many messages to one user). Other Graph errors (e.g. 131047 outside the 24-hour
window, 100 bad parameter) raise `GraphError` at once. The rate limit is shared by every process
through the `whatsapp_send_slots` table (each send reserves the next free slot of its number).
Access tokens never appear in logs or exception text.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import psycopg
import urllib3
from tenacity import (
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)
from tenacity import Retrying as _Retrying

from mtaabot.config import get_settings

log = logging.getLogger(__name__)

RETRYABLE_CODES = {130429, 131056, 131000, 2, 4, 80007}  # rate limits and "try again" transient errors
WINDOW_CLOSED = 131047
RATE_LIMITED = 130429  # the business number sends too fast (131056 is one recipient: not the number)


class GraphError(Exception):
    """A send that the Graph API refused. `retryable` tells whether trying again later may work."""

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None,
                 retryable: bool = False, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.retryable = retryable
        self.retry_after = retry_after


class UnknownOutcome(GraphError):
    """The request may or may not have reached Meta (connection dropped or timed out mid-call)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)


class PostHooks:
    """Called around each POST so the caller can record that a send is in flight."""

    def before_post(self) -> None:  # pragma: no cover - default no-op
        pass

    def before_post_paced(self, limiter: RateLimiter, phone_number_id: str) -> bool:
        """`limiter.acquire(phone_number_id)` and `before_post()` in one go (the outbox: the number's send slot
        taken in the marker's own transaction); False when these hooks cannot, and the client does both."""
        return False

    def after_refusal(self) -> None:  # pragma: no cover - default no-op
        pass


@dataclass(frozen=True)
class SendResult:
    wamid: str
    attempts: int


def _retry_base() -> float:
    return get_settings().whatsapp_retry_base_seconds


def text_body(address: dict[str, str], text: str, callback_data: str | None = None) -> dict[str, Any]:
    """The documented send body; `address` is `{"to": phone}` or `{"recipient": bsuid}`.

    `callback_data` goes out as `biz_opaque_callback_data`, which Meta echoes in status webhooks."""
    body: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual", **address,
                            "type": "text", "text": {"preview_url": False, "body": text[:4096]}}
    if callback_data:
        body["biz_opaque_callback_data"] = callback_data[:512]
    return body


def template_body(address: dict[str, str], name: str, language: str, parameters: list[str],
                  callback_data: str | None = None) -> dict[str, Any]:
    """An approved template send (the only kind WhatsApp delivers outside the 24-hour window). Meta refuses
    newlines, tabs and runs of 4+ spaces inside a parameter, so they are folded."""
    import re

    params = [{"type": "text", "text": re.sub(r"\s*\n\s*|\t| {4,}", " · ", p).strip()[:1024]} for p in parameters]
    body: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual", **address,
                            "type": "template", "template": {"name": name, "language": {"code": language},
                                                             "components": [{"type": "body", "parameters": params}]}}
    if callback_data:
        body["biz_opaque_callback_data"] = callback_data[:512]
    return body


class Throttled(Exception):
    """The number's next send slot is further away than the caller wants to wait: nothing was sent and no
    slot was taken; try again after `seconds` (a sender reschedules the row instead of sleeping)."""

    def __init__(self, phone_number_id: str, seconds: float) -> None:
        super().__init__(f"sends from {phone_number_id} paused for {seconds:.2f} s")
        self.phone_number_id = phone_number_id
        self.seconds = seconds


class RateLimiter:
    """Cross-process per-number pacing: a GCRA-style slot reserved atomically in PostgreSQL.

    `max_wait` (seconds, None = wait as long as needed): a reservation further ahead raises `Throttled`
    without taking the slot, so a thread never sleeps long on one shop's behalf."""

    def __init__(self, conninfo: str, rate_per_second: float | None = None, *, max_wait: float | None = None) -> None:
        self.conninfo = conninfo
        self.rate = rate_per_second or get_settings().whatsapp_rate_per_second
        self.max_wait = max_wait
        self._conn: psycopg.Connection | None = None

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self.conninfo, autocommit=True)
            # a slot reservation needs no fsync: one lost in a database crash only lets a send go a bit early
            self._conn.execute("SET synchronous_commit = off")
        return self._conn

    # Take the number's next slot unless it is further ahead than max_wait; returns the seconds to wait for it.
    RESERVE = """INSERT INTO whatsapp_send_slots AS s (phone_number_id, next_slot_at)
               VALUES (%(p)s, clock_timestamp() + make_interval(secs => %(i)s))
               ON CONFLICT (phone_number_id) DO UPDATE
               SET next_slot_at = greatest(s.next_slot_at, clock_timestamp()) + make_interval(secs => %(i)s)
               WHERE %(max)s::float8 IS NULL
                  OR s.next_slot_at <= clock_timestamp() + make_interval(secs => %(max)s::float8)
               RETURNING extract(epoch FROM (next_slot_at - make_interval(secs => %(i)s) - clock_timestamp()))
                   AS wait"""

    def reserve_params(self, phone_number_id: str) -> dict[str, Any]:
        """The parameters of `RESERVE` for this number (for a caller that runs it inside its own statement)."""
        return {"p": phone_number_id, "i": 1.0 / max(self.rate, 0.001), "max": self.max_wait}

    def acquire(self, phone_number_id: str) -> float:
        """Block until this process may send one message from the number; returns seconds waited."""
        row = self._connection().execute(self.RESERVE, self.reserve_params(phone_number_id)).fetchone()
        if row is None:  # further ahead than max_wait: nothing reserved
            ahead = self._connection().execute(
                "SELECT extract(epoch FROM next_slot_at - clock_timestamp()) FROM whatsapp_send_slots "
                "WHERE phone_number_id = %s", (phone_number_id,)).fetchone()
            raise Throttled(phone_number_id, max(0.0, float(ahead[0])) if ahead else 0.0)
        return self.wait_for(row[0])

    @staticmethod
    def wait_for(seconds: Any) -> float:
        """Sleep until a reserved slot (`RESERVE`'s answer); returns seconds waited."""
        wait = max(0.0, float(seconds))
        if wait > 0:
            time.sleep(wait)
        return wait

    def back_off(self, phone_number_id: str, seconds: float) -> None:
        """Meta said this number sends too fast (429 / 130429): no sends from it for `seconds`, in every
        process (senders skip its rows meanwhile; other numbers are not affected)."""
        self._connection().execute(
            """INSERT INTO whatsapp_send_slots AS s (phone_number_id, next_slot_at)
               VALUES (%(p)s, clock_timestamp() + make_interval(secs => %(d)s))
               ON CONFLICT (phone_number_id) DO UPDATE
               SET next_slot_at = greatest(s.next_slot_at, clock_timestamp() + make_interval(secs => %(d)s))""",
            {"p": phone_number_id, "d": seconds})

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


def _pool(url: str) -> urllib3.PoolManager:
    """A plain urllib3 pool for the Graph API (requests cost ~1 ms of CPU a POST on top: sessions, hooks,
    cookie jars, header merging). The environment's proxy (HTTPS_PROXY / NO_PROXY) and CA bundle
    (REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE, else certifi's) are read once, here, the way requests reads them."""
    import certifi
    import requests

    with requests.Session() as session:
        env = session.merge_environment_settings(url, {}, None, None, None)
    verify = env.get("verify", True)
    ca = verify if isinstance(verify, str) else certifi.where()
    options: dict[str, Any] = {"maxsize": 2, "cert_reqs": "CERT_REQUIRED" if verify else "CERT_NONE", "ca_certs": ca}
    proxy = (env.get("proxies") or {}).get(urllib3.util.parse_url(url).scheme or "https")
    if proxy:
        return urllib3.ProxyManager(proxy, **options)
    return urllib3.PoolManager(**options)


class GraphClient:
    """Sends messages for one deployment; one keep-alive connection pool per client (not shared across threads)."""

    def __init__(self, *, graph_url: str | None = None, api_version: str | None = None,
                 rate_limiter: RateLimiter | None = None, timeout: float = 10.0,
                 max_attempts: int = 6, max_delay: float = 30.0) -> None:
        settings = get_settings()
        self.graph_url = (graph_url or settings.whatsapp_graph_url).rstrip("/")
        self.api_version = api_version or settings.whatsapp_api_version
        self.rate_limiter = rate_limiter
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.max_delay = max_delay
        self.http = _pool(self.graph_url)

    def _url(self, phone_number_id: str) -> str:
        return f"{self.graph_url}/{self.api_version}/{phone_number_id}/messages"

    def _post_once(self, phone_number_id: str, access_token: str, body: dict[str, Any],
                   hooks: PostHooks | None) -> str:
        if hooks is None or self.rate_limiter is None \
                or not hooks.before_post_paced(self.rate_limiter, phone_number_id):
            if self.rate_limiter is not None:
                self.rate_limiter.acquire(phone_number_id)
            if hooks is not None:
                hooks.before_post()
        try:
            wamid = self._post(phone_number_id, access_token, body)
        except UnknownOutcome:
            raise
        except GraphError:
            if hooks is not None:
                hooks.after_refusal()  # the outcome is known: nothing was accepted
            raise
        return wamid

    def _post(self, phone_number_id: str, access_token: str, body: dict[str, Any]) -> str:
        try:
            resp = self.http.request(
                "POST", self._url(phone_number_id), body=json.dumps(body, allow_nan=False).encode(),
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {access_token}"},
                timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout), retries=False, redirect=False)
        except urllib3.exceptions.ConnectTimeoutError as exc:  # incl. NewConnectionError: nothing left
            raise GraphError(f"could not connect to the Graph API: {type(exc).__name__}",
                             retryable=True) from None  # the request never left: safe to retry
        except urllib3.exceptions.ProxyError as exc:
            if isinstance(exc.original_error, urllib3.exceptions.ConnectTimeoutError):
                raise GraphError(f"could not connect to the Graph API: {type(exc).__name__}",
                                 retryable=True) from None
            raise UnknownOutcome(f"connection dropped talking to the Graph API: {type(exc).__name__}") from None
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.SSLError) as exc:
            raise UnknownOutcome(f"connection dropped talking to the Graph API: {type(exc).__name__}") from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise UnknownOutcome(f"network error talking to the Graph API: {type(exc).__name__}") from None
        data: dict[str, Any] = {}
        try:
            parsed = json.loads(resp.data.decode("utf-8", "replace"))
            data = parsed if isinstance(parsed, dict) else {}
        except ValueError:
            pass
        if resp.status == 200:
            messages = data.get("messages")
            if isinstance(messages, list) and messages and isinstance(messages[0], dict) \
                    and isinstance(messages[0].get("id"), str):
                return messages[0]["id"]
            raise GraphError("Graph API answered 200 without a message id", status=200, retryable=False)
        error = data.get("error") if isinstance(data.get("error"), dict) else {}
        code = error.get("code") if isinstance(error.get("code"), int) else None
        message = str(error.get("message") or resp.reason or "error")[:200]
        retry_after = None
        if resp.headers.get("Retry-After", "").isdigit():
            retry_after = float(resp.headers["Retry-After"])
        retryable = resp.status == 429 or resp.status >= 500 or code in RETRYABLE_CODES
        raise GraphError(f"Graph API {resp.status} (code {code}): {message}", status=resp.status,
                         code=code, retryable=retryable, retry_after=retry_after)

    def send_text(self, phone_number_id: str, access_token: str, address: dict[str, str], text: str, *,
                  callback_data: str | None = None, hooks: PostHooks | None = None,
                  body: dict[str, Any] | None = None) -> SendResult:
        """POST one text message; retried on transient failures. Returns the new wamid.

        A network error after the request may have left (timeout, reset) raises `UnknownOutcome` and is
        *not* retried here: Meta may have accepted it, and a retry could deliver the reply twice."""
        body = body or text_body(address, text, callback_data)  # `body`: a prepared send (a template)
        base = _retry_base()
        waiter = wait_exponential_jitter(multiplier=base, max=max(base, 8.0), jitter=base / 2 if base else 0)

        def _wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            delay = waiter(state)
            if isinstance(exc, GraphError) and exc.retry_after:
                delay = max(delay, min(exc.retry_after, self.max_delay))
            return delay

        def _log(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            log.warning("send from %s failed (attempt %d): %s; retrying", phone_number_id,
                        state.attempt_number, exc)

        retrying = _Retrying(
            retry=retry_if_exception(lambda e: isinstance(e, GraphError) and e.retryable),
            stop=stop_after_attempt(self.max_attempts) | stop_after_delay(self.max_delay),
            wait=_wait, before_sleep=_log, reraise=True,
        )
        attempts = 0
        for attempt in retrying:
            with attempt:
                attempts = attempt.retry_state.attempt_number
                wamid = self._post_once(phone_number_id, access_token, body, hooks)
        log.info("Graph send from %s accepted: %s (attempt %d)", phone_number_id, wamid, attempts,
                 extra={"graph_wamid": wamid})  # the bound request id names the customer message
        return SendResult(wamid=wamid, attempts=attempts)

    def close(self) -> None:
        self.http.clear()
        if self.rate_limiter is not None:
            self.rate_limiter.close()
