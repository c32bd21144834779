"""Logging for every MtaaBot process: one format (text or JSON lines, `MTAABOT_LOG_FORMAT`), secrets redacted,
and a request id that follows one customer message from the webhook to the worker to the Graph call.

The webhook gives each delivery a request id (Meta's own `X-Request-Id`-style header when a proxy set one,
else a new one); `mtaabot.whatsapp.inbound` stores it with each inbound job; the worker binds it while it
answers that job and stores it with the outbox row; the sender binds it while it calls the Graph API. Every log
record carries the bound id as `request_id` (a filter on the handlers adds it), so one grep follows a message.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

_REQUEST_ID: ContextVar[str | None] = ContextVar("mtaabot_request_id", default=None)
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,40}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# LogRecord attributes that are not "extra" fields.
_STANDARD = frozenset(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {"message", "asctime",
                                                                                   "request_id"}


def new_request_id() -> str:
    return "req-" + uuid.uuid4().hex[:16]


def clean_request_id(value: str | None) -> str | None:
    """A caller-supplied id kept only when it is short and plain (it ends up in logs and the database)."""
    if value and _SAFE_ID.fullmatch(value.strip()):
        return value.strip()
    return None


def current_request_id() -> str | None:
    return _REQUEST_ID.get()


def bind_request_id(request_id: str | None) -> Any:
    """Bind an id for this thread/context; returns the token for `reset_request_id`."""
    return _REQUEST_ID.set(request_id)


def reset_request_id(token: Any) -> None:
    _REQUEST_ID.reset(token)


@contextmanager
def request_context(request_id: str | None) -> Iterator[str | None]:
    """`with request_context(job["request_id"]):` every log line inside carries that id."""
    token = _REQUEST_ID.set(request_id)
    try:
        yield request_id
    finally:
        _REQUEST_ID.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id` (the bound id, or `-`) unless the call passed one in `extra`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _REQUEST_ID.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, request_id, any `extra` fields, exc."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or _REQUEST_ID.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        from mtaabot.logredact import redact

        return redact(json.dumps(entry, ensure_ascii=False, default=str))


_FILTER = RequestIdFilter()


def configure_logging(level: int = logging.INFO, *, stream: Any = None) -> None:
    """Idempotent: a root handler in the configured format with the request-id filter and secret redaction.
    Existing root handlers (gunicorn's, pytest's) keep working and get the filter and the formatter."""
    from mtaabot import logredact
    from mtaabot.config import get_settings

    fmt = get_settings().log_format
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler(stream or sys.stderr))
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    formatter: logging.Formatter = JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT)
    for handler in root.handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
        if type(handler).__module__.startswith("_pytest"):
            continue  # pytest's capture handlers keep their own format
        handler.setFormatter(formatter)
    for name in logredact.LOGGERS:  # records of these loggers carry the id even on their own handlers
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    logredact.install()
