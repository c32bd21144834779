"""One pass of understanding per customer message: everything the engine reads about the text.

A message's text is read here once, and nowhere else on its way to a reply:

- `normalise` (accents, case, punctuation) -> `Understanding.norm`;
- the price range ("chini ya 2k") -> `budget`, and its phrase is left out of what is searched for;
- what the customer refuses ("Sitaki ya rangi, ...") is left out of what is searched for;
- the Swahili/Sheng -> English bridge (`vocabulary.expand_query`) -> `search.query` (terms, English text for the
  encoder, the customer's content words in order);
- variants the message names ("64 gigs", "4 kwa 6", "three-seater") -> `search.variants`
  (`orders.quantities.variant_tokens_of`, the same unit words the order flow counts with);
- work or goods: a repair/mending verb, a buying verb, a time or a booking word -> `search.wants_service`,
  `search.wants_goods`, `search.books`;
- quantities ("kilo tano", "two litres") -> `quantities`; a position ("ile ya pili") -> `position`;
- attribute words (a colour, size or group: "na ya 3L?", "how about black?") -> `attributes`;
- intent (`intents.classify`) -> `intent`; the escalation decision may read the query encoder's vector of
  `search.query.english` (asked for only when the n-gram classifier is unsure, and cached for retrieval).

The engine makes one `Understanding`; the order flow, `retrieval.retrieve` (through `search`) and the replies read
it. The query encoder sees `search.query.english` once (cached by the worker's batch).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import numpy as np

from mtaabot.intents import Intent, classify
from mtaabot.orders import party
from mtaabot.orders.quantities import (
    VARIANT_NUMBER_WORDS,
    Quantity,
    find_quantities,
    price_range,
    variant_tokens_of,
    without_price_range,
)
from mtaabot.orders.when import without_when
from mtaabot.vocabulary import ORDINAL_RX, ExpandedQuery, expand_query, normalise, ordinal, words

# Verbs that ask for work done on the customer's own thing (repair, mend, sew) rather than for a thing to buy,
# with the Swahili subject/tense prefixes they take ("mnatengeneza", "kushona", "mnarepair", "mnafix").
_SERVICE_VERB = re.compile(r"(?:mna|mta|mme|ana|una|wana|tuna|nita|uta|ata|ku|na|ni|tu|wa|u|m)?"
                           r"(?:repair|fix|mend|tengenez|rekebish|shon)[a-z]*")
_BUY_WORDS = frozenset("sell sells selling buy mnauza unauza mnauzanga mnauzia kununua ninunue nunua".split())
_BOOKING = re.compile(r"\b(?:book|booking|appointment|nibookie|nafasi|slot|kesho|tomorrow|"
                      r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|juma(?:tatu|nne|tano|mosi|pili)|alhamisi|ijumaa|"
                      r"saa\s+(?:\d+|moja|mbili|tatu|nne|tano|sita|saba|nane|tisa|kumi)|\d{1,2}(?::\d{2})?\s?(?:am|pm))\b")
REPLACE_VERB = re.compile(r"(?:mna|ku|ni|tu|m)?(?:badilish|replac)[a-z]*|replace")
# "Do you (the shop) ...?" in Swahili: mna-/mta- + a verb. Verbs of having, selling, bringing, paying, opening or
# being able are commerce; any other verb asks for something done ("Mnapaka rangi baiskeli?", "Mnakodisha
# baiskeli?", "Mnafanya usafi wa ofisi?"), which only a service of the shop can answer.
_SHOP_VERB = re.compile(r"^(?:mna|mta)([a-z]{3,})$")
_COMMERCE_STEM = re.compile(
    r"^(?:cho|vyo|yo|zo|ko|ona|ita|kaa|jua|sema|ja|kuja|enda|kuwa|weza|eza)$|"
    r"^(?:uz|let|tum|kubal|poke|fung|patikan|pat|deliver|beb|chuku|lip|ambi|pig|anz|ish|bak|tak|hitaj|pend|ongea|"
    r"jib|rudish|ouz|ingi|tok|fik|rud|kuja|saidi|uliz|weza|eza|chaj|charg|itish|gharim|ni|tu|m)", re.IGNORECASE)
_GETTING = frozenset("pata kupata nipate tupate nunua kununua ninunue fanyiwa kufanyiwa nifanyiwe fanya get buy "
                     "afford do done".split())
# "nionyeshe simu za below 15k", "show me phones under 10k": what to show, no word of the thing shown
_SHOWING = frozenset("nionyeshe tuonyeshe nionyesha onyesha nionesha nioneshe show see view list options".split())
_CONNECTIVES = frozenset("ya za la cha vya wa".split())
_CAPITALISED = re.compile(r"(?<![.?!]\s)(?<=\s)[A-Z][A-Za-z0-9'-]*")
_RAW_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*")

COLOUR_WORDS = frozenset("""white black red blue green yellow brown grey gray pink purple orange silver gold
nyeupe nyeusi nyekundu bluu kijani njano kahawia kijivu pinki""".split())
# Words that describe a thing but do not name it: alone they never make a match.
MODIFIERS = frozenset("""
white black red blue green yellow brown grey gray pink purple orange big large small medium long short
heavy light new old used one two three four five six seven eight nine ten half full size sizes inch
kg kilo kilos litre litres per piece pack packet bag bags strong cheap original fresh free best good
men women ladies kids man woman unisex home house room living wall the for with and of
""".split())
CHILD_WORDS = frozenset("kids kid children child baby babies watoto mtoto watoi mtoi toddler toddlers infant".split())
# An age that makes the customer's person a child: "for a 6 year old", "mtoto wa miaka tano", "wa miaka 7".
_CHILD_AGE = re.compile(r"\b(\d{1,2}|[a-z]+)[- ]?(?:years?|yrs?)[- ]old\b|\bwa miaka (\d{1,2}|[a-z]+)\b")
_GROUP = frozenset({"watoto", "mtoto", "kids", "kid", "children", "ladies", "men", "wanaume", "wanawake"})
_MEASURE = re.compile(r"\d+(?:\.\d+)?(?:kg|g|l|ml|gb|tb|mah|w)?")


SIZE_WORDS = frozenset({"size", "saizi", "namba", "number", "no"})  # "size 40": a size, no thing named
_SIZE_NUMBER = re.compile(r"\b(?:size|saizi|namba)\s*(\d{1,2}(?:\.\d)?)\b", re.IGNORECASE)
# A question about the shop's rules for goods sold: returns, refunds, exchanges, warranty, guarantee (RETURNS
# whatever else the message names; "mnabadilisha ... kama ...?" only when nothing sold matches: "mnabadilisha
# screen?" asks for a part replaced).
RETURNS = re.compile(r"\b(?:exchange\w*|returns?|refund\w*|warrant\w*|waranti|guarantee\w*|dhamana|mnarudisha|"
                     r"mnakubali kurudisha|nirudishe|kurudisha (?:pesa|doh|simu|viatu|bidhaa))\b")
# Paying over time or later: instalments, credit, lay-by. The shop's terms, not its payment methods ("naweza lipa
# pole pole?" was answered with the till number).
# A promise to pay ("nitalipa", "nitakulipa") is credit only with a time far off: "nitalipa baadaye nikifika" pays
# on arrival.
# an old thing given in part payment, or bought from the customer: terms only the owner can set
TRADE_IN = re.compile(r"\btrade[\s-]?in\b|\b(?:do you|mnanunua|mnabuy|you) (?:buy|nunua) (?:old|used|second[\s-]hand)|"
                      r"\b(?:mnanunua|mnabuy) simu (?:za zamani|zilizotumika|used|old)|\bexchange my (?:old )?phone\b|"
                      r"\bbadilishana simu\b|"
                      # "Mnabadilisha mtungi wa Total gas kwa yenu? nataka refill": another brand's gas cylinder taken in
                      # exchange (a refill was drafted, no word to the owner; customer test s30)
                      r"\b(?:mnabadilisha|mnabadili|mnaexchange|mnakubali|mnachukua|do you (?:exchange|swap|accept|take)|"
                      r"can i (?:exchange|swap))\b(?: \w+){0,6} (?:mtungi|mitungi|cylinders?)\b")
CREDIT = re.compile(r"\b(?:instal+ments?|(?:lipa|kulipa|nilipe|pay|paying)(?: \w+){0,3} (?:baadaye|later)|"
                    r"(?:\w*lipa|\w*lipe|pay|paying)(?: \w+){0,3} (?:pole ?pole|mdogo ?mdogo|kidogo "
                    r"?kidogo|kwa awamu|awamu|in parts|bit by bit|monthly|kila mwezi|mwisho wa mwezi|"
                    r"end of (?:the )?month|month end|end month|end ya mwezi|nikipata mshahara|on payday)|lipa nusu|"
                    r"(?:rest|balance|salio) (?:later|baadaye)|"
                    # "nitalipa mara mbili, nusu leo nusu wiki ijayo" (the till number was the answer; s30b)
                    # (half now and half on delivery is no credit: "nitatuma nusu sasa na nusu nikipokea")
                    r"(?:\w*lipa|pay) (?:mara mbili|kwa mara mbili|in two|twice)(?! (?:nikipokea|ukileta|on delivery))|"
                    r"nusu (?:leo|sasa) (?:na )?nusu (?:wiki|kesho|mwezi|baadaye|mwisho|next|later|tomorrow)|"
                    r"half (?:now|today) (?:and )?half (?:next|later|tomorrow|at the end)|"
                    # "Mathe unaeza nikopesha gas nitalipa end month?" (its price was the answer; customer test s30)
                    r"(?:kwa|on) (?:credit|mkopo|deni)|mkopo|\w*kopesh\w*|lay ?by|layaway|"
                    # "nipe credit", "nitakulipa wiki ijayo": goods now, money another day
                    r"(?:nipe|give me|nipatie|mnapeana|mnatoa|unapeana) (?:credit|deni)|"
                    r"(?:nitakulipa|nitalipa|nikulipe|ntakulipa|ntalipa|i'?ll pay(?: you)?|i will pay(?: you)?)"
                    r"(?: \w+){0,2} (?:wiki ijayo|next week|mwezi ujao|next month|mwisho wa wiki|weekend))\b")
# A wholesale price or a bulk deal: the owner's lead ("mnauza kwa bei ya jumla?" was "we don't sell that", and "need
# 30 Nokia 105 ... bulk price?" a KES 69,000 order at the list price with no word to the owner; customer test s27).
# "bei ya jumla ni ngapi" / "bei ya jumla ya oda" ask the order's total, not a wholesale price.
WHOLESALE = re.compile(r"\bwholesale\b|\bbulk (?:price|prices|pricing|discount|rate|rates|deal|buyer|purchase)\b|"
                       r"\b(?:buy|buying|order|ordering|sell|selling) in bulk\b|\bin bulk\b|"
                       r"\bbei ya (?:jumla|wingi)\b(?! ni\b)(?! ya\b)|"
                       r"\b(?:mnauza|unauza|mnaweza kuuza|mtauza|niuzie|mniuzie) (?:kwa )?(?:bei ya )?jumla\b")
# Work asked for at the shop: "natafuta kazi ya ususi, mnaajiri?" was "we don't offer that service" and never reached
# the owner (customer test s29). The owner's to answer, like a wholesale lead.
JOB_ASKED = re.compile(r"\b(?:natafuta|tunatafuta|nimekuwa nikitafuta|looking for|searching for|seeking|need|nahitaji)\s+"
                       r"(?:a\s+)?(?:kazi|job|jobs|employment|ajira|nafasi ya kazi)\b|"
                       r"\b(?:mnaajiri|mnaandika (?:watu|kazi)|mnahitaji (?:mfanyakazi|wafanyakazi|msusi|stylist)|"
                       r"are you hiring|you hiring|hiring\?|any vacanc\w*|vacancy|vacancies|nafasi za kazi|"
                       r"nafasi ya kazi|internship|industrial attachment)\b")
# Whether goods are genuine: only the owner can vouch for it unless the catalogue says so.
GENUINE = re.compile(r"\b(?:original|orijino|orijinali|genuine|authentic|fake|feki|replica|za ukweli|ya ukweli)\b")
# a price praised is no price asked: "these prices are so good. Give me ..." was answered with the prices, no order
# (customer test s29)
_PRAISED = (r"(?!\s+(?:zenu\s+|yenu\s+|here\s+)?(?:are|is|ni|ziko|iko)?\s*(?:so\s+|very\s+|really\s+|sana\s+)?"
            r"(?:good|poa|fair|nice|great|low|cheap|fiti|bomba|nzuri|rahisi|affordable|friendly)\b)")
PRICE_ASKED = re.compile(r"\b(?:bei|price|prices)\b" + _PRAISED + r"|\b(?:ngapi|how much|cost|costs|pesa gani|doh ngapi)\b")
# a receipt asked for: "mnapeana risiti?" was "we don't sell that" (customer test s29)
RECEIPT_ASKED = re.compile(r"\b(?:risiti|receipts?|etr|invoice|invoices|ankara)\b")
SHOP_POLICY = re.compile(RETURNS.pattern + r"|\b(?:mnabadilisha|mnabadili|mnaexchange)\b.*\b(?:kama|ikiwa|if)\b|"
                         + CREDIT.pattern + "|" + GENUINE.pattern + "|" + RECEIPT_ASKED.pattern)


_COLOUR_NOUNS = frozenset({"rangi", "colour", "color", "colours", "colors"})
_LOCAL_UNITS = frozenset({"lita", "gramu", "kilogramu", "pakiti", "mililita", "saizi"})


# words that carry the turn of a chat, never a thing: beside a size or colour they leave a follow-up
_DISCOURSE = frozenset("basi sawa poa then sasa tu ok okay pls please".split())


def attribute_word(word: str) -> bool:
    """A size, capacity, colour or group word: it changes the variant, not the product."""
    return word in COLOUR_WORDS or word in MODIFIERS or bool(_MEASURE.fullmatch(word)) or word in _GROUP


@dataclass(frozen=True)
class Search:
    """What retrieval reads of a message: its search terms and what they say about the thing wanted."""

    query: ExpandedQuery
    words: tuple[str, ...]  # the searched text's words, normalised, in order
    english_words: tuple[str, ...]  # the words of the bridged English text (what the encoder reads), in order
    variants: frozenset[str]  # "64gb", "4x6", "4inch", "3seater"
    wants_service: bool  # work on the customer's own thing: "Mnashona viatu?", "mnarepair screen?"
    wants_goods: bool  # a thing to buy: "Mnauza clipper?", "do you sell"
    books: bool  # an appointment (a time, a day, "book", "nafasi") or a part replaced ("kubadilisha")
    names: frozenset[str]  # words capitalised inside a sentence ("Huawei", "Star"), normalised
    sentences: tuple[tuple[tuple[str, str], ...], ...]  # per sentence: (as written, normalised) words
    shouted: bool  # all in capitals: capitals say nothing about names
    for_children: bool  # a child named ("watoto", "kids") or a child's age ("for a 6 year old")
    actions: tuple[str, ...] = ()  # verbs the shop is asked to do, other than selling ("mnapaka", "mnakodisha")

    @property
    def work(self) -> bool:
        """A repair or an appointment: services rank first."""
        return self.wants_service or self.books


def search_of(query: ExpandedQuery) -> Search:
    """Read the searched text of a query once (the engine's follow-up "na ya 3L?" searches the product named
    before with the new words; the order flow searches each item of a list)."""
    text = query.original
    toks = words(text)
    norm = normalise(text)
    return Search(
        query=query, words=tuple(toks), english_words=tuple(words(query.english)), variants=variant_tokens_of(norm.split()),
        wants_service=any(_SERVICE_VERB.fullmatch(w) and not (i and toks[i - 1] in _CONNECTIVES)
                          for i, w in enumerate(toks)),  # "mashine ya kushona": what the thing is for
        wants_goods=any(w in _BUY_WORDS for w in toks),
        books=bool(_BOOKING.search(norm)) or any(REPLACE_VERB.fullmatch(w) for w in toks),
        names=frozenset(normalise(w) for w in _CAPITALISED.findall(text)),
        sentences=tuple(tuple((w, normalise(w)) for w in _RAW_WORD.findall(s)) for s in re.split(r"[.?!\n]+", text)),
        shouted=text.upper() == text, for_children=_for_children(toks, norm),
        actions=tuple(w for w in toks if (m := _SHOP_VERB.match(w)) and not _COMMERCE_STEM.match(m.group(1))
                      and w not in _BUY_WORDS and not _SERVICE_VERB.fullmatch(w)))


def _for_children(toks: list[str], norm: str) -> bool:
    if any(w.removesuffix("'s") in CHILD_WORDS for w in toks):
        return True
    for m in _CHILD_AGE.finditer(norm):
        age = m.group(1) or m.group(2)
        n = int(age) if age.isdigit() else VARIANT_NUMBER_WORDS.get(age)
        if n is not None and n <= 12:
            return True
    return False


def search_text(text: str) -> Search:
    return search_of(expand_query(text))


@dataclass(frozen=True)
class Understanding:
    text: str
    norm: str
    language: str
    intent: Intent
    quantities: tuple[Quantity, ...]
    budget: tuple[Decimal | None, Decimal | None] | None  # "chini ya 2k" -> (None, 2000)
    search: Search  # what to look for: the price-range phrase and refused spans left out
    position: int | None  # "ile ya pili" -> 1, "the last one" -> -1
    attributes: tuple[str, ...]  # the search terms that only pick a variant (colour, size, group)
    asks_sizes: bool  # "size", "saizi", "ukubwa": the reply lists the sizes
    extreme: str | None = None  # "which is the cheapest?" -> "low", "ghali zaidi" -> "high"
    size: Decimal | None = None  # a numbered size: "size 42", "saizi 38" -> 42
    measure: tuple[str, Decimal] | None = None  # a weight or volume: "lita tano" -> ("l", 5), "13kg" -> ("kg", 13)
    asks_returns: bool = False  # returns, refunds, exchanges, warranty: the shop's rules (RETURNS)
    asks_rules: bool = False  # that, "mnabadilisha ... kama ...?", credit, genuineness (SHOP_POLICY)
    asks_credit: bool = False  # instalments, credit, paying later, a deposit (CREDIT)
    asks_trade_in: bool = False  # "do you buy old phones?", "trade in my A10 for the A15" (TRADE_IN): the owner's call
    asks_genuine: bool = False  # "ni original?", "are these genuine?" (GENUINE)
    asks_wholesale: bool = False  # "mnauza kwa bei ya jumla?", "bulk price?" (WHOLESALE), work asked for (JOB_ASKED):
    # the owner's lead
    asks_price: bool = False  # "bei gani?", "how much" (PRICE_ASKED)

    @property
    def query(self) -> ExpandedQuery:
        return self.search.query

    @property
    def counted(self) -> bool:
        return bool(self.quantities)

    @property
    def only_attributes(self) -> bool:
        """The message names only a variant ("na ya 3L?", "how about black?", "iko rangi nyeusi?"): a follow-up
        about the last product."""
        terms = self.query.terms
        if any(a in COLOUR_WORDS for a in self.attributes):  # "rangi" beside a colour is the colour, not paint
            terms = [t for t in terms if t not in _COLOUR_NOUNS and not (t == "paint" and "rangi" in terms
                                                                        and "paint" not in self.search.words)]
        if self.attributes:  # "na ya lita tano?": the Swahili unit beside its English gloss is no thing named
            terms = [t for t in terms if t not in _LOCAL_UNITS]
            terms = [t for t in terms if t not in _DISCOURSE]  # "sawa size 44 basi", "size 40 then"
        return bool(terms) and len(self.attributes) == len(terms)


# What the customer says they do NOT want is no part of what to search for: "Sitaki ya rangi, black and white ni
# ngapi?", "No I don't want the combo, just a normal haircut", "Hapana sitaki saa tatu, niwekee saa tano". The
# span runs from the refusal to the next comma/full stop or to the verb that says what they do want.
_NEGATED = re.compile(
    r"(?:\b(?:hapana|no)\b[\s,]*)?\b(?:sitaki|sihitaji|sipendi|i\s+don'?t\s+want|i\s+do\s+not\s+want|not\s+the)\b"
    r".*?(?=[,.;!?]|\b(?:nataka|niwekee|nipe|nipatie|naomba|but|ila|just|instead|i\s+want|give\s+me|rather)\b|$)",
    re.IGNORECASE)


def without_negated(text: str) -> str:
    return _NEGATED.sub(" ", text)


# "which is the cheapest?", "ipi ni rahisi zaidi?", "ya bei ya chini kabisa", "the most expensive one": the
# customer asks for the end of a price order, which is no word to search for. ("your lowest price?" and "bei ya
# chini kabisa" are haggling, not this.)
_CHEAPEST = re.compile(r"\b(?:the )?(?:cheapest|least expensive|most affordable|(?:ya|za|cha|vya) bei rahisi|"
                       r"(?:ya |za |la |cha |vya )?(?:bei )?(?:rahisi|nafuu) (?:zaidi|kabisa|kuliko zote))\b",
                       re.IGNORECASE)
_DEAREST = re.compile(r"\b(?:the )?(?:most expensive|priciest|dearest|"
                      r"(?:ya |za |la |cha |vya )?(?:bei )?(?:ghali) (?:zaidi|kabisa|kuliko zote))\b",
                      re.IGNORECASE)


def price_extreme(text: str) -> str | None:
    return "low" if _CHEAPEST.search(text) else "high" if _DEAREST.search(text) else None


def without_extreme(text: str) -> str:
    return _DEAREST.sub(" ", _CHEAPEST.sub(" ", text))


def _vector_of(query: ExpandedQuery) -> Callable[[], np.ndarray | None]:
    """The query encoder's vector of the expanded query, for the intent classifier to ask for only if it needs
    it; through `encode_queries`' cache, so retrieval's encode of the same text is a cache hit, not a second
    encode. None for a query with nothing to search for ("habari", "ok"): retrieval does not encode those."""

    def vector() -> np.ndarray | None:
        if not query.has_content or not query.english.strip():
            return None
        from mtaabot.embeddings import encode_queries

        return encode_queries([query.english])[0]

    return vector


# who the thing is for, a grown-up ("simu ya mama", "for my mum", "kwa dada yangu") and what it is for ("a gift",
# "budget"): no word of the thing. Retrieval searches again without them when they left nothing found ("simu ya
# mama" was "not sold", read like "simu ya samsung"); a child stays (a size group: "viatu vya mtoto"), and so does
# the shop's own mama ("namba ya mama mwenye duka", "Mama Wanjiru")
_WHOM = re.compile(r"\b(?:ni |iwe )?(?:ya|za|wa|la|kwa|for)\s+(?:my\s+|our\s+)?"
                   r"(?:" + party.GROWN_UP[3:-1] + r"|mwanafunzi|student|a student|wanafunzi)"
                   r"(?:\s+(?:yangu|wangu|zangu|yetu|wetu))?\b(?!\s+(?:wa duka|mwenye|wa shop|(?-i:[A-Z])))"
                   r"|\b(?:(?:as |for )?an? (?:gift|present)|(?:kama |ya )?zawadi|budget|bajeti)\b", re.IGNORECASE)


def without_whom(text: str) -> str:
    """The message without who the thing is for and what it is for (`_WHOM`); the message itself when that is all
    it says."""
    kept = re.sub(r"\s+", " ", _WHOM.sub(" ", text)).strip()
    return kept if kept and expand_query(kept).has_content else text


def _query(text: str) -> tuple[tuple[Decimal | None, Decimal | None] | None, ExpandedQuery]:
    """The price range asked for and the expanded query to search for (without the range or what is refused)."""
    budget = price_range(text)
    query = expand_query(without_price_range(text) if budget else text)
    wanted = without_negated(text)
    if wanted != text:  # a bare refusal ("sitaki hiyo") keeps its words: it names nothing else to look for
        kept = expand_query(without_price_range(wanted) if budget else wanted)
        if kept.has_content:
            query = kept
    if budget:  # "nina 2k naeza pata nini?", "budget ya 1k, naeza fanyiwa nini?": what the money gets, nothing named
        query = replace(query, terms=[t for t in query.terms if t not in _GETTING and t not in _SHOWING],
                        items=[i for i in query.items if i[0] not in _GETTING and i[0] not in _SHOWING])
    return budget, query


class _VectorNeeded(Exception):
    """Raised by `understand_many`'s first look when the classifier asks for a vector not encoded yet."""


