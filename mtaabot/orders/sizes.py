"""Sizes, colours and model numbers in an order message.

Which size or colour a piece asks for, and whether a number in it is a size, a price, a pack's measure or part
of a model's name ("air force 1", "spark 20", "128 moja") rather than how many.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from mtaabot.orders import variants
from mtaabot.orders.context import Context, Line, hit_of
from mtaabot.orders.patterns import FILLER, VARIANT, VARIANT_FILLER
from mtaabot.orders.quantities import NUMBER_WORDS, UNITS, Quantity, find_quantities
from mtaabot.orders.summary import qty_text
from mtaabot.orders.texts import say
from mtaabot.orders.variants import COLOURS
from mtaabot.reply_builder import described_words, fits_size, size_range
from mtaabot.retrieval import Hit
from mtaabot.understanding import COLOUR_WORDS
from mtaabot.vocabulary import STOPWORDS, WORDS, ordinal, words


def comes_in(product: dict[str, Any], colour: str) -> bool:
    """Whether the product comes in that colour: its name, description or metadata says it, or says no colour at
    all (then the shop knows; the order keeps what was asked)."""
    said = described_words(product["name"], product.get("description"), product.get("metadata"))
    return colour in said or not (said & COLOUR_WORDS)


def merged_variant(old: str | None, new: str | None) -> str | None:
    """A change of one part of a variant keeps the others: size 42 + black -> "size 42, black"."""
    if not old or not new:
        return variants.canonical(new or old)
    kinds = {variants.kind(v) for v in variants.parts(new)}
    kept = [v for v in variants.parts(old) if variants.kind(v) not in kinds]
    return variants.canonical(", ".join([*kept, *variants.parts(new)]))


def variant_only(norm: str) -> bool:
    """Only a size or colour (and chat words): "size 46 basi", "iwe nyeusi" - which one, not another item."""
    rest = VARIANT.sub(" ", norm).split()
    return bool(VARIANT.search(norm)) and all(w in FILLER or w in VARIANT_FILLER for w in rest)


def variant_of(piece: str, product_name: str) -> str | None:
    """Size / capacity / colour the customer asked for, unless the product's own name already says it."""
    found = []
    for m in VARIANT.finditer(piece):
        if m.group(1):
            found.append(f"size {m.group(1)}")
        elif m.group(2) and m.group(2).replace(" ", "").lower() not in product_name.lower().replace(" ", ""):
            found.append(m.group(2).replace(" ", "").upper())
        elif m.group(3):
            colour = COLOURS.get(m.group(3), m.group(3))
            if colour not in product_name.lower():
                found.append(colour)
    return variants.canonical(", ".join(found))


# "na 46?", "43 je?" right after a shoe was asked about in a size: another size, never 46 pairs
BARE_NUMBER = re.compile(r"^(?:(?:na|and|what about|how about|ama|or|basi|ok|sawa)\W+)*(\d{2})"
                         r"(?:\W+(?:je|basi|then|iko|ipo|mko nayo|iko na|inapatikana|available))*\W*$", re.I)


def bare_size(text: str, product: dict[str, Any]) -> int | None:
    """The size a bare two-digit number ("na 46?") names of a product made in a numbered size range (13-50 only:
    "na 30?" of a tray of eggs is 30 trays), else None."""
    m = BARE_NUMBER.match(text.strip())
    if m is None or not 13 <= int(m.group(1)) <= 50 or fits_size(hit_of(product), Decimal(m.group(1))) is None:
        return None
    return int(m.group(1))


def in_name(toks: list[str], k: int, name: str) -> bool:
    """Token k is part of the product's name as written here: "spark 20", "air force 1" (a number counts only after
    the name's word before it: "nataka 1 tu" of the Air Force 1 is one pair)."""
    said = words(name)
    if toks[k] in UNITS or toks[k] not in said:
        return False
    if not toks[k].isdigit():
        return True
    return any(i > 0 and k > 0 and said[i - 1] == toks[k - 1] for i, w in enumerate(said) if w == toks[k])


def price_or_pack(toks: list[str], q: Quantity, product: dict[str, Any]) -> bool:
    """The quantity is a bare number (20 or more) that is the product's price or the measure in its name."""
    start, end = q.words
    if end - start != 1 or not toks[start].isdigit() or int(toks[start]) < 20:
        return False
    n = int(toks[start])
    measures = {int(m) for m in re.findall(r"(\d+)\s?(?:ml|l|g|kg|gb|w|mah|inch|cm)\b", product["name"].lower())}
    price = Decimal(str(product["price"]))
    # "ok 52 is fine, I'll take it" of the iPhone at KES 52,000: its price in thousands, never 52 phones
    return n == price or n * 1000 == price or n in measures


