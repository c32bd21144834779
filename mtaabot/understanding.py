"""One pass of understanding per customer message: everything the engine reads about the text.

The engine parses a message once into an `Understanding` (normalised text, language, intent,
quantities, price range, the product referred to by position, and the expanded search query) and the
order flow, retrieval and replies read that value instead of parsing the text again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from mtaabot.intents import Intent, classify
from mtaabot.orders.quantities import Quantity, find_quantities, price_range, without_price_range
from mtaabot.vocabulary import ExpandedQuery, expand_query, normalise, ordinal


@dataclass(frozen=True)
class Understanding:
    text: str
    norm: str
    language: str
    intent: Intent
    quantities: tuple[Quantity, ...]
    budget: tuple[Decimal | None, Decimal | None] | None  # "chini ya 2k" -> (None, 2000)
    query: ExpandedQuery  # search terms, the price-range phrase left out
    position: int | None  # "ile ya pili" -> 1, "the last one" -> -1

    @property
    def counted(self) -> bool:
        return bool(self.quantities)


# What the customer says they do NOT want is no part of what to search for: "Sitaki ya rangi, black and white ni
# ngapi?", "No I don't want the combo, just a normal haircut", "Hapana sitaki saa tatu, niwekee saa tano". The
# span runs from the refusal to the next comma/full stop or to the verb that says what they do want.
_NEGATED = re.compile(
    r"(?:\b(?:hapana|no)\b[\s,]*)?\b(?:sitaki|sihitaji|sipendi|i\s+don'?t\s+want|i\s+do\s+not\s+want|not\s+the)\b"
    r".*?(?=[,.;!?]|\b(?:nataka|niwekee|nipe|nipatie|naomba|but|ila|just|instead|i\s+want|give\s+me|rather)\b|$)",
    re.IGNORECASE)


def without_negated(text: str) -> str:
    return _NEGATED.sub(" ", text)


def understand(text: str, language: str) -> Understanding:
    norm = normalise(text)
    budget = price_range(text)
    query = expand_query(without_price_range(text) if budget else text)
    wanted = without_negated(text)
    if wanted != text:  # a bare refusal ("sitaki hiyo") keeps its words: it names nothing else to look for
        query = expand_query(without_price_range(wanted) if budget else wanted) if expand_query(wanted).has_content \
            else query
    return Understanding(text=text, norm=norm, language=language, intent=classify(text),
                         quantities=tuple(find_quantities(norm.split())), budget=budget, query=query,
                         position=ordinal(text))
