"""Secrets out of logs: access-log lines carry `?hub.verify_token=…` (Meta's webhook check) and
`/mpesa/callback/<token>` (Daraja's callback path); a debug line may show an `Authorization: Bearer …`.
`install()` puts a filter on the HTTP servers' loggers (werkzeug, gunicorn access/error) and on the root
logger's handlers that replaces those values with `[redacted]` before anything is written."""

from __future__ import annotations

import logging
import re

_PATTERNS = (
    (re.compile(r"(hub\.verify_token=)[^&\s\"']+"), r"\1[redacted]"),
    (re.compile(r"(/mpesa/callback/)[^/\s\"'?]+"), r"\1[redacted]"),
    (re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1[redacted]"),
    (re.compile(r"((?:access|verify)[_-]token[\"']?\s*[=:]\s*[\"']?)[^&\s\"',}]+", re.IGNORECASE), r"\1[redacted]"),
)
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "mtaabot", "webhook")


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


_FILTER = RedactSecrets()


def install() -> None:
    """Idempotent: adds the filter to the servers' loggers and to every handler of the root logger."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
