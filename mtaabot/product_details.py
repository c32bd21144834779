"""A question about one product's details, answered from its name, description and metadata.

"ni watts ngapi?" / "ni ya ml ngapi?" / "what length?" ask for a measure: the number and unit in the product's name
or description ("Charger 25W", "wig, 18 inch") answer it; "iko ya inchi 22?" when it is 18 inch is "only 18 inch".
"ni za grass ama astro?", "battery health ni ngapi?", "inahitaji ID?" ask about words that are not the product's own
name: its description or metadata answer them, else the owner does. "ni leather kweli?" about "Official Leather
Shoes" confirms a word it is named or described by; "ni ya wapi?" and "ina nini ndani?" are answered by a
description that says where from (a place named in it) or what it holds. Never "we don't sell that".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from mtaabot.orders.quantities import NUMBER_WORDS, UNITS, VARIANT_UNITS, variant_tokens_of
from mtaabot.product_questions import facts_saying
from mtaabot.retrieval import Hit
from mtaabot.understanding import COLOUR_WORDS
from mtaabot.vocabulary import STOPWORDS, WORDS, normalise, words

# units of one kind answer each other ("gramu ngapi?" of a product sold in kg)
_KINDS: dict[str, str] = {"kg": "weight", "g": "weight", "l": "volume", "ml": "volume", "inch": "length", "m": "length",
                          "mm": "length", "cm": "length", "w": "power", "gb": "storage", "tb": "storage",
                          "mah": "charge", "v": "voltage", "ah": "charge"}
_SHOWN = {"w": "W", "gb": "GB", "tb": "TB", "mah": "mAh", "inch": " inch", "l": "L", "v": "V", "ah": "Ah"}
# words that ask for a measure without a unit
_KIND_WORDS: dict[str, str] = {"length": "length", "urefu": "length", "long": "length", "weight": "weight",
                               "uzito": "weight", "storage": "storage", "capacity": "charge", "volume": "volume",
                               "wattage": "power", "watts": "power", "watt": "power"}
# a question about it, not a request ("ni ngapi", "ama", "kweli", "does", "?")
CUE = re.compile(r"\?|\b(?:ngapi|gani|nini|wapi|kweli|ama|au|or|how|what|which|does|do|is|are|can|will|really|"
                 r"(?:i|zi)(?:na|ta)[a-z]{3,})\b")
# a strong sign of a question about the thing (not "na sukari je?", which asks for another thing)
STRONG_CUE = re.compile(r"\b(?:ngapi|gani|nini|wapi|kweli|ama|au|or|how|what|which|does|do|is|are|can|will|really|"
                        r"(?:i|zi)(?:na|ta)[a-z]{3,})\b")
PRICE_WORDS = re.compile(r"\b(?:bei|price|prices|cost|pesa|gharama|how much|doh|dooh)\b")
CONFIRM = re.compile(r"\b(?:kweli|really|truly|for real|kwa kweli)\b")
ORIGIN = re.compile(r"\b(?:(?:ya|za|la|cha|vya) wapi|(?:kutoka|inatoka|imetoka|zinatoka|zimetoka|inatengenezwa) wapi|"
                    r"where (?:is|are) (?:it|they|this|these) from|where from|from where|made in|origin)\b")
CONTENTS = re.compile(r"\b(?:ndani|inside|contains?|in the box|what(?:'s| is) in (?:it|the)|ina nini|zina nini|"
                      r"inakuja na nini|comes with what)\b")
# what to bring for it: "nikuje na ID?", "nahitaji kuja na nini?", "do I need to bring my ID?", "what should I carry?"
BRING = re.compile(r"\b(?:(?:ni|nita|tu|ta)?(?:kuje|je|kuja|lete|bebe|beba|ende)\s+na\s+\w+|kuja na nini|"
                   r"(?:bring|carry)\b)")
_BRINGS = re.compile(r"\b(?:with your|bring|carry|come with|kuja na|original|ID|kitambulisho)\b", re.IGNORECASE)
# question words and grammar that name no detail
_GRAMMAR = frozenset("""ni na ya za la cha vya wa je hiyo hii hizo hizi hio izo ina iko zina ziko kuja inakuja zinakuja
ngapi gani nini wapi kweli ama au or sasa bado yake zake kwa mpaka tu pia really truly ok okay sawa poa basi""".split())
_VERB = re.compile(r"^(?:i|zi|ki|vi|li|u|a|wa)(?:na|ta|me)(\w{3,})$|^hu(\w{4,})$")
# detail words the product vocabulary does not translate (its WORDS are product names)
_DETAIL_WORDS: dict[str, str] = {"ngozi": "leather", "chaji": "charge charges charging", "hitaji": "need needs require",
                                 "mpigo": "once", "asili": "original", "mitumba": "mtumba"}


@dataclass(frozen=True)
class Answer:
    """What to say: `facts` from the catalogue, else `only` (the measures it comes in), else hand over."""

    facts: str | None = None
    only: str | None = None


def _text(hit: Hit) -> str:
    meta = " ".join(f"{k} {v if isinstance(v, str) else json.dumps(v)}" for k, v in (hit.metadata or {}).items())
    return f"{hit.name} {hit.description or ''} {meta}"


def word_forms(word: str) -> set[str]:
    """The word, its English translations and plain stems ("phones" ~ "phone", "inachaji" ~ "charge")."""
    out = {word}
    if m := _VERB.match(word):
        out.add(m.group(1) or m.group(2))
    for w in list(out):
        out.update((WORDS.get(w) or "").split())
        out.update((_DETAIL_WORDS.get(w) or "").split())
    for w in list(out):
        if len(w) > 3 and w.endswith("s"):
            out.add(w[:-1])
    return {w for w in out if w and w not in STOPWORDS}


def _stems(text_words: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for w in text_words:
        out.add(w)
        if len(w) > 3 and w.endswith("s"):
            out.add(w[:-1])
    return out


def measures(hit: Hit, kind: str) -> list[str]:
    """The measures of `kind` the product's name and description give: ["25W"], ["18 inch"]."""
    toks = sorted(variant_tokens_of(words(f"{hit.name} {hit.description or ''}")))
    out = []
    for tok in toks:
        m = re.fullmatch(r"(\d+(?:\.\d+)?)([a-z]+)", tok)
        if m and _KINDS.get(m.group(2)) == kind:
            out.append(f"{m.group(1)}{_SHOWN.get(m.group(2), m.group(2))}")
    return out


