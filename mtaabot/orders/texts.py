"""What the customer reads about their order, per language (SHENG / SWA / ENG).

The texts are in the message catalogue (`mtaabot/data/messages.toml`, sections `order`, `order_state`,
`mpesa_failure`); every name, price and total is filled in from the database by the caller.
"""

from __future__ import annotations

from typing import Any

from mtaabot.messages import catalogue

_TEXTS = catalogue()
T: dict[str, dict[str, str]] = _TEXTS["order"]
STATE: dict[str, dict[str, str]] = _TEXTS["order_state"]
FAILURES: dict[int, dict[str, str]] = {int(code): text for code, text in _TEXTS["mpesa_failure"].items()}


def say(key: str, lang: str, **fields: Any) -> str:
    table = T[key]
    return table.get(lang, table["SWA"]).format(**fields)


def failure_text(code: int | None, lang: str) -> str:
    default = {"SHENG": "M-Pesa ilikataa", "SWA": "M-Pesa ilikataa", "ENG": "M-Pesa declined it"}
    return FAILURES.get(code or -1, default).get(lang, default["SWA"])


def state_in(status: str, lang: str) -> str:
    """An order's state as the owner reads it in `lang` ("inasubiri malipo", "paid"); the raw status when unknown."""
    return STATE.get(status, {}).get(lang, status)
