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
  `tray`, `pcs`/`vipande`, `bag`/`mfuko`, `pair`/`jozi`/`pea` (one item); "kilo mbili", "2kg", "half kilo", "nusu kilo".
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
    # a pair of shoes / earrings is one item of the catalogue ("Adidas Superstar" is sold by the pair)
    "pair": ("piece", Decimal(1)), "pairs": ("piece", Decimal(1)), "jozi": ("piece", Decimal(1)),
    "pea": ("piece", Decimal(1)), "mapea": ("piece", Decimal(1)),  # "pea mbili" (two pairs; was "Hatuna “pea”")
    "bag": ("pack", Decimal(1)), "bags": ("pack", Decimal(1)), "mfuko": ("pack", Decimal(1)),
    "mifuko": ("pack", Decimal(1)), "tray": ("tray", Decimal(1)), "trays": ("tray", Decimal(1)),
    "loaf": ("piece", Decimal(1)), "loaves": ("piece", Decimal(1)),  # "a loaf of bread", "two loaves"
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

# --- Variants: what a number in a product's name measures -----------------------------------------------------
# "64 gigs", "4 by 6", "godoro la inchi nne", "three-seater", "milango mitatu" name a variant of a thing, not how
# many of it. `variant_tokens` reads a text (a message or a product's name and description) into canonical tokens
# ("64gb", "4x6", "4inch", "3seater", "3door", "2kg") that retrieval compares. The weight and volume words are
# UNITS' own; the rest only ever measure a variant.
_MEASURE_ONLY: dict[str, str] = {
    "gb": "gb", "gigs": "gb", "gig": "gb", "giga": "gb", "gigabytes": "gb", "tb": "tb", "mah": "mah",
    "inch": "inch", "inches": "inch", "inchi": "inch", "seater": "seater", "seaters": "seater",
    "door": "door", "doors": "door", "mlango": "door", "milango": "door", "cc": "cc", "mm": "mm", "w": "w",
    "watts": "w", "watt": "w", "v": "v", "volts": "v", "volt": "v", "ah": "ah",
    "min": "min", "mins": "min", "minutes": "min", "minute": "min", "dakika": "min", "pages": "pages",
    "kurasa": "pages", "m": "m", "metre": "m", "metres": "m", "meter": "m", "meters": "m", "mita": "m",
}
_WEIGHED = {("kg", Decimal(1)): "kg", ("kg", Decimal("0.001")): "g", ("l", Decimal(1)): "l", ("l", Decimal("0.001")): "ml"}
VARIANT_UNITS: dict[str, str] = {  # word -> canonical unit of a variant token
    **{w: _WEIGHED[u] for w, u in UNITS.items() if u in _WEIGHED}, **_MEASURE_ONLY}
# Units whose number only ever names a variant (never how many are bought): a missing one means "not sold".
# Weights, volumes and lengths are left out: "lita mbili za oil" is two of the 1-litre bottle.
STRICT_UNITS = frozenset({"gb", "tb", "mah", "inch", "seater", "door", "cc", "w", "v", "ah", "x"})
# Numbers as they agree with the noun they count: "milango mitatu" (mi- class), "mmoja".
_CLASS_NUMBERS: dict[str, int] = {"miwili": 2, "mitatu": 3, "minne": 4, "mitano": 5, "mmoja": 1}
VARIANT_NUMBER_WORDS: dict[str, int] = {
    **{w: n for w, n in ONES.items() if w not in ("a", "an", "single", "couple", "pair", "mojawapo")},
    **TENS, **_CLASS_NUMBERS,
}
_GLUED = re.compile(r"^(\d+(?:\.\d+)?)([a-z]+)$")
_DIMS = re.compile(r"^(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)$")
_BY = frozenset({"by", "kwa", "x", "*"})


def _number(word: str) -> str | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return word.rstrip("0").rstrip(".") if "." in word else word
    n = VARIANT_NUMBER_WORDS.get(word)
    return str(n) if n is not None else None