def measure_asked(text: str) -> tuple[str, str | None] | None:
    """(kind, the measure said or None) when the message asks for a measure ("ni watts ngapi" -> ("power", None),
    "iko ya inchi 22?" -> ("length", "22inch")); None when it asks for none."""
    ws = words(text)
    said = sorted(t for t in variant_tokens_of(ws) if _KINDS.get(re.sub(r"^[\d.]+", "", t)))
    if said:
        return _KINDS[re.sub(r"^[\d.]+", "", said[0])], said[0]
    if not CUE.search(text.lower()):
        return None
    for w in ws:
        unit = VARIANT_UNITS.get(w)
        if unit and len(w) > 1 and _KINDS.get(unit):
            return _KINDS[unit], None
        if w in _KIND_WORDS:
            return _KIND_WORDS[w], None
    return None


def _quantity_word(w: str) -> bool:
    return w.isdigit() or w in NUMBER_WORDS or w in UNITS or w in VARIANT_UNITS or w in _KIND_WORDS \
        or bool(re.fullmatch(r"\d+(?:\.\d+)?[a-z]{1,4}", w))


_OF = frozenset("ya za la cha vya wa kwa of for".split())


def asked_words(items: Iterable[tuple[str, ...]], hit: Hit, text: str = "") -> list[str]:
    """The words of the message that name no part of the product's name, no number or unit and no grammar: the
    detail asked ("grass", "astro" of "football boots ni za grass ama astro?"). A word qualifying a word of the
    name ("kufua" of "sabuni ya kufua") or its category ("phones" of "tecno phones") says which product, not what
    is asked about it."""
    named = _stems(words(hit.name)) | _stems(words(str((hit.metadata or {}).get("category") or "")))
    ws = words(text)
    qualifiers = {ws[i] for i in range(2, len(ws)) if ws[i - 1] in _OF and word_forms(ws[i - 2]) & named}
    items = list(items)
    # the words of a phrase that names the product ("sabuni ya kufua" -> "laundry soap") name it too
    qualifiers |= {w for item in items if len(item) > 1 and any(word_forms(x) & named for x in item) for w in item}
    out = []
    for item in items:
        if any(word_forms(w) & named for w in item) or item[0] in qualifiers:
            continue
        head = item[0]
        if head in COLOUR_WORDS or any(w in COLOUR_WORDS for w in item):  # colours are asked and answered apart
            continue
        if head in _GRAMMAR or head in STOPWORDS or _quantity_word(head) or len(head) < 2:
            continue
        out.append(head)
    return out


