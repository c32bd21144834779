"""A tone changes the words around a name, never the name: every tone × language × move keeps the shop's,
the products' and the location's names exactly as stored, even names made of the very words a tone swaps."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from mtaabot.messages import LANGS, catalogue
from mtaabot.reply_builder import ReplyBuilder
from mtaabot.retrieval import Hit

TONES = ("mtaa", "rafiki", "kazi", "sana")
# Every word any tone swaps (read from the catalogue, so a new swap is covered too), inside real-looking names.
SWAPPED = sorted({word for swaps in catalogue()["tone_words"].values() for word in swaps})
TRAP = " ".join(w.strip() for w in SWAPPED)


def _hit(name: str, price: int, available: bool = True) -> Hit:
    return Hit(id=uuid.uuid4(), name=name, price=Decimal(price), currency="KES", is_available=available,
               description=None, metadata=None)


SHOP = {"name": f"Urbana {TRAP} Stores", "location": f"{TRAP} Plaza, Gikomba",
        "opening_hours": "Mon-Sat 7am-9pm"}
FLOUR = _hit(f"{TRAP} Unga 2kg", 210)
OIL = _hit(f"Poa Bana {TRAP} Oil 1L", 380, available=False)


def _moves(b: ReplyBuilder) -> dict[str, tuple[str, list[str]]]:
    """move -> (reply, the names it must carry verbatim)."""
    return {
        "greeting": (b.greeting(), []),
        "thanks": (b.thanks(), []),
        "location": (b.location(), [SHOP["location"]]),
        "found": (b.products([FLOUR]), [FLOUR.name]),
        "found_many": (b.products([FLOUR, OIL]), [FLOUR.name]),
        "unavailable": (b.products([OIL, FLOUR]), [OIL.name, FLOUR.name]),
        "price_list": (b.price_list([FLOUR, OIL]), [FLOUR.name, OIL.name]),
        "not_sold": (b.not_sold([FLOUR.name]), [FLOUR.name]),
        "discount_offer": (b.discount_offer(FLOUR, Decimal(200)), [FLOUR.name]),
        "outside_range": (b.outside_range([FLOUR], (Decimal(10), Decimal(20))), [FLOUR.name]),
        "handover": (b.handover("complaint"), []),
    }


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("language", LANGS)
def test_names_are_never_rewritten_by_a_tone(tone: str, language: str) -> None:
    assert len(SWAPPED) >= 3  # the catalogue still swaps words; otherwise this test proves nothing
    names = [SHOP["name"], SHOP["location"], FLOUR.name, OIL.name]
    for first_turn in (True, False):
        builder = ReplyBuilder(language=language, tone=tone, business=SHOP, first_turn=first_turn)
        for move, (reply, required) in _moves(builder).items():
            for name in required:
                assert name in reply, (tone, language, move, reply)
            for name in names:
                for swaps in catalogue()["tone_words"].values():
                    for word, replacement in swaps.items():
                        if word in name and word != replacement:
                            assert name.replace(word, replacement) not in reply, (tone, language, move, reply)
            for reply, _ in _moves(builder).values():  # where the shop is named, it is named whole
                assert "Urbana" not in reply or SHOP["name"] in reply, (tone, language, reply)


def test_the_shop_name_is_really_filled_into_some_replies() -> None:
    """Guards the test above: at least one tone's greeting names the shop (so the shop-name check bites)."""
    greetings = [ReplyBuilder(language=lang, tone=tone, business=SHOP).greeting() for tone in TONES for lang in LANGS]
    assert any(SHOP["name"] in g for g in greetings)
