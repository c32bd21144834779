"""Questions about products the customer has just seen: the cheapest or dearest of them ("which is the
cheapest?"), a detail of the last one ("does it have warranty?", "ina warranty?") and how long a service takes
("itachukua muda gani?", "how long does it take?").

A detail is answered only from the product's own description and metadata; one the catalogue does not hold
goes to the owner (the customer is told), never "we don't sell that" and never a guess.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import psycopg

from mtaabot.phone_makes import make_name, makes_named
from mtaabot.retrieval import Hit, is_service
from mtaabot.understanding import COLOUR_WORDS
from mtaabot.vocabulary import words

_COLUMNS = "id, name, price, currency, is_available, description, metadata"
_FIELDS = tuple(_COLUMNS.split(", "))

# "does it have …?", "is it …?", "ina …?", "iko na …?", "inakuja na …?": a question about the thing just shown
ABOUT_IT = re.compile(
    r"^(?:(?:and|so|but|na|je|sasa|hiyo|hii|ok|okay|sawa),? )*"
    r"(?:(?:does|is|will|can|would|has) (?:it|this|that|this one|that one|the phone|the item)|"
    r"do (?:they|these|those) |are (?:they|these|those) |"
    r"(?:hiyo |hii |hizo |hizi )?(?:ina|iko na|inakuja na|zina|ziko na|zinakuja na|inakam na|inakuanga na)|"
    r"(?:hiyo|hii|hizo|hizi) (?:ni|iko|ziko))\b")
# "battery yake iko aje?", "camera zake ni ngapi?", "its battery?": a detail of the thing just shown, by "its"
OF_IT = re.compile(r"^(?:(?:and|so|but|na|je|sasa|ok|okay|sawa),? )*(?:(?!bei |price |gharama |cost )\w+ "
                   r"(?:yake|zake|lake|chake)|its (?!price|cost)\w+)\b")
# "A15 ina camera ngapi?", "Does the Redmi come with a charger?": something the named product has or comes with
HAS_DETAIL = re.compile(r"\b(?:ina|iko na|inakuja na|zina|ziko na|has|does (?:the|this|that|it)(?: \w+){0,3} "
                        r"(?:have|come with)|comes? with)\b")
# "A15 inakuja na charger?", "Does the Galaxy A15 come with earphones?": what is in the box with the product named
COMES_WITH = re.compile(r"\b(?:inakuja na|zinakuja na|inakam na|inakuanga na|comes? with|included|inclusive)\b")
# "itachukua muda gani?", "how long does it take?": how long the service just talked about takes (never delivery)
HOW_LONG = re.compile(r"\b(?:(?:i|hu|ina|ita|zita|zina)(?:chukua|chukuwa|kula|kaa|isha) (?:muda|masaa|saa|dakika|time|mda)"
                      r" (?:gani|ngapi|mangapi|mrefu)|(?:masaa|saa) mangapi|muda gani|mda gani|how long|how many (?:hours|minutes)|takes? long)\b")
_DELIVERY_WORDS = re.compile(r"\b(deliver\w*|kuleta|kuletewa|kufika|ifike|kufikisha|delivery)\b")
# "rangi gani ziko?", "what colours does it come in?", "size gani?", "which sizes?": what the last product comes in
WHICH_COLOUR = re.compile(r"\b(?:(?:rangi|colou?rs?) (?:gani|zipi|ipi|ngapi|what|which|available)|(?:what|which|in what) "
                          r"colou?rs?|rangi (?:ziko|zipo|mnazo|iko|yake|zake)|its colou?rs?|"
                          r"colou?rs? (?:do you have|does it come in|are there)|"
                          # "nionyeshe rangi zingine", "other colours?" (was a complaint, then "not sold"; s27)
                          r"(?:rangi|colou?rs?) (?:zingine|nyingine|ingine)|other colou?rs?)\b")
WHICH_SIZE = re.compile(r"\b(?:(?:size|saizi|sizes) (?:gani|zipi|ipi|ngapi|what|which|available|ziko|zipo|mnazo|yake|"
                        r"zake)|its sizes?|(?:what|which|in what) sizes?|sizes? (?:do you have|does it come in|are there)|"
                        r"(?:size|saizi|sizes) (?:zingine|nyingine|ingine)|other sizes)\b")
_COLOURS = COLOUR_WORDS | {"navy", "maroon", "beige", "nude", "cream", "khaki", "tan", "olive", "gold", "silver"}
_KEYS = {"colour": ("color", "colour", "colors", "colours", "rangi"), "size": ("sizes", "size", "saizi")}
# words of a question that are no detail asked for
_NOT_A_DETAIL = frozenset("""ina iko na ni je hiyo hii hizo hizi zina ziko kuja inakuja zinakuja inakam inakuanga
have has got come comes with does is it this that the one any ama au or sasa bado""".split())


def products_by_id(conn: psycopg.Connection, business_id: Any, ids: Sequence[Any]) -> list[Hit]:
    rows = conn.execute(f"SELECT {_COLUMNS}, is_service, duration_minutes FROM products WHERE business_id = %s"
                        " AND id = ANY(%s)", (business_id, list(ids))).fetchall()
    order = {pid: i for i, pid in enumerate(ids)}
    # a service found again is still one: its answers close with "reply with a day and time", never "how many"
    return [Hit(**{k: r[k] for k in _FIELDS}, is_service=is_service(r, r["metadata"]))
            for r in sorted(rows, key=lambda r: order.get(r["id"], 0))]


def extreme_candidates(conn: psycopg.Connection, business_id: Any, previous: Sequence[Any]) -> list[Hit]:
    """What "the cheapest" is among: the products of the last answer when it showed several (those of the category
    most of them share); when it showed one, that product's kind (same category and same first name word, e.g. the
    shop's other Samsung phones)."""
    shown = products_by_id(conn, business_id, previous)
    if len(shown) > 1:  # of the phones shown, not the phone case shown beside them
        cats = [(h.metadata or {}).get("category") for h in shown]
        main = max(cats, key=cats.count)
        return [h for h, c in zip(shown, cats, strict=True) if c == main]
    if not shown:
        return shown
    one = shown[0]
    category = (one.metadata or {}).get("category")
    first = (one.name.split() or [""])[0].lower()
    rows = conn.execute(
        f"""SELECT {_COLUMNS} FROM products WHERE business_id = %s
               AND lower(split_part(name, ' ', 1)) = %s
               AND (%s::text IS NULL OR metadata->>'category' = %s)""",
        (business_id, first, category, category)).fetchall()
    return [Hit(**r) for r in rows] or shown