def variant_tokens_of(tokens: list[str]) -> frozenset[str]:
    """Canonical variant tokens of normalised words: "memory card ya 64 gigs" -> {"64gb"}, "godoro la 4 kwa 6" ->
    {"4x6"}, "foam mattress 3x6 4 inch" -> {"3x6", "4inch"}, "five seater sofa" -> {"5seater"}."""
    toks = [t for w in tokens for part in w.split("-") if (t := part.strip("'"))]
    out: set[str] = set()
    used: set[int] = set()
    for i, w in enumerate(toks):
        if m := _DIMS.match(w):
            out.add(f"{_number(m.group(1))}x{_number(m.group(2))}")
            used.add(i)
        elif (m := _GLUED.match(w)) and m.group(2) in VARIANT_UNITS:
            out.add(f"{_number(m.group(1))}{VARIANT_UNITS[m.group(2)]}")
            used.add(i)
    for i in range(len(toks) - 2):  # "4 by 6", "5 kwa 6"
        a, b = _number(toks[i]), _number(toks[i + 2])
        if a and b and toks[i + 1] in _BY and re.fullmatch(r"\d+", toks[i]) and re.fullmatch(r"\d+", toks[i + 2]):
            out.add(f"{a}x{b}")
            used.update((i, i + 1, i + 2))
    for i in range(len(toks) - 1):
        if i in used or i + 1 in used:
            continue
        first, second = toks[i], toks[i + 1]
        if (n := _number(first)) and second in VARIANT_UNITS:  # "64 gigs", "three seater", "8 inch"
            if not (i >= 2 and toks[i - 1] == "na" and toks[i - 2] in TENS):  # the tail of "kumi na mbili"
                out.add(f"{n}{VARIANT_UNITS[second]}")
        elif first in VARIANT_UNITS and (n := _number(second)) and len(first) > 2:  # "inchi nne", "milango mitatu"
            if second in TENS and toks[i + 2:i + 3] == ["na"] and i + 3 < len(toks) and (tail := _number(toks[i + 3])):
                n = str(int(n) + int(tail))  # "inchi arobaini na tatu" = 43
            out.add(f"{n}{VARIANT_UNITS[first]}")
    return frozenset(out)


def variant_unit(token: str) -> str:
    """The unit of a variant token: "64gb" -> "gb", "4x6" -> "x"."""
    return "x" if _DIMS.match(token) else re.sub(r"^[\d.]+", "", token)


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


def spelled_at_end(text: str) -> str:
    """The number spelled out at the end of a short message written in digits ("uza sukari mbili" -> "uza sukari 2",
    "bei ya mayai ni mia tano" -> "... ni 500": owners type, and voice typing writes, numbers as words)."""
    tokens = text.split()
    for i in range(max(0, len(tokens) - 5), len(tokens)):
        if tokens[i] in ("a", "an", "na", "and") or not tokens[i].isalpha():
            continue
        spelled = _spell(tokens, i)
        if spelled is not None and spelled[1] == len(tokens):
            value = spelled[0]
            return " ".join(tokens[:i] + [str(int(value)) if value == value.to_integral_value() else str(value)])
    return text


def _spell_small(tokens: list[str], i: int) -> tuple[int, int] | None:
    if i < len(tokens) and tokens[i] in ONES and tokens[i] not in ("a", "an"):
        return ONES[tokens[i]], i + 1
    if i < len(tokens) and tokens[i] in TENS:
        return TENS[tokens[i]], i + 1
    return None


# the words around a number that make it someone's age
_AGE_BEFORE = frozenset({"miaka", "umri", "aged", "age"})
_AGE_AFTER = frozenset({"years", "yrs", "year", "yr", "yo", "miaka"})


# what a number names in an address ("Kawangware stage ya 56", "nyumba namba 4", "gate ya 2")
_PLACE_NUMBERED = frozenset("stage stej steji nyumba house plot gate geti estate phase court block apartment apartments "
                            "flat road barabara street route namba".split())


