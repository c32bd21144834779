"""An order message read into lines: its pieces (one per item), the product each piece names, how many,
in which size, and what stops it (sold out, a size the shop lacks, an absurd count); several things shown
before taken at once ("book both").
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

import psycopg

from mtaabot.intents import PAY_WORD
from mtaabot.orders import bookings, fitted, party, store, variants
from mtaabot.orders.context import Context, Line, hit_of, product_rows
from mtaabot.orders.patterns import (
    ADD_VERB,
    BOOKING_ONLY,
    BOOKING_WORD,
    BRING_VERBS,
    COLLECTING,
    EDGE_WORDS,
    FILLER,
    FILLER_ONLY,
    MORE,
    ORDER_VERB,
    ORDER_WORDS,
    REFERENCE,
    SET_MARK,
    SPLIT_WORDS,
    VISIT,
    VISIT_WORDS,
)
from mtaabot.orders.quantities import (
    NUMBER_WORDS,
    UNITS,
    Quantity,
    find_quantities,
    items_for,
    money_worth,
    packs_of_pieces,
    pieces_per_pack,
    without_count_words,
    without_money,
)
from mtaabot.orders.sizes import (
    a_size,
    address_number,
    bare_size,
    comes_in,
    in_name,
    model_number,
    names_number,
    price_or_pack,
    variant_of,
)
from mtaabot.orders.summary import qty_text
from mtaabot.orders.texts import say
from mtaabot.orders.when import without_when
from mtaabot.reply_builder import fits_size, format_price, sizes_on_sale
from mtaabot.retrieval import Hit, known_word, retrieve
from mtaabot.retrieval_model import HARD_VERDICTS
from mtaabot.understanding import (
    COLOUR_WORDS,
    PRICE_ASKED,
    SIZE_WORDS,
    WHOLESALE,
    attribute_word,
    search_text,
)
from mtaabot.vocabulary import STOPWORDS, WORDS, expand_query, normalise, ordinal, words

MAX_LINE_QUANTITY = Decimal(100)
# cosine similarity of two products' vectors above which one stands in for the other sold out (demo: oil 3L ~ oil
# 1L .76, boots ~ leather shoes .61; eggs ~ flour .25, earbuds ~ power bank .47)
ALTERNATIVE_SIMILARITY = 0.55


def segments(text: str) -> list[str]:
    """Split an order message into one piece per item: on commas and on na/and/pia between items
    (but not inside a number: "kumi na mbili")."""
    pieces: list[str] = []
    # Sheng's small-of prefix: "ka-pakiti mbili", "ka-sugar kamoja" (the sugar was dropped; customer test s30)
    text = re.sub(r"\bkamoja\b", "moja", re.sub(r"\b(?:ka|ki|vi|mi)-(?=[a-z])", "", text, flags=re.I), flags=re.I)
    # "14.5k": one amount of money (normalising splits it into a count of 14 and "5k")
    text = re.sub(r"\b(\d{1,3})[.,](\d)\s?k\b", lambda m: f"ksh{int(m.group(1)) * 1000 + int(m.group(2)) * 100}", text,
                  flags=re.I)
    # "at 2,999", "KES 1,500": one amount of money (it was 2 and 999 pairs)
    text = re.sub(r"(?:\b(?:ksh|kes|sh)\.?\s*)?\b(\d{1,3}(?:,\d{3})+)(?:/=|/-)?(?![\d,])",
                  lambda m: "ksh" + m.group(1).replace(",", ""), text, flags=re.I)
    # "nataka cover 3: samsung a15, tecno spark 20 na iphone 13": what comes after the colon is what each is for (the
    # three phones were ordered); a time's colon ("saa 10:30") is no list
    head, colon, listed = re.split(r"((?<!\d):|:(?!\d))", text, maxsplit=1) if re.search(r"(?<!\d):|:(?!\d)", text) \
        else (text, "", "")
    first_listed = re.split(r"[,;]|\bna\b", listed, maxsplit=1)[0] if colon else ""
    if colon and listed.strip() and (party.size(normalise(head)) or set(words(head)) <= STOPWORDS
                                     or party.people_of(normalise(first_listed)) == 1):
        # ("Tuko wawili jumamosi saa nane: mimi cornrows, rafiki yangu wash and blow dry" was two cornrows; s30b)
        # "Tuko watatu: mimi box braids, mum pedicure ...": who has what, no list of what each thing is for
        text = f"{head}, {listed}"
    elif colon and re.match(r"\s*(?:size|saizi|sizes)?\s*\d{1,2}\b", listed, re.IGNORECASE):
        # "school shoes pea tatu za watoto: size 30, 32 na 34": the sizes of the pairs (all three came without one;
        # customer test s30)
        text = f"{head} {listed}"
    elif colon and listed.strip():
        return segments(head) + [f"for {piece}" for piece in segments(listed)]
    for chunk in re.split(r"[,;\n+&]|\s-\s|\.(?=\s)", text):  # "nt bad. gv me 2": two sentences
        toks = words(chunk)
        current: list[str] = []
        for i, tok in enumerate(toks):
            inside_number = (tok in ("na", "and") and 0 < i < len(toks) - 1 and toks[i - 1] in NUMBER_WORDS
                             and toks[i + 1] in NUMBER_WORDS and toks[i + 1] not in ("a", "an")
                             # "maziwa kumi na mbili na nusu kilo ya sukari": half a kilo of the next thing
                             and not (toks[i + 1] in ("nusu", "robo") and i + 2 < len(toks) and toks[i + 2] in UNITS))
            # "karibu na Naivas", "next to Naivas": a landmark of the place, no second item
            near = tok in ("na", "to") and i > 0 and toks[i - 1] in _NEAR
            if tok == "na" and current and current[-1] in _I_HAVE and (
                    len(current) > 1 or (i + 1 < len(toks) and toks[i + 1] in PHONE_BRANDS | PHONE_SERIES)):
                # "...saa nane mchana? niko na nywele ndefu", "nataka cover, niko na tecno spark 20": what the
                # customer has is a piece of its own (cart drops it), never a second service or a phone ordered (Box
                # Braids was added, KES 6,000 for 3,500; the Tecno sold with its cover; customer test s27). Opening a
                # sentence, "niko na dress inahitaji kubanwa" stays the thing to work on
                if len(current) > 1:
                    pieces.append(" ".join(current[:-1]))
                current = [current[-1], tok]
                continue
            if tok in SPLIT_WORDS and not inside_number and not near:
                if tok in ("pia", "also") and current \
                        and all(ORDER_VERB.fullmatch(w) or ADD_VERB.fullmatch(w) for w in current):
                    # "weka pia elianto moja": the verb is the next thing's, no piece of its own (alone it was one
                    # more of what was shown: two gas cylinders; customer test s30). "nipe na back cover yake" after
                    # a phone's price is the phone and its cover
                    continue
                if current:
                    pieces.append(" ".join(current))
                current = []
                continue
            current.append(tok)
        if current:
            pieces.append(" ".join(current))
    return [part for piece in pieces for part in _listed(piece.split())]


_I_HAVE = frozenset({"niko", "nko"})
_NEAR = frozenset({"karibu", "next", "close", "opposite", "mkabala", "jirani", "nyuma", "mbele", "kando", "kati"})
# "14k", "500bob", "ksh200": money said, never the name of a thing ("sawa 14k nipe moja" was "we don't have 14k")
_MONEY_TOKEN = re.compile(r"\d+(?:\.\d+)?k|\d+bob|(?:ksh|kes)\d+")
_COUNT_WORD = re.compile(r"^\d$")


def _is_count(tok: str) -> bool:
    return bool(_COUNT_WORD.match(tok)) or (tok in NUMBER_WORDS and tok not in _NOT_A_COUNT)


_NOT_A_COUNT = frozenset({"a", "an", "na", "and", "dozen"})


def _count_first(toks: list[str]) -> list[str] | None:
    """"moja ya samsung moja ya iphone", "one for A15 one for iphone": each count starts a piece of its own (one
    piece made one line of three: a charger and two for the Samsung); None when the piece is no such list. Colours
    and sizes are split apart elsewhere ("moja nyeusi moja blue", "mbili size 42 moja 43")."""
    if len(toks) < 4 or not _is_count(toks[0]) or any(t in COLOUR_WORDS or t in SIZE_WORDS for t in toks):
        return None
    starts = [0] + [i for i in range(1, len(toks) - 1)
                    if _is_count(toks[i]) and not _is_count(toks[i - 1]) and toks[i - 1] not in NUMBER_WORDS
                    and toks[i + 1] not in NUMBER_WORDS and toks[i + 1] not in UNITS and not toks[i + 1].isdigit()]
    if len(starts) < 2 or toks[1] in NUMBER_WORDS or toks[1] in UNITS or toks[1].isdigit():
        return None
    groups = [toks[a:b] for a, b in zip(starts, [*starts[1:], len(toks)], strict=True)]
    # "moja ya mathe moja ya dad": who each is for, one piece (no thing named in it)
    if any(all(t in party.KIN_WORDS or t in STOPWORDS or t in FILLER for t in g[1:]) for g in groups):
        return None
    return [" ".join(g) for g in groups]


def _listed(toks: list[str]) -> list[str]:
    """A list written without commas, each thing then its count ("unga ngano 1 sukari 1 mafuta 1 maziwa 2"), or each
    count then its thing (see _count_first): one piece per thing; otherwise the piece as it is. A size's number
    ("size 42") and a model's ("spark 20 2") are no end of an item."""
    if (first := _count_first(toks)) is not None:
        return first
    groups: list[list[str]] = []
    current: list[str] = []
    for i, tok in enumerate(toks):
        current.append(tok)
        ends = (_COUNT_WORD.match(tok) or tok in NUMBER_WORDS) and len(current) > 1 \
            and not (_COUNT_WORD.match(current[-2]) or current[-2] in NUMBER_WORDS) \
            and current[-2] not in SIZE_WORDS and (i + 1 == len(toks) or toks[i + 1] not in UNITS)
        if ends:
            groups.append(current)
            current = []
    if current or len(groups) < 3:
        return [" ".join(toks)]
    return [" ".join(g) for g in groups]