def _not_yet(query: ExpandedQuery) -> Callable[[], np.ndarray | None]:
    def vector() -> np.ndarray | None:
        if not query.has_content or not query.english.strip():
            return None
        raise _VectorNeeded

    return vector


def understand_many(messages: list[tuple[str, str]]) -> list[Understanding]:
    """`understand(text, language)` for each (text, language), with ONE batched query-encoder call (the worker's
    micro-batch): each message is read once (everything but the intent), the intents that need no vector are
    classified first; then the queries of the messages whose intent does need one (and, when batching pays:
    `embeddings.batching_pays`, of every other message retrieval may search for: content, not handed over) are
    encoded together, and only those intents are
    classified again, reading each vector from the encoder's cache (the n-gram heads' probabilities of the first
    look are kept by `understanding_model.batch_memo`). An escalation the patterns or the n-gram head decide is
    not encoded at all."""
    from mtaabot.embeddings import batching_pays, encode_queries

    queries = [_query(text) for text, _ in messages]
    read = [_read(text, language, parsed) for (text, language), parsed in zip(messages, queries, strict=True)]
    first: list[Intent | None] = []
    for (text, _), (_, query) in zip(messages, queries, strict=True):
        try:
            first.append(classify(text, embed=_not_yet(query)))
        except _VectorNeeded:
            first.append(None)
    # the vectors the classifier needs now; and, when batching pays, those retrieval will probably ask for
    # (otherwise retrieval encodes its query when it does search: about half of the messages never do)
    ahead = batching_pays()
    encode_queries([q.english for (_, q), i in zip(queries, first, strict=True)
                    if q.has_content and q.english.strip() and (i is None or (ahead and not i.escalate))])
    return [Understanding(intent=i if i is not None else classify(text, embed=_vector_of(q)), **fields)
            for (text, _), (_, q), i, fields in zip(messages, queries, first, read, strict=True)]