def by_price(hits: Sequence[Hit], extreme: str) -> list[Hit]:
    """Available products first, then cheapest (or dearest) first."""
    return sorted(hits, key=lambda h: (not h.is_available, h.price if extreme == "low" else -h.price))


def names_it(hit: Hit, terms: Sequence[str]) -> bool:
    """Every word asked is in the product's name ("is this the Samsung A15?"): no detail, the product itself."""
    asked = {t for t in terms if t not in _NOT_A_DETAIL}
    return asked <= set(words(hit.name))


def details(hit: Hit, terms: Sequence[str]) -> str | None:
    """What the product's metadata and description say about the words asked ("warranty" -> "warranty: 12
    months"); None when they say nothing about any of them."""
    asked = {t for t in terms if len(t) >= 3 and t not in _NOT_A_DETAIL}
    return facts_saying(hit, asked, set) if asked else None


def facts_saying(hit: Hit, wanted: set[str], forms: Callable[[list[str]], set[str]], *,
                 skip: frozenset[str] = frozenset()) -> str | None:
    """The metadata entries (but `skip`'s keys), else the description, whose words (as `forms` gives them) include
    any of `wanted`: "warranty: 12 months"; None when none does."""
    facts = []
    for key, value in (hit.metadata or {}).items():
        if key.lower() in skip:
            continue
        if wanted & forms(words(f"{key} {value if isinstance(value, str) else json.dumps(value)}")):
            facts.append(f"{key.replace('_', ' ')}: {value}")
    if not facts and wanted & forms(words(hit.description or "")):
        facts.append((hit.description or "").strip().rstrip("."))
    return "; ".join(facts) or None


_PLAIN_KEYS = frozenset({"category", "sizes", "size", "color", "colour", "colors", "colours", "unit", "count"})


def named_details(hit: Hit, terms: Sequence[str]) -> str | None:
    """A detail asked about together with the product named ("does the Samsung come with warranty?", "Redmi
    ina warranty?"): the metadata entries whose key is a word of the question that the product's name does not
    say; None when there is none (then the product is answered as usual). Only keys, never the description:
    "unga ya chapati" asks for the flour, not its description."""
    named = set(words(hit.name))
    asked = {t for t in terms if len(t) >= 3 and t not in _NOT_A_DETAIL and t not in named}
    facts = [f"{key.replace('_', ' ')}: {value}" for key, value in (hit.metadata or {}).items()
             if key.lower() not in _PLAIN_KEYS and asked & set(words(key.replace("_", " ")))]
    return "; ".join(facts) or None


# "box braids zinakaa muda gani kichwani?", "how long do gel nails last?": how long the thing lasts, not how long
# the appointment takes
LASTS = re.compile(r"\b(?:(?:zi|i|hu|zita|ita)(?:na)?(?:kaa|dumu)\w* (?:kwa )?(?:muda|mda|siku|wiki|miezi)|kichwani|"
                   r"how long (?:do|does|will|would) [\w ]{1,30}? (?:last|stay)|lasts? how long)\b")
_LASTS_SAID = re.compile(r"\blast(?:s|ing)?\b|\bdumu\w*|\bkaa\b", re.IGNORECASE)