def _alternative(conn: psycopg.Connection, business_id: Any, product: dict[str, Any]) -> Hit | None:
    """The available product nearest in meaning to one that is sold out (its own embedding as the query), of
    the same category or close in meaning (ALTERNATIVE_SIMILARITY); None when nothing is: maize flour is no
    answer to a tray of eggs sold out."""
    row = conn.execute(
        """SELECT p.* FROM product_embeddings e JOIN products p ON p.id = e.product_id
           JOIN product_embeddings me ON me.product_id = %(pid)s AND me.model = e.model
           JOIN products src ON src.id = me.product_id
           WHERE e.business_id = %(b)s AND p.id <> %(pid)s AND p.is_available AND coalesce(p.stock, 1) > 0
             AND (1 - (e.embedding <=> me.embedding) >= %(close)s
                  OR p.metadata->>'category' = src.metadata->>'category')
           ORDER BY e.embedding <=> me.embedding LIMIT 1""",
        {"pid": product["id"], "b": str(business_id), "close": ALTERNATIVE_SIMILARITY}).fetchone()
    return hit_of(row) if row else None


# people a thing is for, and words of taking out: never a thing asked for ("Hatuna “dad” hapa")
_NO_THING = party.KIN_WORDS | frozenset("""dad daddy baba father mzee babu watoto kid kids child children boy girl she
he her him is was yeye wao toa ondoa remove hivi hizi vitu these following items orodha his their
minutes mins dakika budget noon midday christmas xmas boxing holiday holidays""".split())
_MONEY = re.compile(r"^(?:ksh|kes|sh)?\d[\d,.]*(?:k|bob|/=)?$")
_ORDINAL_DAY = re.compile(r"^\d{1,2}(?:st|nd|rd|th)$")  # "19th", "25th": a date, never a thing


