"""The message catalogue: every customer-facing text, loaded from `mtaabot/data/messages.toml`.

Texts live in one TOML file so a Swahili editor can review and change them without reading Python;
code asks for them by key (`catalogue()["reply"]["greeting"]["SWA"]`).
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

LANGS = ("SHENG", "SWA", "ENG")


@functools.cache
def catalogue() -> dict[str, Any]:
    """The parsed catalogue (read once per process)."""
    with (resources.files("mtaabot") / "data" / "messages.toml").open("rb") as fh:
        return tomllib.load(fh)


def bilingual(key: str, **fields: Any) -> str:
    """A text for a customer whose language is not known yet (section `bilingual`: Swahili / English)."""
    return catalogue()["bilingual"][key].format(**fields)
