"""One pass of understanding per customer message: everything the engine reads about the text.

The engine parses a message once into an `Understanding` (normalised text, language, intent,
quantities, price range, the product referred to by position, and the expanded search query) and the
order flow, retrieval and replies read that value instead of parsing the text again.
"""

from __future__ import annotations

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


def understand(text: str, language: str) -> Understanding:
    norm = normalise(text)
    budget = price_range(text)
    return Understanding(text=text, norm=norm, language=language, intent=classify(text),
                         quantities=tuple(find_quantities(norm.split())), budget=budget,
                         query=expand_query(without_price_range(text) if budget else text), position=ordinal(text))