# "for my A15", "ya simu yangu", "kwa samsung yangu": the customer's own phone, what a thing is for
_FOR_MINE = re.compile(r"\b(?:for|ya|za|kwa)\s+(?:my|mine|yangu|simu yangu)\b|\b(?:for|ya|za|kwa)\s+\w+(?:\s+\w+)?\s+yangu\b")
_FITTING = frozenset("fit fitted fitting nifitie mnifitie fitia weka niwekee one moja it hiyo".split())


def _names_a_thing(label: str, verdict: str, written: str) -> bool:
    """Some word of what was asked for is a word for a thing (the bridge's, or English) or written with a capital
    past the message's start (a brand: "nipe sukari na Huawei"), or retrieval turned it down on a hard fact (a
    brand or model the shop does not carry)."""
    capitalised = {w.lower() for w in re.findall(r"(?<=[\s,])[A-Z][a-z]+", written)}

    def english(w: str) -> bool:  # "haircut": a word, or two joined ("hair" + "cut")
        return known_word(w) or any(known_word(w[:i]) and known_word(w[i:]) for i in range(3, len(w) - 2))

    return verdict in HARD_VERDICTS or any(w in WORDS or english(w) or w in capitalised
                                           for w in label.split() if len(w) > 2)


def asked_for(piece: str) -> str:
    """What a segment asks for, to say back in "we don't have …": its words without the day and time, the order
    and booking verbs and the filler around them ("book me for braids tomorrow 10am" -> "braids")."""
    toks = without_when(piece).split()
    cut = next((i for i, t in enumerate(toks) if (t in BRING_VERBS or t in ("to", "hadi", "mpaka")) and any(
        w not in ORDER_WORDS and w not in FILLER and w not in NUMBER_WORDS and w not in UNITS for w in toks[:i])),
        len(toks))
    toks = [t for t in toks[:cut]  # "nipe jordan moja nitumie Rongai": the place it goes is not what was asked for
            if t not in ORDER_WORDS and t not in FILLER and t not in NUMBER_WORDS and t not in UNITS and not t.isdigit()
            and t not in SIZE_WORDS and not attribute_word(t)  # "nipe moja size 40" names no thing
            and not _MONEY.match(t)  # "budget 150k" was "we don't have “budget 150k”"
            and t not in VISIT_WORDS]
    if toks and all(t in STOPWORDS or t in _NO_THING or _ORDINAL_DAY.match(t) for t in toks):
        return ""  # "moja ya mathe moja ya dad", "for my daughter, she is 7", "aki toa moja": who or what for, no thing
    named = [t for t in toks if not BOOKING_WORD.match(t)]
    toks = named or toks  # "nataka book" at a shop without books: the book is the thing
    while toks and toks[0] in EDGE_WORDS:
        toks = toks[1:]
    while toks and toks[-1] in EDGE_WORDS:
        toks = toks[:-1]
    return " ".join(toks)[:40].strip()


def _equally_meant(hits: list[Hit]) -> list[Hit]:
    """The services a booking's words fit equally ("braids" at a salon with box and knotless braids, "get my hair
    done"): the same words of the message found in each, none named more; fewer than two -> []."""
    top = hits[0]
    same = [h for h in hits if h.is_service and h.is_available and h.matched == top.matched and h.named == top.named]
    return same if top.is_service and len(same) > 1 else []


# "nimetuma 360 ya sukari mbili": the money sent, never 360 packets (and a label's number: _LABELS)
_SENT = frozenset("""nimetuma nimekutumia nimelipa nimewatumia natuma nitatuma ntatuma nitakutumia nitalipa ntalipa
nitakupa nimepay sent paid pay""".split())


_CAPACITIES = frozenset({"16", "32", "64", "128", "256", "512"})


def _a_capacity(toks: list[str], q: Quantity, product: dict[str, Any]) -> bool:
    """"nataka 128 ama 64" of a phone sold by its storage ("128GB"): the storage asked, never 64 phones (KES
    1,184,000 was drafted)."""
    said = toks[q.words[0]]
    return q.unit is None and said in _CAPACITIES and re.search(
        r"\d+\s?gb", f"{product['name']} {product.get('description') or ''}", re.IGNORECASE) is not None


# "stall 14", "plot 12", "house 5": a number that labels something, never a count (14 pairs); "order two Tecno"
# is a count ("order #44" is not told apart from it once the "#" is gone)
_LABELS = frozenset("stall plot house nyumba gate stage room flat block apartment hse".split())


def _a_matatu(toks: list[str], q: Quantity) -> bool:
    """"matatu" said of the minibus, not of three: "Simu yangu iliibiwa jana matatu ... nataka Tecno Spark 20" was three
    phones (KES 42,100; customer test s29b): after a place word, a day or a verb that happened."""
    k = q.words[0]
    # (a verb of the past: "iliibiwa", "nilisahau"; "maziwa matatu" is three milks)
    return toks[k] == "matatu" and k > 0 and (toks[k - 1] in _BEFORE_A_MATATU
                                              or toks[k - 1].startswith(("ili", "nili", "tuli", "ali", "wali")))


_BEFORE_A_MATATU = frozenset("kwa kwenye ndani in on a the by jana leo juzi asubuhi jioni usiku stage".split())


def _money_or_label(toks: list[str], q: Quantity) -> bool:
    """The number follows a word of sending money ("nimetuma 360") or of a label ("stall 14")."""
    return q.words[0] > 0 and (toks[q.words[0] - 1] in _SENT or toks[q.words[0] - 1] in _LABELS)


# series of phones people name with a number, sold here or not ("cover ya Redmi Note 13" was 13 covers, "my iPhone
# 11 screen" 11 repairs); after a brand alone only a big number is a model ("itel 2160"; "nipe tecno 3" is three)
PHONE_SERIES = frozenset("iphone galaxy redmi note spark camon pova pop hot smart zero reno nova pixel".split())
PHONE_BRANDS = frozenset("samsung tecno infinix oppo itel vivo realme huawei xiaomi nokia moto".split())