_PAY_WORDS = frozenset("pay paying lipa kulipa nilipe nitalipa tulipe tutalipa nikulipe tukulipe".split())
_PAID_WHEN = frozenset("now sasa later baadaye upfront kwanza nikipokea ukileta mkileta on".split())


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
        elif w in FRACTIONS and ((i > 0 and tokens[i - 1] in _PAY_WORDS) or (end < len(tokens)
                                                                          and tokens[end] in _PAID_WHEN)):
            i += 1  # "I can pay half now and half on delivery", "nilipe nusu": part of the money, no half a phone
            continue
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
        if (i > 0 and tokens[i - 1] in _PLACE_NUMBERED) or (i > 1 and tokens[i - 1] in ("ya", "wa", "la")
                                                             and tokens[i - 2] in _PLACE_NUMBERED):
            i = end  # "Kawangware stage ya 56", "house 12": an address's number (56 gas refills were drafted)
            continue
        if w == "one" and end < len(tokens) and tokens[end] in ("with", "that", "which", "yenye", "ambayo", "where"):
            i = end  # "a simple one with big buttons", "the one that charges fast": which one, not how many
            continue
        if (i > 0 and tokens[i - 1] in _AGE_BEFORE) or (end < len(tokens) and tokens[end] in _AGE_AFTER):
            i = end  # "mtoto wa miaka 3", "my son is 7 years old": an age, never how many
            continue
        # a unit right after ("2 kilo", "nusu kilo") or right before ("kilo mbili")
        if unit is None and end < len(tokens) and tokens[end] in UNITS:
            dim, factor = UNITS[tokens[end]]
            unit, value, end = dim, value * factor, end + 1
        elif unit is None and i > 0 and tokens[i - 1] in UNITS and not any(q.words[1] == i for q in found):
            dim, factor = UNITS[tokens[i - 1]]
            if tokens[end:end + 1] in (["na"], ["and"]) and end + 1 < len(tokens) and tokens[end + 1] in ("nusu", "robo",
                                                                                                       "half"):
                # "kilo mbili na nusu" is 2.5 kg (it was 2 kg and a half of nothing, and 2 packets were drafted)
                value, end = value + FRACTIONS[tokens[end + 1]], end + 2
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
    "kilo mbili" of "Sugar 1kg" = 2; "nusu kilo" of "Sugar 1kg" is not a whole packet, nor "nusu tray" of a tray
    of eggs, unless the product is sold loose (per kg). The problem is the pack size ("1kg") to say, or "" when
    the product is sold whole only."""
    if quantity is None:
        return Decimal(1), None
    if quantity.unit in (None, "pack", "piece", "tray", "debe"):
        whole = loose or quantity.amount == quantity.amount.to_integral_value()
        return (quantity.amount, None) if whole else (None, "")
    size = product_size(product_name)
    if loose or size is None or size[0] != quantity.unit:
        return quantity.amount, None
    count = quantity.amount / size[1]
    if count == count.to_integral_value() and count > 0:
        return count, None
    return None, f"{size[1].normalize():f}{size[0]}"


# A product sold as a pack of pieces: "Tray of Eggs" ("30 fresh eggs"), "Crate of Soda" ("24 bottles"), "Eggs 1
# Dozen". The customer may count the pieces ("mayai kumi", "ten eggs"), not the packs.
_PACK_NAME = re.compile(r"\b(tray|trays|crate|crates|carton|cartons|dozen|bale|bales|box|boxes|pack|packet)\b", re.I)
_PACK_COUNT = re.compile(r"\b(?:of|x)\s*(\d{1,3})\b|\b(\d{1,3})\s*(?:x\s+)?(?!(?:kg|kgs|g|gm|grams?|l|ltr|litres?|"
                         r"liters?|ml|inch|inches|cm|mm|gb|tb|mah|w|v|seater|pcs\b)\b)[a-z]", re.I)
PACK_WORDS = frozenset("""tray trays trei treyi crate crates kreti carton cartons katoni dozen dazeni bale bales
box boxes boksi pack packs packet packets pakiti paketi""".split())


_DOZEN = frozenset({"dozen", "dozens", "dazeni"})


def pieces_per_pack(name: str, description: str | None = None) -> int | None:
    """How many pieces one pack of a product holds, when its name says it is a pack ("Tray of Eggs" + "30 fresh
    eggs" -> 30, "Eggs 1 Dozen" -> 12), else None."""
    m = _PACK_NAME.search(name or "")
    if not m:
        return None
    for text in (name, description or ""):
        for count in _PACK_COUNT.finditer(text):
            n = int(count.group(1) or count.group(2))
            if n > 1:
                return n
    return 12 if m.group(1).lower() == "dozen" else None


def packs_of_pieces(quantity: Quantity | None, piece_words: list[str], per_pack: int | None) -> Decimal | None:
    """The packs a count of pieces makes ("mayai 60" of a tray of 30 -> 2), -1 when it makes no whole packs ("mayai
    kumi"), None when the customer counted packs ("tray mbili", "2 crates") or said no number."""
    # a dozen is twelve pieces, not a pack, of a thing packed otherwise ("mayai dozen moja" was 12 trays, KES 5,400)
    if per_pack is None or quantity is None or quantity.unit not in (None, "piece") \
            or PACK_WORDS & set(piece_words) - _DOZEN:
        return None
    packs = quantity.amount / per_pack
    return packs if packs == packs.to_integral_value() and packs > 0 else Decimal(-1)


# (the suffix is a whole word: "2 kids" is no 2k)
_MONEY = r"(?:ksh\.?|kes|shilingi\s|shillings?\s|sh\.?|bob\s)?\s*(\d+(?:[.,]\d+)*)\s*((?:k|thao|elfu|bob|ksh|kes)(?![a-z])|\/=)?"
_BELOW = re.compile(r"\b(?:chini ya|below|under|less than|not more than|max(?:imum)?|isiyozidi|isizidi|si zaidi ya|"
                    r"budget(?: ya| of| ni| is| yangu ni| ni kama| is like)?|bajeti(?: ya| ni| yangu ni)?)\s*:?\s+" + _MONEY)
_ABOVE = re.compile(r"\b(?:juu ya|above|over|more than|zaidi ya|from|kuanzia)\s+" + _MONEY)
# the money the customer has: "niko na 3k", "nina elfu mbili", "I only have 1500"
_HAVE = re.compile(r"\b(?:niko na|nina|nimebaki na|i (?:only )?have|i'?ve (?:only )?got|my budget is|budget yangu ni)\s+"
                   + _MONEY)
# about a price: "simu ya 15k hivi", "a phone around 15k", "karibu 15k": within a fifth of it either way
_AROUND = re.compile(r"\b(?:around|about|approximately|roughly|karibu(?: na)?)\s+" + _MONEY + r"|" + _MONEY + r"\s+hivi\b")
# "simu ya 15k", "phone ya 20k": the money the customer has for it, said in thousands ("sukari ya 180" is the one at
# 180; "ile simu ya 14k" points at the one shown at that price)
_OF_BUDGET = re.compile(r"(?<!ile )(?<!hiyo )(?<!that )(?<!the )\b(simu|phone|viatu|shoes|kiatu|tv|laptop|fridge|"
                        r"sofa)\s+(?:ya|za|of)\s+(\d{1,3}(?:\.\d)?)\s*(k|thao)\b(?!\s+hivi)")
AROUND_SHARE = Decimal("0.2")
_BETWEEN = re.compile(r"\b(?:between|kati ya|from)\s+" + _MONEY + r"\s+(?:and|na|to|hadi|mpaka|-)\s+" + _MONEY)
_ONES_RX = "|".join(sorted(ONES, key=len, reverse=True))
# "elfu tatu" 3000, "elfu kumi na tano" 15000
_SPELLED_K = re.compile(r"\belfu\s+(" + _ONES_RX + r"|" + "|".join(sorted(TENS, key=len, reverse=True)) + r")\b"
                        r"(?:\s+na\s+(" + _ONES_RX + r")\b)?")


def _spelled_k(m: re.Match[str]) -> str:
    tens = TENS.get(m.group(1))
    value = (ONES.get(m.group(1)) or tens or 0) + (ONES.get(m.group(2) or "", 0) if tens else 0)
    return str(value * 1000) + ("" if tens or not m.group(2) else f" na {m.group(2)}")


# Sheng numbers only ever said of money: "ya mbao" is KES 20, never twenty of a thing
MONEY_ONLY_WORDS = frozenset({"mbao", "thao", "ngiri"})
# A currency word beside a number makes it money: "ya 200 bob", "ya ksh 400", "worth 400 shillings".
_CURRENCY_AFTER = frozenset({"bob", "ksh", "kes", "sh", "shillings", "shilingi", "bucks"})
_CURRENCY_BEFORE = frozenset({"ksh", "kes", "sh", "shilingi"})
_MONEY_SPAN = re.compile(r"\b(?:worth\s+)?(?:(?:ksh|kes|sh)\.?\s*)?\d[\d,]*\s*(?:bob|ksh|kes|shillings|shilingi|bucks|/=)"
                         r"(?!\w)|\b(?:ksh|kes)\.?\s*\d[\d,]*|\bworth\b", re.IGNORECASE)


def without_money(text: str) -> str:
    """The text without its money phrase ("sugar worth 400 shillings" -> "sugar"): no words to search for."""
    return _MONEY_SPAN.sub(" ", text)


def without_count_words(text: str) -> str:
    """The text without the words that only say how many ("nataka simu mbili" -> "nataka simu"): a count is no
    word to search for (it kept only the one phone whose text matched more of the message). Digits, units and the
    numbers of a variant ("three seater") stay."""
    toks = text.split()
    drop = {i for q in find_quantities(toks) if q.unit is None for i in range(*q.words)
            if toks[i] in NUMBER_WORDS and not toks[i].isdigit()}
    kept = " ".join(t for i, t in enumerate(toks) if i not in drop)
    return kept if drop and variant_tokens_of(kept.split()) == variant_tokens_of(toks) else text


def money_worth(toks: list[str], q: Quantity | None) -> Decimal | None:
    """The money a quantity is ("sukari ya 200 bob", "ya ksh 400", "unga wa mia nne"), else None: a number
    with a currency word beside it, or 50 or more after "ya/wa/za/of" with no unit."""
    if q is None or q.unit is not None:
        return None
    start, end = q.words
    before = toks[start - 1] if start > 0 else ""
    after = toks[end] if end < len(toks) else ""
    if after in _CURRENCY_AFTER or before in _CURRENCY_BEFORE:
        return q.amount
    if before in ("ya", "wa", "za", "of", "worth") and q.amount >= 50 \
            and not (start > 1 and toks[start - 2] in _PLACE_NUMBERED):  # "stage ya 56": a place, not KES 56
        return q.amount
    if before in ("ya", "wa", "za", "of", "worth") and end - start == 1 and toks[start] in MONEY_ONLY_WORDS:
        return q.amount  # "sukari ya mbao": twenty shillings' worth (it was 20 bags of sugar, KES 3,600)
    return None


# A range of plain numbers up to 24 names hours of the day, not shillings.
HOURS_OF_DAY = 24


def _money(number: str, suffix: str | None) -> Decimal:
    value = Decimal(number.replace(",", ""))
    return value * 1000 if suffix in ("k", "thao", "elfu") else value


def price_range(text: str) -> tuple[Decimal | None, Decimal | None] | None:
    """A price range the customer gave: "chini ya 2k", "below 5000", "between 10k and 15k", "kati ya
    elfu kumi na elfu kumi na tano". (low, high), either side None when open; None when there is none."""
    t = " " + text.lower() + " "
    t = _SPELLED_K.sub(_spelled_k, t)
    t = re.sub(r"(\d{1,3})\s+na\s+(\d{3})\b", lambda m: str(int(m.group(1)) + int(m.group(2))), t)
    m = _BETWEEN.search(t)
    if m:
        low, high = _money(m.group(1), m.group(2)), _money(m.group(3), m.group(4) or m.group(2))
        if m.group(2) is None and m.group(4) in ("k", "thao"):
            low = _money(m.group(1), m.group(4))
        if max(low, high) > HOURS_OF_DAY:  # "between 8 and 9" is a time ("pick up tomorrow between 8 and 9")
            return (min(low, high), max(low, high))
    m = _BELOW.search(t)
    if m and (m.group(2) or Decimal(m.group(1).replace(",", "")) >= 10):  # "under 2 kilos" is a weight
        return (None, _money(m.group(1), m.group(2)))
    m = _ABOVE.search(t)
    if m and (m.group(2) or Decimal(m.group(1).replace(",", "")) >= 100):
        return (_money(m.group(1), m.group(2)), None)
    m = _HAVE.search(t)
    if m and (m.group(2) or Decimal(m.group(1).replace(",", "")) >= 100):  # "nina 2" is two of something
        return (None, _money(m.group(1), m.group(2)))
    m = _OF_BUDGET.search(t)
    if m:
        return (None, _money(m.group(2), m.group(3)))
    middle = next((a for m in _AROUND.finditer(t) if (a := _around(m)) is not None), None)
    if middle is not None:
        return ((middle * (1 - AROUND_SHARE)).to_integral_value(), (middle * (1 + AROUND_SHARE)).to_integral_value())
    return None


def _around(m: re.Match[str]) -> Decimal | None:
    """The amount of an "about" phrase when it is money ("15k hivi", "around 15000"; "kilo 2 hivi" is a weight)."""
    amount, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return _money(amount, unit) if unit or Decimal(amount.replace(",", "")) >= 100 else None


def without_price_range(text: str) -> str:
    """The text with its price-range phrase removed (so "chini ya 2k" is not searched as a product)."""
    t = text.lower()
    t = _SPELLED_K.sub(_spelled_k, t)
    t = _AROUND.sub(lambda m: " " if _around(m) is not None else m.group(0), t)
    for rx in (_BETWEEN, _BELOW, _ABOVE):
        t = rx.sub(" ", t)
    t = _OF_BUDGET.sub(r"\1", t)  # "simu ya 15k": the phone stays
    t = _HAVE.sub(lambda m: " " if m.group(2) or Decimal(m.group(1).replace(",", "")) >= 100 else m.group(0), t)
    return re.sub(r"\s+", " ", t).strip()


# "size ni 43", "size arobaini na mbili", "saizi forty two": the size in digits ("size 43"), so a size is never
# read as how many (it was 43 pairs, KES 150,500) and the size is kept
_SIZE_WORD = re.compile(r"\b(size|saizi|namba)\b", re.IGNORECASE)
_SIZE_LINK = frozenset({"ni", "ya", "number", "no"})


def sizes_in_digits(text: str) -> str:
    """`text` with every size written after a size word given as "size N" (other text as written)."""
    for m in reversed(list(_SIZE_WORD.finditer(text))):
        toks = list(re.finditer(r"[A-Za-z0-9]+", text[m.end():]))[:5]
        link = 1 if toks and toks[0].group(0).lower() in _SIZE_LINK else 0
        words_ = [t.group(0).lower() for t in toks[link:]]
        if not words_ or words_[0].isdigit() and not link:
            continue
        found = find_quantities(words_)
        if not found or found[0].words[0] != 0:
            continue
        size, end = found[0].amount, found[0].words[1]
        if len(found) > 1 and size % 10 == 0 and 20 <= size <= 90 and found[1].words[0] == end \
                and found[1].amount < 10 and not words_[0].isdigit():
            size, end = size + found[1].amount, found[1].words[1]  # "forty two"
        if size != size.to_integral_value() or not 1 <= size <= 60:
            continue
        last = toks[link + end - 1]
        text = text[:m.end()] + f" {int(size)}" + text[m.end() + last.end():]
    return text


# "badilisha 43 iwe 42", "change from 43 to 42", "42 badala ya 43": one size for another, said as two numbers
_SIZE_FOR_SIZE = re.compile(r"\b(?:(?:size|saizi|from|kutoka)\s+)*(\d{2})\s+(?:(?:i|zi|u|ku|ni)?badilish\w*\s+)?"
                            r"(iwe|ziwe|to|kuwa|ikuwe|into)\s+"
                            r"(?:size\s+|saizi\s+)?(\d{2})\b", re.I)
# ("nipe 44 basi badala ya 43" added a third pair; tester s32)
_SIZE_INSTEAD = re.compile(r"\b(?:size\s+|saizi\s+)?(\d{2})\s+(?:(?:basi|tu|sasa|then|please|pls|tafadhali)\s+)?"
                           r"(?:badala ya|instead of)\s+(?:size\s+|saizi\s+)?(\d{2})\b", re.I)


def size_changed_from(text: str) -> str | None:
    """The size a change is from ("size 44 ibadilishe iwe 45" -> "44"), which says which pair when there are two;
    None when no size is changed into another."""
    if (m := _SIZE_FOR_SIZE.search(text)) is not None:
        return m.group(1)
    return m.group(2) if (m := _SIZE_INSTEAD.search(text)) is not None else None


# "size ya akala ni 43", "the size of the sneakers is 42": the thing's size (43 pairs were drafted, KES 25,800; owner
# test s31)
_SIZE_OF = re.compile(r"\bsize (?:ya|za|of)(?: the| hizo| hiyo| zile| ile)? (?!(?:pili|kwanza|tatu|nne|mwisho|moja|"
                      r"ingine|nyingine|second|first|third|last|other|one)\b)((?:\w+ ){0,2}?\w+) (?:ni|iwe|ziwe|is|are|"
                      r"should be|to be) (?:size )?(\d{2}(?:\.5)?)\b", re.IGNORECASE)


def size_changed_to(text: str) -> str:
    """`text` with a size changed into another said as only the new one ("badilisha 43 iwe 42" -> "badilisha iwe
    size 42", "42 badala ya 43" -> "iwe size 42"): both numbers were read as sizes of the one pair; and a thing's size
    said as "size ya akala ni 43" -> "akala size 43"."""
    text = _SIZE_OF.sub(lambda m: f"{m.group(1)} size {m.group(2)}", text)
    text = _SIZE_FOR_SIZE.sub(lambda m: f"{m.group(2)} size {m.group(3)}", text)
    return _SIZE_INSTEAD.sub(lambda m: f"iwe size {m.group(1)}", text)


# "sukari kilo 1.5", "1.5kg", "lita 2.5": an amount with a decimal point, beside its unit
_DECIMAL_AMOUNT = re.compile(r"(?:\b(?:kilo|kg|lita|litre|liter|l)\s+(\d+)[.,](\d+)\b|\b(\d+)[.,](\d+)\s*"
                             r"(kg|kilo|l|lita|litres?|liters?)\b)", re.IGNORECASE)


def decimals_kept(text: str, norm: str) -> str:
    """The decimal amounts of `text` whole in `norm` (normalising wrote "sukari kilo 1.5" as "1 5": five bags)."""
    for m in _DECIMAL_AMOUNT.finditer(text):
        whole, part = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        norm = re.sub(rf"\b{whole} {part}(?=\b|[a-z])", f"{whole}.{part}", norm, count=1)
    return norm