def after_the_name(hit: Hit, text: str, asked: list[str]) -> bool:
    """Every word asked comes after the last word of the product's name ("iphone 13 battery health ni ngapi"): a
    detail of it, where "simu mpya ya samsung ni ngapi" qualifies the thing asked the price of."""
    named = _stems(words(hit.name))
    ws = words(text)
    last = max((i for i, w in enumerate(ws) if word_forms(w) & named), default=None)
    return last is not None and all(w in ws[last + 1:] for w in asked)


def answer(hit: Hit, text: str, items: list[tuple[str, ...]]) -> Answer | None:
    """The answer to a question about `hit` from the catalogue: Answer(facts=...) or Answer(only=...); Answer() when
    it asks about something the catalogue does not say (the owner answers); None when the message asks nothing
    about its details (a price question, the product itself)."""
    norm = f"{normalise(text)}{' ?' if '?' in text else ''}"
    asked = asked_words(items, hit, text)
    if not asked and not PRICE_WORDS.search(norm) and (measure := measure_asked(text)) is not None:
        kind, said = measure
        have = measures(hit, kind)
        if said is None:
            return Answer(facts=", ".join(have)) if have else Answer()
        if have:
            wanted = re.sub(r"[a-z]+$", "", said)
            if any(re.sub(r"[^\d.]", "", h) == wanted for h in have):
                return None  # "kilo moja ni ngapi" of the 1kg: the product itself
            return Answer(only=", ".join(have))
    description = (hit.description or "").strip().rstrip(".")
    if BRING.search(norm) and CUE.search(norm):  # what to come with: as the catalogue says, else the owner's to say
        return Answer(facts=description) if _BRINGS.search(description) else Answer()
    if ORIGIN.search(norm):
        return Answer(facts=description) if description and _names_a_place(hit) else Answer()
    if CONTENTS.search(norm):
        return Answer(facts=description) if description else Answer()
    if not asked:
        if CONFIRM.search(norm):  # "ni leather kweli?" of "Official Leather Shoes": yes, as it says
            return Answer(facts=description or hit.name)
        return None
    if not CUE.search(norm):
        return None
    facts = facts_about(hit, asked)
    return Answer(facts=facts) if facts else Answer()


def facts_about(hit: Hit, asked: list[str]) -> str | None:
    """The metadata entries, else the description, that say any of the words asked; None when none does."""
    wanted: set[str] = set()
    for w in asked:
        wanted |= word_forms(w)
    return facts_saying(hit, wanted, _stems, skip=frozenset({"category"}))


def _names_a_place(hit: Hit) -> bool:
    """The description names where the product is from: a capitalised word past its first that the name does not
    have ("Aromatic Mwea pishori rice"), or "from …" / "made in …" / "Ex-…"."""
    text = hit.description or ""
    if re.search(r"\b(?:from|made in|imported|ex-\w+)\b", text, re.IGNORECASE):
        return True
    named = {w.lower() for w in re.findall(r"[\w-]+", hit.name)}
    later = re.findall(r"(?<=\s)([A-Z][a-z]+)\b", text)
    return any(w.lower() not in named for w in later)


def shop_words(names: Iterable[str]) -> set[str]:
    """Every word of the shop's product names (a word of another product is that product, not a detail)."""
    return {w for n in names for w in _stems(words(n))}