def _another_model(ctx: Context, toks: list[str], q: Quantity) -> bool:
    """A number after a word that names a line of models in this shop ("iphone" of the iPhone 13) or a phone series
    (`PHONE_SERIES`): another model of that line ("iPhone 12 screen" was twelve screen repairs), never a count;
    "iphone 2" stays two."""
    k = q.words[0]
    if k == 0 or not toks[k].isdigit() or int(toks[k]) < 3 or q.unit is not None:
        return False
    return toks[k - 1] in ctx.model_lines() or toks[k - 1] in PHONE_SERIES \
        or (toks[k - 1] in PHONE_BRANDS and int(toks[k]) >= 8)


# "ile ya 390", "simu ya 14k", "the one for 2,800": a thing named by its price
_AT_PRICE = re.compile(r"\b(?:ile|zile|hiyo|hizo|one|ya|za|of|at|for)\s+(?:ksh\.?\s?|kes\s?)?"
                       r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d)?k|\d{2,6})(?!\s*(?:kg|g|l|ml|gb|w|inch|pcs|pieces|pairs?))\b")


def _the_one_at(ctx: Context, piece: str, naming: list[str]) -> dict[str, Any] | None:
    """The one available product whose price the piece says after "ile/ya/of" (50 or more), of the kind named if a
    kind is named; None otherwise."""
    m = _AT_PRICE.search(piece)
    if m is None:
        return None
    raw = m.group(1).replace(",", "")
    amount = Decimal(raw[:-1]) * 1000 if raw.endswith("k") else Decimal(raw)
    if amount < 50:
        return None
    rows = ctx.conn.execute("""SELECT * FROM products WHERE business_id = %s AND price = %s AND is_available""",
                            (ctx.business["id"], amount)).fetchall()
    if len(rows) != 1:
        return None
    kinds = [t for t in naming if not _MONEY_TOKEN.fullmatch(t) and not t.isdigit()]
    text = f"{rows[0]['name']} {rows[0].get('description') or ''} {rows[0].get('metadata') or ''}".lower()
    if kinds and not any(term in text for t in kinds for term in expand_query(t).terms):
        return None
    return rows[0]


_WHICH_AT_MOST = 6  # products listed for a kind asked for ("nataka simu"): more is a catalogue, not a question


def _without_bare_counts(ctx: Context, text: str) -> str:
    """The text without digits that only say how many ("nataka simu 2" searched "simu 2" as if a model, and drafted
    two of the one phone whose text says "simu"); a number after a word of a product's name stays ("iphone 11" at a
    shop with the iPhone 13 is not sold, never the 13), as do sizes, units, a model's number and a number some name
    has ("mafuta 2" may be the 2L)."""
    toks = text.split()
    name_words, name_numbers = ctx.name_words(), ctx.name_numbers()
    drop = {q.words[0] for q in find_quantities(toks)
            if q.unit is None and q.words[1] - q.words[0] == 1 and toks[q.words[0]].isdigit()
            and toks[q.words[0]] not in name_numbers
            and not (q.words[0] > 0 and (toks[q.words[0] - 1] in name_words or toks[q.words[0] - 1] in SIZE_WORDS))
            and not names_number(ctx, toks, q)}
    return " ".join(t for i, t in enumerate(toks) if i not in drop) if drop else text


def _kinds_meant(ctx: Context, items: list[tuple[str, ...]], naming: list[str], hits: list[Hit]) -> list[Hit]:
    """"nataka kununua viatu", "nipe simu moja": a kind of thing several products of the shop are, none named more
    (every word the first product is found by finds the others too). The one of them the bot just showed, if any
    ("nipe simu moja" after the A15), else all of them to choose from; [] when the words name one product."""
    said = [item for item in items if any(t in naming and t not in SIZE_WORDS and not attribute_word(t)
                                          and t not in variants.COLOURS for t in item)]
    top = hits[0]
    # one kind of thing, asked for in so many words; sold out: said so, with what stands in for it (a wider rule
    # answered held-out product questions with a list)
    if len(said) != 1 or top.is_service or not top.is_available:
        return []
    # each found by at least the meanings the first one is (a word's translations, or the word when it has none or
    # only it was found): "unga" -> maize flour, which the baking flour is not; "simu" -> phone, whichever phone
    # happens to have "simu" in its description
    covered = [(set(item[1:]) & top.matched) or (set(item) & top.matched) for item in said]
    covered = [c for c in covered if c]
    alike = [h for h in hits if h.is_available and not h.is_service and all(c <= h.matched for c in covered)]
    if len(alike) < 2:
        return []
    shown = {str(p) for p in ctx.last_products}
    return [h for h in alike if str(h.id) in shown][:1] or alike


def _products(ctx: Context) -> list[dict[str, Any]]:
    return ctx.conn.execute("SELECT name, metadata FROM products WHERE business_id = %s",
                            (ctx.business["id"],)).fetchall()


def _count_priced_before(ctx: Context, product: dict[str, Any]) -> Quantity | None:
    """The count the customer's message before this one asked the price of ("how much for 10 packets?", "na mbili
    je ni ngapi?"), or None. A number of a name or a size is no count ("iphone 13 ni ngapi?" then "nipe" was 13
    phones, KES 676,000)."""
    before = ctx.said_before()
    toks = without_when(before).split()
    said = [q for q in find_quantities(toks) if not names_number(ctx, toks, q) and not any(
        in_name(toks, k, product["name"]) for k in range(*q.words)) and not model_number(ctx, toks, q, product)
        and not _another_model(ctx, toks, q)  # "my iPhone 11 screen ... how much" then "I'll bring it": one repair
        and not (q.words[0] > 0 and toks[q.words[0] - 1] in SIZE_WORDS) and not a_size(toks, q, hit_of(product))
        and not price_or_pack(toks, q, product)] if PRICE_ASKED.search(before) else []
    if len(said) != 1 or said[0].unit not in (None, "piece", "pack", "pair") or not 1 < said[0].amount <= MAX_LINE_QUANTITY:
        return None
    return said[0]


