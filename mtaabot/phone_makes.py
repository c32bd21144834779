"""Phone makes as customers and catalogues name them: "my iPhone 11", "Galaxy A15", "Spark 20", "for Samsung, Tecno,
Infinix". A repair or accessory listed for some makes covers their models, not other makes'.
"""

from __future__ import annotations

import re

from mtaabot.vocabulary import words

# Phone makes and the model lines that name them ("iPhone 11", "Galaxy A15", "Spark 20"): a series word counts only
# with a model number after it ("hot" and "note" are words too).
_MAKES: dict[str, frozenset[str]] = {
    "iphone": frozenset({"iphone", "apple", "ios"}), "samsung": frozenset({"samsung", "galaxy"}),
    "tecno": frozenset({"tecno", "spark", "camon", "pova"}), "infinix": frozenset({"infinix"}),
    "xiaomi": frozenset({"xiaomi", "redmi"}), "oppo": frozenset({"oppo", "reno"}), "itel": frozenset({"itel"}),
    "vivo": frozenset({"vivo"}), "realme": frozenset({"realme"}), "huawei": frozenset({"huawei"}),
    "nokia": frozenset({"nokia"}), "pixel": frozenset({"pixel"}), "motorola": frozenset({"motorola", "moto"}),
}
_SERIES_WITH_NUMBER = re.compile(r"\b(galaxy|spark|camon|pova|redmi|reno|pixel|hot|note|smart)\s*\d")
_SERIES_MAKE = {"galaxy": "samsung", "spark": "tecno", "camon": "tecno", "pova": "tecno", "redmi": "xiaomi",
                "reno": "oppo", "pixel": "pixel", "hot": "infinix", "note": "xiaomi", "smart": "infinix"}


def is_make_word(word: str) -> bool:
    """A word that names a make or one of its model lines ("samsung", "galaxy", "redmi", "spark")."""
    return any(word.lower() in names for names in _MAKES.values()) or word.lower() in _SERIES_MAKE


def makes_named(text: str) -> set[str]:
    """The phone makes a text names ("my iPhone 11 screen" -> {"iphone"})."""
    said = set(words(text.lower()))
    found = {make for make, names in _MAKES.items() if said & (names - {"galaxy", "spark", "camon", "pova", "redmi",
                                                                         "reno", "pixel"})}
    found |= {_SERIES_MAKE[m.group(1)] for m in _SERIES_WITH_NUMBER.finditer(text.lower())}
    return found


def make_name(make: str) -> str:
    return {"iphone": "iPhone", "xiaomi": "Xiaomi/Redmi"}.get(make, make.title())
