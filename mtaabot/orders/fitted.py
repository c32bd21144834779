"""Things for a model: a cover, a screen protector, a charger or a repair ordered for a phone the customer names.

"I need 2 phone covers, one for A15 and one for Spark 20", "protector nipe tatu, za samsung a15 mbili na tecno
moja": the models said after "for/ya/za" are which ones the thing fits, never the phones themselves (two covers and
two protectors were confirmed as KES 34,100 with two phones in them). "cover ya tecno spark 20": the line says which
phone it is for, so the owner packs the right one.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from mtaabot.orders.context import Line
from mtaabot.orders.patterns import ORDER_VERB
from mtaabot.phone_makes import is_make_word
from mtaabot.retrieval import model_keys, names_a_model
from mtaabot.vocabulary import normalise, words

# a piece that says what it is for: "one for A15", "za samsung a15 mbili", "ya tecno"
_FOR = re.compile(r"^(?:(?:and|na|pia|also|then|basi|plus)\s+)*(?:\w+\s+)?(?:for|ya|za|la|kwa|of)\s+")
_CONNECTIVE = re.compile(r"\b(?:for|ya|za|la|kwa|of)\s+(.+)$")


# what a thing made to go with (or work on) another product says it is
_FOR_WORDS = frozenset("""model models fits fit fitted compatible accessory accessories repair repairs replacement
replacing cover covers case cases protector protectors charger chargers cable cables kit strap straps spare spares
parts glass""".split())


def goes_with(product: dict[str, Any] | None) -> bool:
    """A product without a model of its own that goes with other products (a Phone Cover, a Screen Repair, a Shoe
    Cleaning Kit): "na ya AF1" after the Superstar is another shoe, never a Superstar for the AF1."""
    if product is None or names_a_model(product["name"]):
        return False
    meta = product.get("metadata") if isinstance(product.get("metadata"), dict) else {}
    said = set(words(f"{product['name']} {product.get('description') or ''} {meta.get('category') or ''}"))
    return bool(said & _FOR_WORDS)


def _same_kind(a: dict[str, Any], b: dict[str, Any]) -> bool:
    meta_a = a.get("metadata") if isinstance(a.get("metadata"), dict) else {}
    meta_b = b.get("metadata") if isinstance(b.get("metadata"), dict) else {}
    return bool(meta_a.get("category")) and meta_a.get("category") == meta_b.get("category")


def for_models(pairs: list[tuple[Line, str]]) -> list[Line]:
    """The lines of an order message with each model said for the thing before it made a line of that thing "for"
    the model (see the module docstring). A count said for the thing that is the sum of the counts said per model
    ("2 phone covers, one for A15 and one for Spark 20") was their total: its own line goes; a larger one keeps the
    rest ("cover tatu, moja ya A15": two more covers, for no model said)."""
    out: list[Line] = []
    thing: Line | None = None
    given: dict[int, Decimal] = {}
    chained = False
    for line, piece in pairs:
        norm = normalise(piece)
        is_model = line.product is not None and names_a_model(line.product["name"])
        # "protector za Samsung A15 mbili na Tecno Spark 20 moja": the second model, counted like the first, is one
        # more it is for (a Tecno phone was ordered)
        counted_like = thing is not None and (thing.variant or "").startswith("for ") and thing.given is not None \
            and line.given is not None
        if thing is not None and is_model and line.problem is None and not _same_kind(thing.product, line.product) and not ORDER_VERB.search(norm) \
                and (_FOR.match(norm) or chained or counted_like):
            count = line.quantity if line.quantity is not None else Decimal(1)
            out.append(Line(thing.product, count, thing.hit, None, line.given,
                            variant=f"for {line.product['name']}", sized=True))
            if not (thing.variant or "").startswith("for "):  # a count of its own model is no total of the others
                given[id(thing)] = given.get(id(thing), Decimal(0)) + count
            chained = True
            continue
        chained = False
        thing = line if goes_with(line.product) and line.problem is None else None
        out.append(line)
    kept: list[Line] = []
    for line in out:
        per_model = given.get(id(line))
        if per_model is not None and line.quantity is not None:
            if line.given is None or line.quantity <= per_model:
                continue  # the total of the counts said for each model, or no count of its own
            line.quantity -= per_model
        kept.append(line)
    return kept


def model_said(piece: str, products: list[dict[str, Any]]) -> str | None:
    """The phone a thing is asked for in one piece ("cover ya tecno spark 20" -> "Tecno Spark 20 128GB" when it is
    one of `products`, else the words as said: "samsung a12"); None when the piece names no model after "ya/for"."""
    m = _CONNECTIVE.search(normalise(piece))
    if m is None or not names_a_model(m.group(1)):
        return None
    wanted = model_keys(m.group(1))
    named = [p["name"] for p in products if model_keys(p["name"]) & wanted]
    if len(named) == 1:
        return named[0]
    # the words as said, from the brand to the model's number ("my samsung a14 on monday at 10am" -> "samsung a14")
    said = [w for w in words(m.group(1)) if w not in ("my", "the", "a", "yangu", "wangu", "zangu")]
    # "for screen repair its an infinix hot 30": the phone from its make on ("screen repair its an" is no model)
    while len(said) > 1 and not is_make_word(said[0]) and model_keys(" ".join(said[1:])) == wanted:
        said = said[1:]
    for end in range(1, len(said) + 1):
        if model_keys(" ".join(said[:end])) == wanted or (model_keys(" ".join(said[:end])) and not
                                                          model_keys(" ".join(said[end:end + 1]))):
            return " ".join(said[:end])
    return " ".join(said)


_ITS = re.compile(r"\b(?:yake|its|for it|for that one|ya hiyo|ya hio|ya hii)\b")


def says_its(piece: str) -> bool:
    """"na cover yake", "a protector for it": the thing is for what was just talked about."""
    return bool(_ITS.search(normalise(piece)))


def model_shown(shown: list[dict[str, Any]]) -> str | None:
    """The name of the first model among the products just shown ("A15 ni ngapi?" / "na cover yake"), or None."""
    return next((p["name"] for p in shown if names_a_model(p["name"])), None)
