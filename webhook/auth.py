"""Business API authentication, one rule for every REST blueprint: `Authorization: Bearer <mtaabot API key>`.

`authenticated` opens a pooled connection (committed on success), resolves the key to its business and passes
(conn, business) to the view; a missing key and an unknown key are both 401 with a `WWW-Authenticate` header."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import jsonify, request

from mtaabot.businesses import business_for_api_key
from mtaabot.db import get_pool


def bearer_key() -> str:
    """The key of this request's `Authorization: Bearer …` header ("" when there is none)."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    return key.strip() if scheme.lower() == "bearer" else ""


def authenticated(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run `view(conn, business, ...)` for the business whose API key the request carries, else answer 401."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = bearer_key()
        if not key:
            resp = jsonify(error="send the business API key as 'Authorization: Bearer mtb_…'")
            resp.headers["WWW-Authenticate"] = "Bearer"
            return resp, 401
        with get_pool().connection(timeout=5.0) as conn:
            business = business_for_api_key(conn, key)
            if business is None:
                resp = jsonify(error="API key not recognised")
                resp.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
                return resp, 401
            return view(conn, business, *args, **kwargs)

    return wrapper