def asks_how_long(norm: str) -> bool:
    return bool(HOW_LONG.search(norm)) and not _DELIVERY_WORDS.search(norm) and not LASTS.search(norm)


def how_long_it_lasts(hit: Hit) -> str | None:
    """What the product's description says about how long it lasts ("lasts two weeks"), or None."""
    text = (hit.description or "").strip().rstrip(".")
    return text if _LASTS_SAID.search(text) else None


def service_minutes(conn: psycopg.Connection, business_id: Any, product_id: Any) -> tuple[Hit, int | None] | None:
    """The service behind `product_id` and its length in minutes (None when the catalogue does not say);
    None when that product is goods, not a service."""
    row = conn.execute(f"SELECT {_COLUMNS}, is_service, duration_minutes FROM products WHERE business_id = %s AND id = %s",
                       (business_id, product_id)).fetchone()
    if row is None or not is_service(row, row["metadata"]):
        return None
    minutes = row.pop("duration_minutes")
    row.pop("is_service")
    # a service: its answers close with "reply with a day and time", never "reply with the quantity to order"
    return Hit(**row, is_service=True), minutes or described_minutes(row.get("description"))


# "about 4 hours", "takes 45 minutes", "1.5 hrs", "kama saa 3", "dakika 40" in a service's description
_DESCRIBED_LENGTH = re.compile(r"\b(\d+(?:\.\d+)?)\s*(hours?|hrs?|minutes?|mins?)\b|\b(saa|masaa|dakika)\s+(\d+)\b",
                               re.IGNORECASE)


def described_minutes(description: str | None) -> int | None:
    """A service's length as its description states it, in minutes; None when it does not."""
    m = _DESCRIBED_LENGTH.search(description or "")
    if m is None:
        return None
    if m.group(1):
        amount, unit = float(m.group(1)), m.group(2).lower()
        return round(amount * (1 if unit.startswith("m") else 60))
    return int(m.group(4)) * (1 if m.group(3).lower() == "dakika" else 60)


def duration_text(minutes: int, lang: str) -> str:
    """90 -> "1 hour 30 minutes" / "saa 1 na dakika 30" (Swahili counts hours as saa)."""
    hours, mins = divmod(minutes, 60)
    if lang == "ENG":
        parts = ([f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []) + ([f"{mins} minutes"] if mins else [])
        return " ".join(parts)
    parts = ([f"saa {hours}"] if hours else []) + ([f"dakika {mins}"] if mins else [])
    return " na ".join(parts)


def attribute_asked(norm: str) -> str | None:
    """"colour" or "size" when the message asks which ones the product comes in."""
    return "colour" if WHICH_COLOUR.search(norm) else "size" if WHICH_SIZE.search(norm) else None


def says_colour(hit: Hit) -> bool:
    """The catalogue says what colour(s) the product comes in (a colour field, or a colour in its name or
    description); when it does not, "iko black?" is a question for the owner, not a "no"."""
    return attribute_facts(hit, "colour") is not None


_LABELS = {"colour": {"ENG": "colours", "SWA": "rangi", "SHENG": "rangi"},
           "size": {"ENG": "sizes", "SWA": "saizi", "SHENG": "size"}}


def attribute_facts(hit: Hit, kind: str, lang: str = "ENG") -> str | None:
    """The colours or sizes the catalogue gives for `hit` (metadata first, then its name and description), labelled
    in `lang` ("rangi: black, white"; a Swahili reply said "colours: black"); None when it does not say."""
    label = _LABELS[kind].get(lang, _LABELS[kind]["ENG"])
    meta = hit.metadata or {}
    for key in _KEYS[kind]:
        if meta.get(key):
            value = meta[key]
            return f"{label}: {', '.join(map(str, value)) if isinstance(value, list) else value}"
    text = f"{hit.name} {hit.description or ''}"
    if kind == "colour":
        colours = list(dict.fromkeys(w for w in words(text) if w in _COLOURS))
        return f"{label}: {', '.join(colours)}" if colours else None
    m = re.search(r"\bsizes? (\d{1,2}(?:\.\d)?) ?(?:to|-|–) ?(\d{1,2}(?:\.\d)?)\b", text, re.IGNORECASE)
    return f"{label}: {m.group(1)}-{m.group(2)}" if m else None


def unlisted_make(hit: Hit, text: str) -> str | None:
    """The make the customer named that a product listed for some makes only does not cover ("Screen repair for
    Samsung, Tecno, Infinix" asked of an iPhone 11: quoted at its price, the shop either loses money or the customer
    is angry; customer test s24). None when the product lists fewer than two makes or covers what was named."""
    listed = makes_named(f"{hit.name} {hit.description or ''}")
    asked = makes_named(text)
    if len(listed) < 2 or not asked or asked & listed:
        return None
    return sorted(asked)[0]


def listed_makes(hit: Hit) -> str:
    return ", ".join(make_name(m) for m in sorted(makes_named(f"{hit.name} {hit.description or ''}")))