# the words before a delivery place ("send them to Kawangware 46", "mniletee gas Kawangware 56")
_PLACE_MARKS = frozenset("""to hadi mpaka niko tuko pale near karibu around area deliver delivery niletee mniletee
uniletee niletea uniletea nitumie mnitumie send tuma leta nileteeni kuleta""".split())
# the parts of an address a number goes with ("nyumba 4", "plot 12", "house no 7")
_ADDRESS_NOUNS = frozenset("nyumba house hse plot apartment apt block room flat gate door floor stage estate".split())
_NOT_A_PLACE_WORD = frozenset("them these those it this that hizo hizi zile hiyo hii yake zake".split())


def address_number(toks: list[str], q: Quantity, product: dict[str, Any], message: str = "") -> bool:
    """The number is part of the address the order goes to, never how many: after a place's name said after a
    delivery word ("send them to Kawangware 46": 46 packets of milk were ordered), or after an address noun
    ("nyumba 4", "plot 12"). A word of the product's name or description, or of the shop's vocabulary, is no place
    ("niletee sukari 2" is two)."""
    start, end = q.words
    if end - start != 1 or not toks[start].isdigit() or start == 0:
        return False
    before = toks[start - 1]
    if before in _ADDRESS_NOUNS:
        return True
    known = set(words(f"{product['name']} {product.get('description') or ''}"))
    placeish = before.isalpha() and len(before) >= 4 and before not in known and before not in WORDS \
        and before not in STOPWORDS and before not in _NOT_A_PLACE_WORD and before not in NUMBER_WORDS \
        and before not in UNITS
    # the delivery word may be in another clause of the message ("na uniletee, ni karibu tu, Kawangware 56 gate ya
    # pili" made 57 gas refills)
    return placeish and any(t in _PLACE_MARKS for t in [*toks[:start - 1], *message.split()])


_COUNTED_AS = frozenset("pairs pair jozi pcs pieces vipande units".split())


def a_size(toks: list[str], q: Quantity, hit: Hit) -> bool:
    """The quantity is a bare two-digit number inside (or just beside) the product's numbered size range, with no
    unit of counting after it: a size written without the word "size"."""
    start, end = q.words
    if end - start != 1 or not toks[start].isdigit() or not 13 <= int(toks[start]) <= 50 \
            or (end < len(toks) and toks[end] in _COUNTED_AS):
        return False
    span = size_range(hit)
    return span is not None and span[0] - 6 <= int(toks[start]) <= span[1] + 6


def model_number(ctx: Context, toks: list[str], q: Quantity, product: dict[str, Any]) -> bool:
    """The number is part of a model's name or a variant, never how many: "cover ya iphone 13" (the shop sells an
    iPhone 13: 13 covers were ordered), "nipe 128 moja" (the 128GB), "ile ya tatu" (the third one listed)."""
    k = q.words[0]
    said = toks[k]
    before = toks[k - 1] if k > 0 else ""
    if before in ("ya", "za", "la", "cha", "wa", "the") and k > 1 and toks[k - 2] in ("ile", "zile", "hiyo", "hizo") \
            and ordinal(" ".join(toks[k - 2:q.words[1]])) is not None:
        return True
    if not said.isdigit():
        return False
    if said + "gb" in set(words(f"{product['name']} {product.get('description') or ''}")) and len(toks) > q.words[1] \
            and find_quantities(toks[q.words[1]:q.words[1] + 1]):
        return True  # "128 moja": the 128GB, one of it
    return bool(before) and before not in NUMBER_WORDS \
        and re.search(rf"\b{re.escape(before)} {said}\b", ctx.model_names()) is not None


def names_number(ctx: Context, toks: list[str], q: Quantity) -> bool:
    """The number is part of a product's name the shop sells ("air force 1", "spark 20"), not a count."""
    k = q.words[0]
    before = toks[k - 1] if k > 0 else ""
    return toks[k].isdigit() and bool(before) and before not in NUMBER_WORDS \
        and re.search(rf"\b{re.escape(before)} {toks[k]}\b", ctx.model_names()) is not None


def how_many_each(ctx: Context, line: Line, sizes: tuple[str, ...]) -> str:
    """The question for a count said over several sizes ("nataka tatu size 42 na 43"): how many of each, with an
    example in the sizes said that adds up to the count."""
    count = int(line.quantity or 0)
    split = [max(1, count - len(sizes) + 1)] + [1] * (len(sizes) - 1) if count >= len(sizes) else [1] * count
    eng = ctx.lang == "ENG"
    example = ", ".join(f"{k} in size {size}" if eng else f"{k} {'ya' if k == 1 else 'za'} size {size}"
                        for k, size in zip(split, sizes, strict=False))
    listed = ", ".join(sizes[:-1]) + (" and " if eng else " na ") + sizes[-1]
    return say("how_many_each", ctx.lang, name=line.product["name"] if line.product else "",
               count=qty_text(line.quantity or Decimal(0)), sizes=listed, example=example)