def understand(text: str, language: str, *,
               parsed: tuple[tuple[Decimal | None, Decimal | None] | None, ExpandedQuery] | None = None,
               embed: Callable[[], np.ndarray | None] | None = None) -> Understanding:
    """The one parse of a customer's message (`parsed`: its `_query`, when `understand_many` made it already;
    `embed`: how the classifier gets the query's vector, by default from the encoder through its cache)."""
    parsed = parsed if parsed is not None else _query(text)
    return Understanding(intent=classify(text, embed=embed or _vector_of(parsed[1])),
                         **_read(text, language, parsed))


def _read(text: str, language: str,
          parsed: tuple[tuple[Decimal | None, Decimal | None] | None, ExpandedQuery]) -> dict[str, Any]:
    """Every field of the message's `Understanding` but its intent (no model, no encoder)."""
    norm = normalise(text)
    budget, query = parsed
    lowered = text.lower()
    extreme = price_extreme(text)
    return {"text": text, "norm": norm, "language": language,
            # "saa tatu" / "at 10" are a time, not 3 or 10 of something
            # and "ile ya tatu" is the third one listed, not three of it
            "quantities": tuple(find_quantities(ORDINAL_RX.sub(" ", without_when(norm)).split())), "budget": budget,
            "search": search_of(query),
            "position": ordinal(text), "attributes": tuple(t for t in query.terms if attribute_word(t)),
            "asks_sizes": any(w in lowered for w in ("size", "saizi", "ukubwa")), "extreme": extreme,
            "size": Decimal(m.group(1)) if (m := _SIZE_NUMBER.search(text)) else None,
            # in the units `product_size` reads from product names
            "measure": next(((q.unit, q.amount) for q in find_quantities(words(text)) if q.unit in ("kg", "l")), None),
            "asks_returns": bool(RETURNS.search(norm)), "asks_rules": bool(SHOP_POLICY.search(norm)),
            "asks_credit": bool(CREDIT.search(norm)), "asks_trade_in": bool(TRADE_IN.search(norm)), "asks_genuine": bool(GENUINE.search(norm)),
            "asks_wholesale": bool(WHOLESALE.search(norm) or JOB_ASKED.search(norm)), "asks_price": bool(PRICE_ASKED.search(norm))}