_BOTH = frozenset("zote vyote yote both all".split())


def _one_letter_off(typed: str, word: str) -> bool:
    """`typed` is `word` with one letter left out, added or two letters swapped ("sugr", "suggar", "sguar")."""
    if typed[0] != word[0] or typed == word:
        return False
    if len(typed) == len(word):
        diff = [i for i in range(len(word)) if typed[i] != word[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and typed[diff[0]] == word[diff[1]] \
            and typed[diff[1]] == word[diff[0]]
    short, long_ = sorted((typed, word), key=len)
    return len(long_) - len(short) == 1 and any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _spelt_right(said: str, names: frozenset[str]) -> str | None:
    """`said` with a word that is no word (of English, of the bridge or of the shop's names) put right, when one letter
    off exactly one word of the shop's product names ("sugr" -> "sugar") or that word without its vowels ("mlk");
    None when nothing was put right. A real word
    one letter off ("rise", "soup") is left as said: a thing not sold is not made into one sold."""
    fixes: dict[str, str] = {}
    for w in set(words(said)):
        if not w.isalpha() or w in names or w in WORDS or w in STOPWORDS or known_word(w):
            continue
        if len(w) >= 4 and len(near := [n for n in names if n.isalpha() and _one_letter_off(w, n)]) == 1:
            fixes[w] = near[0]
        elif len(w) >= 3 and not re.search(r"[aeiou]", w) \
                and len(near := [n for n in names if n.isalpha() and re.sub(r"[aeiou]", "", n) == w]) == 1:
            fixes[w] = near[0]  # written as a text message is, without its vowels: "2 sgr n 1 mlk" (s29)
    if not fixes:
        return None
    return re.sub(r"\b(" + "|".join(map(re.escape, fixes)) + r")\b", lambda m: fixes[m.group(1).lower()], said,
                  flags=re.IGNORECASE)


def _talk_only(said: str) -> str | None:
    """`said` without its words of talk ("actually", "make", "please"), when it had some and names something else."""
    kept = [w for w in words(without_count_words(said)) if w not in FILLER and w not in ORDER_WORDS]
    return " ".join(kept) if kept and kept != words(without_count_words(said)) else None


def _own_by_its_words(own: list[dict[str, Any]], naming: list[str]) -> dict[str, Any] | None:
    """The one product of `own` (the cart's) whose name or description holds a word named; None otherwise."""
    said = {w for w in naming if len(w) >= 3}
    said |= {t for w in said for t in WORDS.get(w, "").split()}
    named = [p for p in own if said & set(words(f"{p['name']} {p.get('description') or ''}"))]
    return named[0] if len(named) == 1 else None


def resolve(ctx: Context, piece: str, fallback: list[dict[str, Any]], negative: bool = False,
            booking: bool = False) -> Line | None:
    """One segment of an order message -> the product it names and how many; for a booking whose words fit
    several services equally, those services to choose from."""
    if not booking and (spelt := _spelt_right(piece, ctx.name_words())) is not None:
        piece = spelt  # "nipe sugr 2 na rise 3": the sugar was dropped without a word (customer test s29)
    toks = without_when(piece).split()  # "saa tatu", "at 10": a time, not 3 or 10 of it
    content = [t for t in toks if t not in NUMBER_WORDS and t not in UNITS and not t.isdigit()]
    quantities = find_quantities(toks)
    # "nataka simu mbili" -> which? -> "A15": the two (and the size said) go with the one chosen
    chosen_from = ctx.said_before() if ctx.last_intent == "order_which" and not negative else ""
    if chosen_from and not quantities:
        toks = toks + without_when(chosen_from).split()
        quantities = find_quantities(toks)
    hits: list[Hit] = []
    product = None
    referential = bool(REFERENCE.search(piece)) or not content
    # "nitakuja kesho saa tatu", "ok I will take one size 42", "niwekee moja": what was shown (a bare "sawa," is
    # no item; "size 42" names no other product)
    shown = not referential and bool(fallback) and bool(VISIT.search(piece) or ORDER_VERB.search(piece)) \
        and not [t for t in asked_for(piece).split() if not ORDER_VERB.fullmatch(t) and t not in VISIT_WORDS]
    referential = referential or shown
    # read once: what names an item here, and what to search for ("niongezee" is no part of the thing's name)
    # a count is no word to search for in an order (a booking's words are searched as said: dropping them there
    # lost bookings in the held-out evaluation)
    said = without_money(MORE.sub(" ", piece))
    search = search_text(said if booking else without_count_words(said))
    timeless = set(expand_query(without_when(piece)).terms)  # "saa tatu" is no "three" of anything
    naming = [t for t in search.query.terms
              if not REFERENCE.fullmatch(t) and t not in ORDER_WORDS and t not in FILLER and t in timeless
              and t not in VISIT_WORDS and not BOOKING_ONLY.match(t) and t not in COLLECTING and not PAY_WORD.fullmatch(t)
              and t not in BRING_VERBS  # "na uniletee": bring it, no thing called "uniletee"
              and t not in _BOTH  # "ndio nataka zote mbili, 38 na 44": both of the one shown, no thing "zote" (s29)
              # "ok 1 pair", "ya pili size 40 nipe": a count, a unit or a size's number names no thing
              and t not in UNITS and t not in NUMBER_WORDS and not t.isdigit() and not _MONEY_TOKEN.fullmatch(t)]
    mine = _FOR_MINE.search(piece)
    if naming and fallback and not negative and mine and fitted.goes_with(fallback[0]) and not [
            t for t in asked_for(piece[:mine.start()]).split() if t not in _FITTING]:
        # "fit one for my Samsung A15 please" after the glass: a glass for the customer's own phone (an A15 was sold)
        naming, shown, referential = [], True, True
    if naming and fallback and not negative and all(attribute_word(t) or t in SIZE_WORDS or t in variants.COLOURS
                                                    for t in naming):
        # "nitachukua size 44", "change to size 42": another variant of the product shown or in the cart
        naming, shown, referential = [], True, True
    if not naming and fallback and not negative and (booking or quantities):
        points = bool(REFERENCE.search(piece)) or ordinal(piece) is not None
        if booking and bookings.still_which(ctx.last_intent, ctx.last_products, points=points):
            rows = product_rows(ctx.conn, ctx.business["id"], ctx.last_products)
            return Line(None, None, choices=[hit_of(r) for r in rows])  # "saa kumi na mbili?" to "which service?"
        # "sawa nibook jumamosi saa nne" after the pedicure's price: the pedicure; "ongeza moja": one more of it
        shown = referential = True
    if not naming and not referential and not quantities:
        return None  # "sawa", "basi", "boss": no item in this piece
    if not negative and not booking and (priced := _the_one_at(ctx, piece, naming)) is not None:
        # "ile simu ya 14k nipe moja", "ile ya 390 nipe mbili": the one at that price (the A15 was drafted for the 14k
        # phone, and "ile ya 390" was not sold)
        product, naming, referential = priced, [], True
    if product is None and not naming and not fallback and quantities and quantities[0].unit:
        # "tray moja na maziwa 2": the one thing sold by the tray, by its name (the eggs were lost)
        packed = [r for r in ctx.conn.execute("SELECT * FROM products WHERE business_id = %s AND is_available",
                                               (ctx.business["id"],)) if quantities[0].unit in words(r["name"])]
        product = packed[0] if len(packed) == 1 else None
        shown = product is not None
    if (not referential or naming) and not shown and product is None:
        found = retrieve(ctx.conn, ctx.business["id"], search=search, limit=3)
        if not found.hits and not booking and found.verdict not in HARD_VERDICTS and (talk := _talk_only(said)) is not None:
            # "actually make sugar 3": the talk around the thing read as a kind of sugar not sold (probes s29)
            search = search_text(talk)
            found = retrieve(ctx.conn, ctx.business["id"], search=search, limit=3)
        if found.hits and booking and not negative and (choices := _equally_meant(found.hits)):
            return Line(None, None, choices=choices)
        if found.hits and booking and not negative and not found.hits[0].is_service and len(
                services := [h for h in retrieve(ctx.conn, ctx.business["id"], search=search, limit=_WHICH_AT_MOST).hits
                             if h.is_service and h.is_available and h.matched]) >= 1:
            # "nataka kufanya nywele" (a booking) found a jar of Hair Food first: which of the hair services (the jar was
            # ordered; customer test s30)
            return Line(None, None, choices=services)
        hits = found.hits
        if hits and not booking and not negative and ORDER_VERB.search(piece):
            kinds = _kinds_meant(ctx, search.query.items, naming, hits)
            # "nataka simu 2" is searched as if "simu 2" were a model: the kind is listed without the count
            uncounted = _without_bare_counts(ctx, counted := without_count_words(said))
            plain = search_text(uncounted) if uncounted != counted else search
            if len(kinds) > 1 or (not kinds and plain is not search and len(hits) == 1):
                # which of them: all of them (the first three left the Tecno out of "simu")
                wider = retrieve(ctx.conn, ctx.business["id"], search=plain, limit=_WHICH_AT_MOST).hits
                if len(many := _kinds_meant(ctx, plain.query.items, naming, wider)) > 1 or len(kinds) > 1:
                    return Line(None, None, choices=many if len(many) > 1 else kinds)
            hits = kinds or hits
        if hits and fallback and SET_MARK.search(ctx.message) and hits[0].id not in {f["id"] for f in fallback} \
                and (own := _own_by_its_words(fallback, naming)) is not None:
            # "aah unga fanya tatu" with the Ajab flour ("unga wa ngano") in the cart: that one, not three of the
            # Jogoo maize flour the search finds first (owner test s31)
            product = own
        elif hits:
            product = product_rows(ctx.conn, ctx.business["id"], [hits[0].id])[0]
        elif found.not_sold and not referential:
            label = asked_for(piece)
            if label and not _names_a_thing(label, found.verdict, ctx.written):
                return None  # "tunataka", "ingine", "Wanjiku": chat, no thing to say "Hatuna" about
            return Line(None, None, problem=say("not_sold", ctx.lang, what=label)) if label else None
    shown = product is None  # the message names no product: the one the bot just talked about
    if product is None:
        if not fallback:
            return None
        product = fallback[0]
    quantities = [q for q in quantities
                  if not any(in_name(toks, k, product["name"]) for k in range(*q.words))
                  and not (q.words[0] > 0 and toks[q.words[0] - 1] in ("size", "sizes", "saizi", "namba", "no"))
                  and not model_number(ctx, toks, q, product) and not address_number(toks, q, product, ctx.message)
                  and not _money_or_label(toks, q) and not _another_model(ctx, toks, q) and not _a_capacity(toks, q, product)
                  and not _a_matatu(toks, q)]
    hit = next((h for h in hits if h.id == product["id"]), None) or hit_of(product)
    # "superstar 41", "school shoes 30", "heels nude 37": a number that is one of the shoe's sizes is its size, never 41
    # pairs (KES 131,200 was confirmed); "20 pairs", "jozi 3" stay counts
    sizes_said = [q for q in quantities if a_size(toks, q, hit)]
    # "sawa nipe kwa 230" of the flour at KES 230, "ok 250 mbili" of the Hair Food 250ml: its price or its pack, never
    # 230 / 250 of it
    priced = [q for q in quantities if q not in sizes_said and price_or_pack(toks, q, product)]
    quantities = [q for q in quantities if q not in sizes_said and not price_or_pack(toks, q, product)]
    if priced and not quantities and not sizes_said and shown and not naming and not ORDER_VERB.search(piece):
        return None  # "sawa 3200, nipe size 41": the price agreed is no second pair of it
    given = quantities[0] if quantities else None
    counts = [q for q in quantities if q.unit is None]
    if len(quantities) > 1 and len(counts) == 1 and any(
            q.unit is not None and items_for(q, product["name"]) == (Decimal(1), None) for q in quantities):
        given = counts[0]  # "maziwa nusu lita tano", "mafuta ya lita moja mbili": five of the half-litre, two of the 1L
    if negative:
        return Line(product, None, hit, say("qty_zero", ctx.lang, name=product["name"]), given)
    loose = bool((product.get("metadata") or {}).get("unit")) if isinstance(product.get("metadata"), dict) else False
    worth = money_worth(toks, given)
    if worth is not None:
        # "nipe sukari ya 200 bob", "unga wa mia nne": as many as that money buys, never 200 packets
        price = Decimal(str(product["price"]))
        if price <= 0 or worth % price:
            return Line(product, None, hit, say("money_worth", ctx.lang, name=product["name"],
                                                 price=format_price(price), amount=format_price(worth)), given)
        given = None
        count, pack_problem = worth / price, None
    elif not shown and (packs := packs_of_pieces(given, toks, per_pack := pieces_per_pack(
            product["name"], product.get("description")))) is not None:
        if packs < 0:  # "nipe mayai kumi" of a tray of 30: never ten trays
            return Line(product, None, hit, say("whole_pack", ctx.lang, name=product["name"],
                                                 price=format_price(product["price"]), n=per_pack), given)
        count, pack_problem = packs, None
    else:
        # "how much for 10 packets?" then "ok send them to Kawangware": the ten asked about
        count, pack_problem = items_for(given or (_count_priced_before(ctx, product) if shown else None), product["name"],
                                        loose=loose)
    if count is not None and 0 < count < 1 and not loose:
        return None  # "ni za 2G ama 4G?" of a phone: no weight of it (a 0.002 line crashed the order)
    if pack_problem is not None:  # "nusu kilo" of a 1kg packet, "nusu tray" of a tray of eggs
        said = say("pack_size", ctx.lang, name=product["name"], size=pack_problem) if pack_problem else \
            say("whole_only", ctx.lang, name=product["name"], price=format_price(product["price"]))
        return Line(product, None, hit, said, given)
    # "size 43 ziko?" then "sawa nitachukua": the size asked about just before is the one taken; a colour only when
    # the product comes in it or lists no colours ("samsung a15 iko black?" -> "nipe moja": a black one, the owner
    # confirms), never one the bot just said it does not come in
    variant = variant_of(piece, product["name"]) or (variant_of(chosen_from, product["name"]) if chosen_from else None)
    if fitted.goes_with(product):
        model = fitted.model_said(piece, _products(ctx))  # "cover ya tecno spark 20"
        if model is None and fitted.says_its(piece):  # "na cover yake" after the A15
            model = fitted.model_shown(product_rows(ctx.conn, ctx.business["id"], ctx.last_products[:1]))
        if model is not None:
            variant = variants.canonical(", ".join([*variants.parts(variant), f"for {model}"]))
    if sizes_said and not (variant or "").startswith("size "):
        variant = ", ".join([f"size {toks[q.words[0]]}" for q in sizes_said] + ([variant] if variant else []))
    if variant is None and shown:
        before = ctx.said_before()
        size = bare_size(before, product)  # "na 44 je?" then "nipe mbili": two of size 44
        earlier = (f"size {size}" if size else variant_of(before, product["name"]) or "").split(", ")
        variant = ", ".join(v for v in earlier if v.startswith("size ") or v.endswith("GB")
                            or v in COLOUR_WORDS and comes_in(product, v)) or None
    line = Line(product, count, hit, None, given, variant)
    outside = [v for v in (variant or "").split(", ")
               if v.startswith("size ") and fits_size(hit, Decimal(v[5:])) is False]
    colour = next((v for v in (variant or "").split(", ") if v in COLOUR_WORDS), None)
    if outside:  # "AF1 size 47" of a shoe made in 38-45: never an order for a size the shop does not have
        line.problem = say("size_outside", ctx.lang, name=product["name"], size=outside[0][5:],
                           sizes=sizes_on_sale(hit))
    elif colour and not comes_in(product, colour):  # "badilisha iwe nyeusi" of the Air Force 1 White
        line.problem = say("colour_missing", ctx.lang, name=product["name"], colour=colour)
    elif not product["is_available"] or product.get("stock") == 0:
        alt = _alternative(ctx.conn, ctx.business["id"], product)
        line.problem = say("sold_out", ctx.lang, name=product["name"]) + (
            " " + say("alt", ctx.lang, name=alt.name, price=format_price(alt.price)) if alt else "")
        line.hit = alt or hit
    elif count is not None and count <= 0:
        line.problem = say("qty_zero", ctx.lang, name=product["name"])
    elif count is not None and (count > MAX_LINE_QUANTITY or count > 1 and WHOLESALE.search(ctx.message or "")):
        # more than a chat order takes, or several at a wholesale price asked: the owner's sale to price
        line.problem = say("qty_bulk", ctx.lang, qty=qty_text(count), name=product["name"])
        line.bulk = count
    elif product.get("is_service") or product.get("duration_minutes"):
        line.quantity = Decimal(1)
    return line


def counted_after(pairs: list[tuple[Line, str]]) -> list[tuple[Line, str]]:
    """"ok the 1 litre then, three of them": a piece naming nothing but how many, right after the piece that named
    the product (by which pack, or with no count), is that product's count (was one litre and three more: 4)."""
    out: list[tuple[Line, str]] = []
    for line, piece in pairs:
        prev = out[-1][0] if out else None
        if prev is not None and prev.product is not None and line.product is not None and line.problem is None \
                and prev.product["id"] == line.product["id"] and line.given is not None \
                and line.given.unit in (None, "pair", "piece", "pack") \
                and (prev.given is None or prev.given.unit is not None) and line.variant in (None, prev.variant) \
                and piece and not [t for t in asked_for(piece).split() if t not in FILLER_ONLY] \
                and prev.quantity is not None and line.quantity is not None:
            prev.quantity, prev.given = line.quantity, line.given
            continue
        out.append((line, piece))
    return out


def _same_product_sized(line: Line, rest: list[Line]) -> list[Line]:
    """The lines right after `line` that are the same product, each in a size or colour and counted."""
    same: list[Line] = []
    for r in rest:
        if line.product is None or r.product is None or r.product["id"] != line.product["id"] or not r.variant \
                or r.given is None or r.quantity is None:
            break
        same.append(r)
    return same


def parts_of_the_count(lines: list[Line], said_in: dict[int, str]) -> list[Line]:
    """"nipe 2, moja ya Samsung moja ya iphone": a count said with no thing of its own, then the things it is, each
    with a count, adding up to it: the count was their total (the iPhone shown was ordered twice more, KES 174,500)."""
    out: list[Line] = []
    for i, line in enumerate(lines):
        piece, rest = said_in.get(id(line)), lines[i + 1:]
        if piece is not None and line.given is not None and line.quantity is not None and line.problem is None \
                and not [t for t in asked_for(piece).split() if t not in FILLER_ONLY] and len(rest) >= 2 \
                and all(r.given is not None and r.product is not None and r.quantity is not None for r in rest) \
                and sum(r.quantity for r in rest) == line.quantity:
            continue
        # "open sandals 2, moja size 38 moja size 43": the sizes that follow, as many as the count, are those pairs
        same = _same_product_sized(line, rest)
        if line.given is not None and line.quantity is not None and line.variant is None and len(same) >= 2 \
                and sum(r.quantity for r in same) == line.quantity:
            continue
        out.append(line)
    return out


def sizes_of_the_count(lines: list[Line]) -> list[Line]:
    """"3 pairs, sizes 29, 31 and 33": the sizes after a count of a product, each said with no count of its own, are
    which ones of that count (never 3 + 29 + 31 + 33 = 96 pairs, nor 3 more): one pair of each when there are as many
    sizes as pairs, else the count with every size on its line for the owner to see."""
    out: list[Line] = []
    group: list[list[Line]] = []
    for ln in lines:
        head = group[-1][0] if group else None
        if head is not None and head.product is not None and ln.product is not None \
                and head.product["id"] == ln.product["id"] and head.given is not None \
                and ln.given is None and ln.problem is None and (ln.variant or "").startswith("size "):
            group[-1].append(ln)
            continue
        group.append([ln])
    for head, *sizes in group:
        said = ([head.variant] if head.variant else []) + [ln.variant or "" for ln in sizes]
        if sizes and head.quantity is not None and head.quantity == len(said):
            out.extend(replace(head, variant=v, quantity=Decimal(1)) for v in said)
        elif sizes:
            out.append(replace(head, variant=", ".join(said)))
        else:
            out.append(head)
    return out


def _named_before(ctx: Context) -> int | None:
    """How many of the things the bot just listed the customer's message before had named, each by a word of its
    name, when that is two or more of them and they are the first ones listed; else None."""
    said = set(words(ctx.said_before()))
    rows = product_rows(ctx.conn, ctx.business["id"], ctx.last_products)
    named = 0
    for row in rows:
        if not {w for w in words(row["name"]) if len(w) >= 4 and w not in STOPWORDS} & said:
            break
        named += 1
    return named if named >= 2 else None


def sized_fallback(ctx: Context, rows: list[dict[str, Any]], piece: str) -> list[dict[str, Any]]:
    """"size 43 iwe mbili" naming no product: the product whose cart lines are the only ones in that size."""
    said = variant_of(piece, "")
    products = {r["product_id"] for r in rows if variants.within(said, r["variant"])}
    return product_rows(ctx.conn, ctx.business["id"], list(products)) if len(products) == 1 else []


def _named_in_the_message_before(ctx: Context) -> list[Any]:
    """The products the customer's message before this one named, one per piece of it, when two or more."""
    found: list[Any] = []
    for piece in segments(ctx.said_before(as_written=True))[:8]:
        hit = retrieve(ctx.conn, ctx.business["id"], search=search_text(piece), limit=1)
        if hit.hits and not hit.not_sold and hit.hits[0].id not in found:
            found.append(hit.hits[0].id)
    return found if len(found) >= 2 else []


def each_shown(ctx: Context, norm: str, negative: bool, booking: bool) -> list[Line]:
    """"book both for wednesday 6pm" after the bot named two services: a line for each of them (the rest of the
    message read for each as for one); [] when the message points at no group of what was shown."""
    many = bookings.all_shown(norm)
    if many is None and booking and ctx.last_intent == "product":
        many = _named_before(ctx)  # "manicure na pedicure ni ngapi?" -> both listed -> "nataka friday 3pm": both
    shown = ctx.last_products
    if many is not None and many < 99 and len(shown) < many:  # "pedicure?" / "and manicure?" / "book both"
        shown = store.recent_products(ctx.conn, ctx.business["id"], ctx.conv["id"], many)
    elif many == 99 and len(shown) < 2:  # "A15 ni ngapi?" / "na cover yake" / "nipe zote": the two last talked about
        shown = store.recent_products(ctx.conn, ctx.business["id"], ctx.conv["id"], 4, turns=2)
    if many is not None and len(shown) < 2:
        # "bei ya vitu hivi: unga wa ngano, mafuta 1L, sukari" (one price answered) -> "nipe zote moja moja": each
        # thing that message named
        shown = _named_in_the_message_before(ctx) or shown
    if many is None or len(shown) < 2:
        return []
    rest = bookings.without_all_shown(norm)
    if any(not (BOOKING_WORD.match(w) or ORDER_VERB.fullmatch(w)) for w in asked_for(rest).split()):
        return []  # "nipe sukari zote": the message names its own thing
    rows = product_rows(ctx.conn, ctx.business["id"], shown[:many])
    lines = [line for row in rows if (line := resolve(ctx, rest, [row], negative, booking)) is not None]
    model = fitted.model_shown(rows)
    # "redmi 13 ni bei gani?" / "na cover yake?" / "nipe zote": the cover is for that phone
    return [replace(ln, variant=variants.canonical(", ".join([*variants.parts(ln.variant), f"for {model}"])))
            if model and fitted.goes_with(ln.product) and "for " not in (ln.variant or "") else ln for ln in lines]
