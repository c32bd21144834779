"""Quantities and units as customers write them, in Swahili, Sheng and English.

Supported (documented in README "Orders and payments"):
- digits `2`, `2.5`, `x2`, `2x`, `2pcs`; a leading minus is kept so it can be refused, not dropped;
- Swahili numbers `moja … tisa`, `kumi`, `kumi na mbili`, `ishirini`, `thelathini`, `arobaini`, `hamsini`,
  `mia`, `mia mbili`, `elfu`, with the noun-class prefixes customers use (`mbili`/`wawili`/`mawili`,
  `tatu`/`watatu`, `moja`/`mmoja`/`kimoja`), `nusu` (half), `robo` (quarter);
- English `one … twelve`, `twenty`, `a`, `an`, `a couple`, `half`, `quarter`, `dozen`, `a dozen`,
  `two dozen`;
- Sheng money counts in common Nairobi use: `mbao` (20), `ngiri` and `thao` (1,000) — street usage, not a
  published standard (see README "Orders and payments");
- units `kilo`/`kg`/`kilogram`, `gramu`/`g`, `lita`/`litre`/`l`, `ml`, `pakiti`/`packet`, `debe`, `dozen`,
  `tray`, `pcs`/`vipande`, `bag`/`mfuko`; "kilo mbili", "2kg", "half kilo", "nusu kilo".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

UNITS: dict[str, tuple[str, Decimal]] = {  # word -> (dimension, factor to the base unit)
    "kilo": ("kg", Decimal(1)), "kilos": ("kg", Decimal(1)), "kg": ("kg", Decimal(1)), "kgs": ("kg", Decimal(1)),
    "kilogram": ("kg", Decimal(1)), "kilograms": ("kg", Decimal(1)), "kilogramu": ("kg", Decimal(1)),
    "gramu": ("kg", Decimal("0.001")), "grams": ("kg", Decimal("0.001")), "gram": ("kg", Decimal("0.001")),
    "g": ("kg", Decimal("0.001")), "gm": ("kg", Decimal("0.001")),
    "lita": ("l", Decimal(1)), "litre": ("l", Decimal(1)), "litres": ("l", Decimal(1)), "liter": ("l", Decimal(1)),
    "liters": ("l", Decimal(1)), "l": ("l", Decimal(1)), "ltr": ("l", Decimal(1)), "ml": ("l", Decimal("0.001")),
    "debe": ("debe", Decimal(1)), "madebe": ("debe", Decimal(1)),
    "dozen": ("piece", Decimal(12)), "dozens": ("piece", Decimal(12)), "dazeni": ("piece", Decimal(12)),
    "pakiti": ("pack", Decimal(1)), "packet": ("pack", Decimal(1)), "packets": ("pack", Decimal(1)),
    "pkt": ("pack", Decimal(1)), "pack": ("pack", Decimal(1)), "packs": ("pack", Decimal(1)),
    "pcs": ("piece", Decimal(1)), "pieces": ("piece", Decimal(1)), "piece": ("piece", Decimal(1)),
    "vipande": ("piece", Decimal(1)), "kipande": ("piece", Decimal(1)),
    "bag": ("pack", Decimal(1)), "bags": ("pack", Decimal(1)), "mfuko": ("pack", Decimal(1)),
    "mifuko": ("pack", Decimal(1)), "tray": ("tray", Decimal(1)), "trays": ("tray", Decimal(1)),
}

ONES: dict[str, int] = {
    "moja": 1, "mmoja": 1, "kimoja": 1, "mojawapo": 1, "one": 1, "a": 1, "an": 1, "single": 1,
    "mbili": 2, "wawili": 2, "mawili": 2, "viwili": 2, "two": 2, "couple": 2, "pair": 2,
    "tatu": 3, "watatu": 3, "matatu": 3, "vitatu": 3, "three": 3,
    "nne": 4, "wanne": 4, "manne": 4, "vinne": 4, "four": 4,
    "tano": 5, "watano": 5, "matano": 5, "vitano": 5, "five": 5,
    "sita": 6, "six": 6, "saba": 7, "seven": 7, "nane": 8, "wanane": 8, "eight": 8,
    "tisa": 9, "nine": 9, "kenda": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "kumi": 10, "ishirini": 20, "thelathini": 30, "arobaini": 40, "hamsini": 50, "sitini": 60, "sabini": 70,
    "themanini": 80, "tisini": 90, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "mbao": 20,
}
BIG: dict[str, int] = {"mia": 100, "hundred": 100, "elfu": 1000, "thousand": 1000, "ngiri": 1000, "thao": 1000}
FRACTIONS: dict[str, Decimal] = {"nusu": Decimal("0.5"), "half": Decimal("0.5"), "robo": Decimal("0.25"),
                                 "quarter": Decimal("0.25")}
NUMBER_WORDS = set(ONES) | set(TENS) | set(BIG) | set(FRACTIONS) | {"dozen", "na", "and"}

_DIGITS = re.compile(r"^(-?\d+(?:[.,]\d+)?)([a-z]*)$")
_XNUM = re.compile(r"^x(\d+)$|^(\d+)x$")


@dataclass(frozen=True)
class Quantity:
    amount: Decimal          # how many of `unit` (or of the product when unit is None)
    unit: str | None         # dimension: kg, l, pack, piece, debe, tray; None = items of the product
    words: tuple[int, int]   # token span [start, end) it came from

    @property
    def base_amount(self) -> Decimal:
        return self.amount


def _spell(tokens: list[str], i: int) -> tuple[Decimal, int] | None:
    """A spelled-out number starting at tokens[i]: (value, tokens used)."""
    j, total, current, used = i, 0, 0, False
    while j < len(tokens):
        w = tokens[j]
        if w in BIG:
            mult = BIG[w]
            # "mia mbili" (200) = 100 * 2 in Swahili order; "two hundred" = 2 * 100 in English order
            if current and w in ("hundred", "thousand"):
                total += current * mult
                current = 0
            else:
                nxt = _spell_small(tokens, j + 1)
                if nxt and w in ("mia", "elfu", "ngiri"):
                    total += mult * nxt[0]
                    j = nxt[1]
                    used = True
                    continue
                total += mult
            used, j = True, j + 1
            continue
        if w in TENS:
            current += TENS[w]
            used, j = True, j + 1
            if j + 1 < len(tokens) and tokens[j] == "na" and tokens[j + 1] in ONES and tokens[j + 1] not in ("a", "an"):
                current += ONES[tokens[j + 1]]
                j += 2
            continue
        if w in ONES and (w not in ("a", "an") or (j + 1 < len(tokens) and tokens[j + 1] in ("dozen", "couple", "pair"))):
            if w in ("couple", "pair") or (used and current):
                break
            current += ONES[w]
            used, j = True, j + 1
            if j < len(tokens) and tokens[j] in ("dozen",):
                current *= 12
                j += 1
            continue
        break
    if not used:
        return None
    return Decimal(total + current), j


def _spell_small(tokens: list[str], i: int) -> tuple[int, int] | None:
    if i < len(tokens) and tokens[i] in ONES and tokens[i] not in ("a", "an"):
        return ONES[tokens[i]], i + 1
    if i < len(tokens) and tokens[i] in TENS:
        return TENS[tokens[i]], i + 1
    return None


def find_quantities(tokens: list[str]) -> list[Quantity]:
    """Every quantity in a tokenised message segment, with its unit when one is next to it."""
    found: list[Quantity] = []
    i = 0
    while i < len(tokens):
        w = tokens[i]
        value: Decimal | None = None
        end = i + 1
        unit: str | None = None
        m = _DIGITS.match(w)
        x = _XNUM.match(w)
        if m:
            value = Decimal(m.group(1).replace(",", "."))
            suffix = m.group(2)
            if suffix in UNITS:
                dim, factor = UNITS[suffix]
                unit = dim
                value *= factor
            elif suffix and suffix not in ("x", "pc", "pcs"):
                i += 1  # "128gb", "20000mah", "25w": part of a product name, not a quantity
                continue
        elif x:
            value = Decimal(x.group(1) or x.group(2))
        elif w in FRACTIONS:
            value = FRACTIONS[w]
            if end < len(tokens) and tokens[end] in ("ya", "of", "a"):
                end += 1
        else:
            spelled = _spell(tokens, i)
            if spelled:
                value, end = spelled
        if value is None or (i > 0 and tokens[i - 1] in ("size", "saizi", "namba", "no", "number")):
            i += 1  # "size 30", "namba 42": a size, not how many
            continue
        # a unit right after ("2 kilo", "nusu kilo") or right before ("kilo mbili")
        if unit is None and end < len(tokens) and tokens[end] in UNITS:
            dim, factor = UNITS[tokens[end]]
            unit, value, end = dim, value * factor, end + 1
        elif unit is None and i > 0 and tokens[i - 1] in UNITS and not any(q.words[1] == i for q in found):
            dim, factor = UNITS[tokens[i - 1]]
            unit, value = dim, value * factor
            found.append(Quantity(value, unit, (i - 1, end)))
            i = end
            continue
        found.append(Quantity(value, unit, (i, end)))
        i = end
    # a lone unit word is one of it: "sukari kilo" = 1 kg, "dozen eggs" = 12
    if not found:
        for k, w in enumerate(tokens):
            if w in UNITS and w not in ("l", "g", "a", "pack", "packs", "bag", "bags"):
                dim, factor = UNITS[w]
                found.append(Quantity(factor, dim, (k, k + 1)))
                break
    return found


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(kg|kgs|g|gm|grams?|l|ltr|litres?|liters?|ml)\b", re.I)


def product_size(text: str) -> tuple[str, Decimal] | None:
    """(dimension, amount) a product is sold in, from its name: "Sugar 1kg" -> ("kg", 1)."""
    m = _SIZE.search(text or "")
    if not m:
        return None
    dim, factor = UNITS[m.group(2).lower().rstrip("s") if m.group(2).lower() not in UNITS else m.group(2).lower()]
    return dim, Decimal(m.group(1)) * factor


def items_for(quantity: Quantity | None, product_name: str, loose: bool = False) -> tuple[Decimal | None, str | None]:
    """How many of a product a quantity means: (count, problem). "kilo mbili" of "Maize Flour 2kg" = 1;
    "kilo mbili" of "Sugar 1kg" = 2; "nusu kilo" of "Sugar 1kg" is not a whole packet (a problem)
    unless the product is sold loose (per kg)."""
    if quantity is None:
        return Decimal(1), None
    if quantity.unit in (None, "pack", "piece", "tray", "debe"):
        return quantity.amount, None
    size = product_size(product_name)
    if loose or size is None or size[0] != quantity.unit:
        return quantity.amount, None
    count = quantity.amount / size[1]
    if count == count.to_integral_value() and count > 0:
        return count, None
    return None, f"{product_name} comes in {size[1].normalize():f}{size[0]} packs"


_MONEY = r"(?:ksh\.?|kes|sh\.?|bob\s)?\s*(\d+(?:[.,]\d+)*)\s*(k|thao|elfu|bob|\/=|ksh|kes)?"
_BELOW = re.compile(r"\b(?:chini ya|below|under|less than|not more than|max(?:imum)?|isiyozidi|isizidi|si zaidi ya|"
                    r"budget (?:ya|of)|bajeti ya)\s+" + _MONEY)
_ABOVE = re.compile(r"\b(?:juu ya|above|over|more than|zaidi ya|from|kuanzia)\s+" + _MONEY)
_BETWEEN = re.compile(r"\b(?:between|kati ya|from)\s+" + _MONEY + r"\s+(?:and|na|to|hadi|mpaka|-)\s+" + _MONEY)
_SPELLED_K = re.compile(r"\belfu\s+(" + "|".join(sorted(ONES, key=len, reverse=True)) + r"|" +
                        "|".join(sorted(TENS, key=len, reverse=True)) + r")\b")


def _money(number: str, suffix: str | None) -> Decimal:
    value = Decimal(number.replace(",", ""))
    return value * 1000 if suffix in ("k", "thao", "elfu") else value


def price_range(text: str) -> tuple[Decimal | None, Decimal | None] | None:
    """A price range the customer gave: "chini ya 2k", "below 5000", "between 10k and 15k", "kati ya
    elfu kumi na elfu kumi na tano". (low, high), either side None when open; None when there is none."""
    t = " " + text.lower() + " "
    t = _SPELLED_K.sub(lambda m: str((ONES.get(m.group(1)) or TENS.get(m.group(1), 0)) * 1000), t)
    t = re.sub(r"(\d{1,3})\s+na\s+(\d{3})\b", lambda m: str(int(m.group(1)) + int(m.group(2))), t)
    m = _BETWEEN.search(t)
    if m:
        low, high = _money(m.group(1), m.group(2)), _money(m.group(3), m.group(4) or m.group(2))
        if m.group(2) is None and m.group(4) in ("k", "thao"):
            low = _money(m.group(1), m.group(4))
        return (min(low, high), max(low, high))
    m = _BELOW.search(t)
    if m:
        return (None, _money(m.group(1), m.group(2)))
    m = _ABOVE.search(t)
    if m and (m.group(2) or Decimal(m.group(1).replace(",", "")) >= 100):
        return (_money(m.group(1), m.group(2)), None)
    return None


def without_price_range(text: str) -> str:
    """The text with its price-range phrase removed (so "chini ya 2k" is not searched as a product)."""
    t = text.lower()
    t = _SPELLED_K.sub(lambda m: str((ONES.get(m.group(1)) or TENS.get(m.group(1), 0)) * 1000), t)
    for rx in (_BETWEEN, _BELOW, _ABOVE):
        t = rx.sub(" ", t)
    return re.sub(r"\s+", " ", t).strip()
