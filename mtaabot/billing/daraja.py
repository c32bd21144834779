"""Thin Safaricom Daraja client: OAuth token (cached until expiry), STK Push and STK Query.

Sandbox by default (`MPESA_BASE_URL` unset and `MPESA_ENV` not `production`); production by config.
Password = base64(BusinessShortCode + Passkey + Timestamp), Timestamp `YYYYMMDDHHMMSS` in
Africa/Nairobi time whatever the server's time zone.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import requests

from mtaabot.config import get_settings
from mtaabot.errors import UserError

log = logging.getLogger(__name__)

NAIROBI = ZoneInfo("Africa/Nairobi")
SANDBOX_URL = "https://sandbox.safaricom.co.ke"
PRODUCTION_URL = "https://api.safaricom.co.ke"
PENDING_ERROR_CODE = "500.001.1001"  # STK query: "The transaction is being processed"
_CODE_RE = re.compile(r"-?[0-9]{1,9}")
_TOKEN_MARGIN_S = 60.0  # renew a token this long before Daraja says it expires

# Token cache shared by every client in the process, keyed by (base URL, consumer key).
_tokens: dict[tuple[str, str], tuple[str, float]] = {}
_tokens_lock = threading.Lock()


class DarajaConfigError(UserError):
    """M-Pesa credentials or callback URL missing or invalid (see README, "Billing and M-Pesa")."""


class DarajaError(UserError):
    """Daraja refused a request or could not be reached."""


@dataclass(frozen=True)
class StkPushResult:
    merchant_request_id: str | None
    checkout_request_id: str
    response_code: str
    customer_message: str | None


@dataclass(frozen=True)
class StkQueryResult:
    state: str  # "pending" | "success" | "failed"
    result_code: int | None
    result_desc: str | None
    raw: dict[str, Any]


def nairobi_timestamp(now: datetime | None = None) -> str:
    """`YYYYMMDDHHMMSS` in Africa/Nairobi (UTC+3) for `now` (default: the current instant)."""
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("nairobi_timestamp needs an aware datetime")
    return now.astimezone(NAIROBI).strftime("%Y%m%d%H%M%S")


def stk_password(shortcode: str, passkey: str, timestamp: str) -> str:
    return base64.b64encode(f"{shortcode}{passkey}{timestamp}".encode()).decode()


def resolve_base_url() -> str:
    """MPESA_BASE_URL when set, else production when MPESA_ENV=production, else the sandbox."""
    settings = get_settings()
    if settings.mpesa_base_url:
        return settings.mpesa_base_url.rstrip("/")
    return PRODUCTION_URL if settings.mpesa_env.lower() == "production" else SANDBOX_URL


def callback_url(base: str | None, token: str | None) -> str:
    """The URL Daraja calls back: MPESA_CALLBACK_URL as given when it already holds the token path,
    else MPESA_CALLBACK_URL + `/mpesa/callback/<MPESA_CALLBACK_TOKEN>`. HTTPS required (plain HTTP is
    accepted only for localhost, for local testing)."""
    if not base:
        raise DarajaConfigError("MPESA_CALLBACK_URL is not set (the public HTTPS address of the webhook)")
    if "/mpesa/callback/" not in base:
        if not token:
            raise DarajaConfigError("MPESA_CALLBACK_TOKEN is not set (secret path token of the callback)")
        base = base.rstrip("/") + "/mpesa/callback/" + token
    parts = urlsplit(base)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise DarajaConfigError("MPESA_CALLBACK_URL must be an https:// URL (Daraja only calls HTTPS)")
    return base


class DarajaClient:
    """One Daraja app (consumer key/secret) and one paybill/till (shortcode + passkey)."""

    def __init__(self, *, base_url: str, consumer_key: str, consumer_secret: str, shortcode: str,
                 passkey: str, callback_url: str | None = None, timeout: float = 15.0,
                 session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.consumer_key = consumer_key
        self._consumer_secret = consumer_secret
        self.shortcode = shortcode
        self._passkey = passkey
        self.callback_url = callback_url
        self.timeout = timeout
        self.session = session or requests.Session()

    def __repr__(self) -> str:  # never show secrets
        return f"DarajaClient(base_url={self.base_url!r}, shortcode={self.shortcode!r})"

    @classmethod
    def from_env(cls) -> DarajaClient:
        """Built from MPESA_* variables; DarajaConfigError names what is missing."""
        s = get_settings()
        missing = [name for name, value in (("MPESA_CONSUMER_KEY", s.mpesa_consumer_key),
                                            ("MPESA_CONSUMER_SECRET", s.mpesa_consumer_secret),
                                            ("MPESA_PASSKEY", s.mpesa_passkey),
                                            ("MPESA_SHORTCODE", s.mpesa_shortcode)) if not value]
        if missing:
            raise DarajaConfigError(f"M-Pesa is not configured: set {', '.join(missing)} "
                                    "(README: Billing and M-Pesa)")
        return cls(base_url=resolve_base_url(), consumer_key=s.mpesa_consumer_key or "",
                   consumer_secret=s.mpesa_consumer_secret or "", shortcode=s.mpesa_shortcode,
                   passkey=s.mpesa_passkey or "",
                   callback_url=callback_url(s.mpesa_callback_url, s.mpesa_callback_token))

    # -- OAuth -------------------------------------------------------------------------------
    def access_token(self, *, force: bool = False) -> str:
        """A bearer token, fetched once and reused until shortly before it expires."""
        key = (self.base_url, self.consumer_key)
        with _tokens_lock:
            cached = _tokens.get(key)
            if cached and not force and cached[1] > time.monotonic():
                return cached[0]
            try:
                resp = self.session.get(f"{self.base_url}/oauth/v1/generate",
                                        params={"grant_type": "client_credentials"},
                                        auth=(self.consumer_key, self._consumer_secret), timeout=self.timeout)
            except requests.RequestException as exc:
                raise DarajaError(f"cannot reach M-Pesa at {self.base_url}: {type(exc).__name__}") from exc
            if resp.status_code in (400, 401, 403):
                raise DarajaConfigError("M-Pesa rejected the consumer key/secret "
                                        f"(HTTP {resp.status_code}); check MPESA_CONSUMER_KEY/SECRET")
            body = _json(resp)
            token = body.get("access_token")
            if resp.status_code != 200 or not token:
                raise DarajaError(f"M-Pesa token request failed (HTTP {resp.status_code})")
            try:
                lifetime = float(body.get("expires_in", 3599))
            except (TypeError, ValueError):
                lifetime = 3599.0
            _tokens[key] = (token, time.monotonic() + max(lifetime - _TOKEN_MARGIN_S, 1.0))
            return token

    def _post(self, path: str, payload: dict[str, Any]) -> requests.Response:
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.access_token(force=attempt == 2)}"}
            try:
                resp = self.session.post(f"{self.base_url}{path}", json=payload, headers=headers,
                                         timeout=self.timeout)
            except requests.RequestException as exc:
                raise DarajaError(f"cannot reach M-Pesa at {self.base_url}: {type(exc).__name__}") from exc
            if resp.status_code != 401:
                return resp
            log.info("Daraja answered 401; fetching a fresh token")
        return resp

    # -- STK Push ----------------------------------------------------------------------------
    def stk_push(self, *, phone: str, amount: int, account_reference: str, description: str,
                 now: datetime | None = None, transaction_type: str = "CustomerPayBillOnline",
                 party_b: str | None = None) -> StkPushResult:
        """Ask the customer's phone for their M-Pesa PIN. `phone` must already be 2547…/2541….

        Plans are paid to MtaaBot's own paybill (the defaults); a shop's order is paid to the shop's till
        (`CustomerBuyGoodsOnline`, `party_b` = the till) or paybill (`party_b` = the paybill)."""
        if not self.callback_url:
            raise DarajaConfigError("MPESA_CALLBACK_URL is not set")
        timestamp = nairobi_timestamp(now)
        payload = {
            "BusinessShortCode": self.shortcode,
            "Password": stk_password(self.shortcode, self._passkey, timestamp),
            "Timestamp": timestamp,
            "TransactionType": transaction_type,
            "Amount": int(amount),
            "PartyA": phone,
            "PartyB": party_b or self.shortcode,
            "PhoneNumber": phone,
            "CallBackURL": self.callback_url,
            "AccountReference": account_reference[:12],
            "TransactionDesc": description[:13],
        }
        resp = self._post("/mpesa/stkpush/v1/processrequest", payload)
        body = _json(resp)
        checkout = body.get("CheckoutRequestID")
        if resp.status_code != 200 or str(body.get("ResponseCode", "")) != "0" or not checkout:
            reason = body.get("errorMessage") or body.get("ResponseDescription") or f"HTTP {resp.status_code}"
            raise DarajaError(f"M-Pesa did not accept the payment request: {reason}")
        return StkPushResult(merchant_request_id=body.get("MerchantRequestID"), checkout_request_id=checkout,
                             response_code=str(body.get("ResponseCode")),
                             customer_message=body.get("CustomerMessage"))

    # -- STK Query ---------------------------------------------------------------------------
    def stk_query(self, checkout_request_id: str, *, now: datetime | None = None) -> StkQueryResult:
        """Status of an STK push: pending while the customer has not answered, then success/failed.
        Never carries a receipt number (only the callback does)."""
        timestamp = nairobi_timestamp(now)
        payload = {"BusinessShortCode": self.shortcode,
                   "Password": stk_password(self.shortcode, self._passkey, timestamp),
                   "Timestamp": timestamp, "CheckoutRequestID": checkout_request_id}
        resp = self._post("/mpesa/stkpushquery/v1/query", payload)
        body = _json(resp)
        if "ResultCode" in body:
            code = parse_result_code(body.get("ResultCode"))
            if code is None:
                raise DarajaError(f"M-Pesa query answered an unreadable ResultCode for {checkout_request_id}")
            return StkQueryResult("success" if code == 0 else "failed", code, body.get("ResultDesc"), body)
        if str(body.get("errorCode", "")) == PENDING_ERROR_CODE:
            return StkQueryResult("pending", None, body.get("errorMessage"), body)
        reason = body.get("errorMessage") or f"HTTP {resp.status_code}"
        raise DarajaError(f"M-Pesa query for {checkout_request_id} failed: {reason}")


def parse_result_code(value: Any) -> int | None:
    """Daraja's ResultCode as an int (it arrives as a number or a string); None when unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and _CODE_RE.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, int) and -(2**31) < value < 2**31:
        return value
    return None


def _json(resp: requests.Response) -> dict[str, Any]:
    try:
        body = resp.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
