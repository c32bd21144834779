"""Putting what a message asks for into the cart (or booking): the lines read from the message, more of a
line or a change of its count, size or colour, stock checked; a cart sent from the WhatsApp catalogue.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

import psycopg

from mtaabot.intents import expand_sms
from mtaabot.orders import bookings, fitted, party, store, variants
from mtaabot.orders.booking_times import ask_time, booking_time, on_asked_day, when_said
from mtaabot.orders.context import Context, FlowResult, Line, hit_of, product_rows, result
from mtaabot.orders.fulfilment import (
    delivery_place,
    earlier_place,
    note_fulfilment,
    place_as_written,
    where_only,
    written_place,
)
from mtaabot.orders.lines import (
    MAX_LINE_QUANTITY,
    PHONE_BRANDS,
    PHONE_SERIES,
    asked_for,
    counted_after,
    each_shown,
    parts_of_the_count,
    resolve,
    segments,
    sized_fallback,
    sizes_of_the_count,
)
from mtaabot.orders.patterns import (
    ADD_MARK,
    ASKING_ONLY,
    BOOKING_WORD,
    BRING,
    COMMA,
    FILLER_ONLY,
    LEAVE_AFTER,
    MORE,
    NEGATIVE,
    ORDER_VERB,
    SAID_INSTEAD_OF,
    SET_MARK,
    TURNED_DOWN,
    VISIT,
)
from mtaabot.orders.quantities import NUMBER_WORDS, Quantity, decimals_kept, find_quantities
from mtaabot.orders.sizes import how_many_each, merged_variant, names_number, variant_only
from mtaabot.orders.summary import line_label, qty_text, summary
from mtaabot.orders.texts import say
from mtaabot.orders.when import NAIROBI, When, parse_when
from mtaabot.owners import order_alerts
from mtaabot.product_questions import asks_how_long, by_price, duration_text, extreme_candidates
from mtaabot.reply_builder import ReplyBuilder, fits_size, format_price
from mtaabot.retrieval import Hit, is_service
from mtaabot.understanding import PRICE_ASKED, price_extreme, without_extreme
from mtaabot.vocabulary import STOPWORDS, normalise, ordinal, words


def _put(ctx: Context, order: dict[str, Any], ln: Line, rows: list[dict[str, Any]], *, add: bool,
         setting: bool) -> str | None:
    """One resolved line into the cart, whose lines of that product were `rows` before this message: more of it in
    its size (`add`), or a change: the count of the line in the size said ("size 43 iwe mbili"), the size or colour
    of the product's only line ("AF1 iwe size 43", "iwe nyeusi": with no count said, how many stays), or a size of its
    own when the message named several, or named another size of a product already in two ("nipe moja size 44").
    A change (`setting`) that could be any of several lines is asked about."""
    if add or not rows:
        return stock_line(ctx, order, ln, add=add)
    same = [r for r in rows if variants.within(ln.variant, r["variant"])] if ln.variant else \
        rows if len(rows) == 1 else []
    if len(same) == 1:
        return stock_line(ctx, order, ln, add=False, variant=same[0]["variant"],
                          quantity=same[0]["quantity"] if ln.given is None else ln.quantity)
    if not same and (ln.sized or (not setting and ln.variant and len(rows) > 1)):
        return stock_line(ctx, order, ln, add=False)
    if not same and len(rows) > 1 and ctx.size_from is not None:
        # "size 44 ibadilishe iwe 45" with sizes 42 and 44 in the cart: the 44
        rows = [r for r in rows if variants.within(f"size {ctx.size_from}", r["variant"])] or rows
    if not same and len(rows) == 1:
        quantity = rows[0]["quantity"] if ln.given is None else ln.quantity
        try:
            store.change_line(ctx.conn, order, ln.product, rows[0]["id"], quantity,
                              merged_variant(rows[0]["variant"], ln.variant))
        except store.OrderError:
            return _stock_problem(ctx, order, ln.product)
        return None
    return say("line_which", ctx.lang, names=", ".join(line_label(r) for r in (same or rows)))


def _stock_problem(ctx: Context, order: dict[str, Any], product: dict[str, Any]) -> str:
    left = store.stock_left(ctx.conn, order, product) or 0
    return say("no_stock", ctx.lang, name=product["name"], left=left) if left else \
        say("sold_out", ctx.lang, name=product["name"])


def stock_line(ctx: Context, order: dict[str, Any], line: Line, add: bool, *, variant: str | None = None,
               quantity: Decimal | None = None) -> str | None:
    try:
        store.set_item(ctx.conn, order, line.product, line.quantity if quantity is None else quantity, add=add,
                       variant=line.variant if variant is None else variant)
    except store.OrderError:
        return _stock_problem(ctx, order, line.product)
    return None


_WHOSE = frozenset("wangu yangu zangu wetu yetu zetu my our".split())  # "ni za watoto wangu": whose, no thing
_EACH_TWICE = re.compile(r"(?:\b(?:zote|vyote|yote|all)\s+)?\b(moja|mbili|tatu|nne|tano|sita|saba|nane|tisa|kumi|"
                         r"\d{1,2})\s+\1\b")
# ... and the people a party is for ("3 pairs for my boys", "kwa bridesmaids wangu"): "We don't have 'boys' here" was
# said beside the order (owner test s26); a child's size group stays ("viatu vya watoto")
_PEOPLE = r"(?:boys|girls|sons|daughters|bridesmaids|groomsmen|guests|family|team|staff|workers)"
_FOR_SOMEONE = re.compile(r"\b(?:ya|za|wa|for|kwa)\s+(?:my\s+|his\s+|her\s+|our\s+|the\s+)?(?:" + party.GROWN_UP
                          + "|" + _PEOPLE + r")(?:\s+(?:yangu|wangu|yake|wake|zangu|wetu))?\b", re.IGNORECASE)
_ALL_SHOWN = re.compile(r"\b(?:hizo |hizi )?(?:zote|vyote|yote) (mbili|tatu|two|three|2|3)\b|\b(?:all|both of) (?:the )?"
                        r"(two|three)\b", re.I)
_SECOND_PAIR = re.compile(r"\b(?:ile |hiyo )?ya pili\s+(?=(?:size|saizi)\s+\d{2}\b)|\bthe second (?:one|pair)\s+(?:in\s+)?"
                          r"(?=(?:size\s+)?\d{2}\b)", re.I)
_FIRST_PICKED = re.compile(r"\b(?:ya kwanza|the first|first one|ya tatu|the third|ya mwisho|the last)\b", re.I)
_AND_TOO = re.compile(r"^(?:(?:ok|okay|sawa|poa|basi|fine|alright)\W+)*(?:and|na|plus|pamoja na)\s+(?!(?:bei|how|ni|je)\b)")
_HAS_ALREADY = re.compile(r"^(?:mimi |me )?(?:nina|niko na|nko na|i have|i've got|i got|i own)\s+(?!\d)\w|"
                          # "book screen repair kesho, ni samsung A15", "simu yangu ni tecno": the phone being repaired
                          # or fitted (a new A15 was drafted with the repair, KES 21,500; customer test s25)
                          r"^(?:(?:simu|phone) (?:yangu|yake)(?: ni| is)?|my phone is|it'?s an?|it is an?|ni)\s+(?:ya\s+)?(?:"
                          + "|".join(sorted(PHONE_BRANDS | PHONE_SERIES)) + r")\b")


# one person and nothing else: "mimi", "na mimi pia", "me too", "dada yangu"
_JUST_ONE = re.compile(r"(?:(?:na|and|pia|also|but|lakini)\s+)?(?:mimi|mi|me|myself|dada yangu|my sister|sis|kaka yangu|"
                       r"my brother|rafiki yangu|my friend|mama yangu|my mum)(?:\s+(?:pia|too|also|tu|only))?")
# what was bought before, said about: "Mlinitumia viatu poa sana last time" (the shoes were ordered again)
# "na nimebadilisha mind, nataka 2 pairs": the change said, no thing ("Hatuna 'nimebadilisha mind'"; customer test s29)
_MIND_CHANGED = re.compile(r"(?:(?:na|and|but|lakini|sorry|aah|ah|aki|basi|sasa|ok|okay|sawa|kumbe)\s+)*"
                           r"(?:nime|i'?ve |i have |i )?(?:badilisha|badili|changed?|geuza)\s+(?:my\s+)?(?:mind|mawazo|nia)")
_SIZE_SAID = re.compile(r"\b(?:size|saizi|namba)\s+(\d{2})\b")
_BOUGHT_BEFORE = re.compile(r"^(?:\w+\s+)?(?:mli|mme|uli|ume|mka)ni(?:tumia|uzia|pa|pea|letea)\b|^you (?:sent|sold|gave) me\b")
_OTHERS_ONLY = re.compile(r"^(?:(?:sawa|ok|basi|na|and|asante|thanks)\s+)*(?:nataka|nipe|ningependa|i want|i'?d like|give me)?\s*"
                          r"(?:zingine|nyingine|ingine|others|another one|more|some more)$")
# a thing of the customer's own, said about ("nywele zangu ziko mbaya", "simu yangu imevunjika", "my phone is old")
_MY_OWN = re.compile(r"^(?:(?:lakini|but|na|and|pia|kwanza|aki|haha)\s+)?(?:my\s+(?P<mine>\w+)|(?P<own>\w+)\s+(?:yangu|"
                     r"zangu|wangu|langu|changu|vyangu))\b")


_PAYING = re.compile(r"^(?:(?:na|and|then|halafu)\s+)?(?:nitalipa|ntalipa|tutalipa|nitatuma|ntatuma|tutatuma|nitakutumia|"
                     r"nitakupa|nitawatumia|i'?ll pay|i will pay|we'?ll pay|will pay|i'?ll send|paying|nitalipia)\b")


_ORDER_OF_THINGS = frozenset("after afterwards before baadaye baada kisha then later first kwanza pia too also".split())


def _asks_for_nothing(piece: str, *, several: bool) -> bool:
    """A piece of an order message that names a thing without asking for it: turned down, the customer's own, how long
    a service takes asked, and (beside other pieces) "others", what was bought before said about, or a price asked."""
    asked = bool(ORDER_VERB.search(piece))
    if several and (_PAYING.match(piece) or set(piece.split()) <= _ORDER_OF_THINGS):
        # "nitalipa 1000 sasa na zingine nikipokea": how they will pay ("Hatuna “nitalipa”"); "na pedicure pia after":
        # when, beside the other ("Hatuna “after”"; customer test s30)
        return True
    return bool(TURNED_DOWN.match(piece) or _MIND_CHANGED.fullmatch(piece)) or _my_own_thing(piece) \
        or (not asked and asks_how_long(piece)) \
        or several and bool(_OTHERS_ONLY.match(piece) or not asked and _BOUGHT_BEFORE.search(piece) or _price_only(piece))


def _price_only(piece: str) -> bool:
    """"..., then nataka kujua bei ya wig": the price asked, no wig booked (KES 8,500 beside nails; customer test
    s29b); the price is said with the order."""
    return bool(ASKING_ONLY.search(piece) and PRICE_ASKED.search(piece))


def _my_own_thing(piece: str) -> bool:
    """"nywele zangu ziko mbaya", "simu yangu imevunjika": a thing of the customer's, said about, no thing asked for;
    a person of theirs ("dada yangu knotless") is whom a service is for."""
    m = _MY_OWN.match(piece)
    noun = m and (m.group("mine") or m.group("own"))
    return bool(noun) and noun not in party.KIN_WORDS and not ORDER_VERB.search(piece)
_COUNT = r"(?:\d{1,3}|moja|mbili|tatu|nne|tano|sita|saba|nane|tisa|kumi|one|two|three|four|five|six|seven|eight|nine|ten)"
_NOT_THIS_COUNT = re.compile(r",?\s+(?:si|sio|siyo|not|and not|but not|lakini si|sikusema|i didn'?t say)\s+" + _COUNT
                             + r"(?=\s*(?:[,.;!?]|$))", re.IGNORECASE)
# a count put right as it is said: "maziwa tatu, sorry mbili tu", "sukari mbili. hapana, tatu" (the first count was
# ordered; customer test s28); "mbili, si tatu" says the first is meant and is left as it is
_RECOUNTED = re.compile(r"\b" + _COUNT + r"\s*[,.;]?\s+(?:(?:sorry|samahani|hapana|no|actually|i mean|oops|nimekosea|"
                        # "sabuni mbili, ama wacha, moja inatosha" was two (customer test s28b)
                        r"wait|ngoja|aah|ah|aki|ai+|eish|ayaa|oh|ama wacha|ama acha|wacha|or rather|rather)\s*[,.]?\s+)+"
                        r"(?:(?:make it|iwe|ziwe|nataka|nipe)\s+)?(?P<second>" + _COUNT
                        + r")(?:\s+(?:tu|only|inatosha|zinatosha|itatosha|zitatosha|is enough|will do))?"
                        r"(?=\s*(?:[,.;!?]|$)|\s+(?:na|and|plus|pia)\b)", re.IGNORECASE)


def pick_by_price(ctx: Context, text: str) -> list[Hit] | None:
    """What was just shown, the cheapest (or dearest) first, when the message picks by price among several ("the
    cheapest one", "ile ya bei rahisi zaidi"); None otherwise."""
    extreme = price_extreme(text)
    if extreme is None or len(ctx.last_products) < 2:
        return None
    return by_price(extreme_candidates(ctx.conn, ctx.business["id"], ctx.last_products), extreme) or None


def _names_a_service(ctx: Context, text: str) -> bool:
    """The message names one of the shop's services by every word of its name."""
    said = set(words(text))
    return any(set(words(r["name"])) <= said for r in ctx.conn.execute(
        """SELECT name FROM products WHERE business_id = %s AND (is_service OR duration_minutes IS NOT NULL)""",
        (ctx.business["id"],)))


def add_lines(ctx: Context, text: str, cart: dict[str, Any] | None, *, booking: bool) -> FlowResult | None:
    # "nipe hizo zote mbili" after two things shown: one of each, not two of each (tester s32b)
    if (both := _ALL_SHOWN.search(text)) is not None and len(ctx.last_products) == (
            2 if (both.group(1) or both.group(2)).lower() in ("mbili", "two", "2") else 3):
        text = text[:both.start()] + " zote " + text[both.end():]
    joining = cart is not None and cart["kind"] == "booking" and party.companion_only(text)
    # "tunataka booking ya watu 4 jumamosi" -> which service? -> "knotless": booked for the four
    people = party.size(text) or (party.size(ctx.said_before()) if ctx.last_intent == "booking_which" else None)
    if people and not booking and not (cart is not None and cart["kind"] == "booking") and not any(
            p.get("is_service") or p.get("duration_minutes")
            for p in product_rows(ctx.conn, ctx.business["id"], ctx.last_products[:3])) \
            and not _names_a_service(ctx, text):  # "Tuko watatu tunataka cornrows" was one cornrows (s29b)
        people = None  # "viatu vya watoto wawili" at a shoe shop: goods for children, not a booking for two
    if people:  # "cornrows kesho kwa watoto wawili": booked for two; "watoto wawili" is no thing asked for
        text = party.without(text)
    if cart is None and ctx.last_intent == "product" and len(ctx.last_products) == 1 and _AND_TOO.match(normalise(text)):
        # "ok and 2 packets of milk plus ketepa" after the gas's price: the gas too (it was dropped), as many as were
        # asked about ("unga ya ngano iko? 2 pakiti" -> "na mafuta elianto 1" was one flour; tester s32)
        # (a count of things or packs: "gesi 6kg" is its size, "iphone 13" its name)
        asked = [q for q in find_quantities(normalise(ctx.said_before()).split())
                 if q.unit in (None, "pack", "piece", "tray") and q.amount == q.amount.to_integral_value()
                 and 1 < q.amount <= MAX_LINE_QUANTITY
                 and (q.unit is not None or str(int(q.amount)) not in ctx.name_numbers())]
        count = f" {int(asked[0].amount)}" if len(asked) == 1 else ""
        text = f"hiyo{count}, " + text
    if (in_price_order := pick_by_price(ctx, text)) is not None:
        # "ok the cheapest one, 2 pieces" after a list: that one of it (it was "We don't have 'cheapest'" beside
        # the list's first; lead's probes s28)
        shown_ids = [h.id for h in in_price_order]
        ctx.last_products = shown_ids + [p for p in ctx.last_products if p not in shown_ids]
        text = "hiyo " + without_extreme(re.sub(r"\b(cheapest|expensive|affordable|priciest|dearest|zaidi|kabisa|zote)\s+"
                                                r"(?:one|ones)\b", r"\1", text, flags=re.IGNORECASE))
    norm = normalise(text)
    pick = ordinal(text)
    shown = ctx.last_products
    if pick is not None and cart is not None and (pick >= len(shown) or ADD_MARK.search(norm) and len(shown) < 2):
        # "ya kwanza nipe size 40" then "na ya pili size 42": the second of the list, not of the one-line summary;
        # "na hiyo ya kwanza pia" after a one-line summary: the list's first, not the line again (s28)
        shown = store.last_list(ctx.conn, ctx.business["id"], ctx.conv["id"], max(pick + 1, 2)) or shown
    if pick is not None and cart is not None and len(shown) > 1:
        # the cart's things as its summary lists them: "ile ya pili iwe mbili" is the second line the customer reads
        # (the products kept with the summary are in the order named, and the first line changed; customer test s28)
        listed = list(dict.fromkeys(r["product_id"] for r in store.items(ctx.conn, cart)))
        if {str(p) for p in shown} == {str(p) for p in listed}:
            shown = listed
    chosen = shown[pick:pick + 1] if pick not in (None, -1) else shown[-1:] if pick == -1 else shown[:1]
    fallback = product_rows(ctx.conn, ctx.business["id"], chosen or ctx.last_products[:1])
    if cart is not None and not fallback:
        last_item = ctx.conn.execute("SELECT product_id FROM order_items WHERE order_id = %s ORDER BY created_at DESC LIMIT 1",
                                     (cart["id"],)).fetchone()
        fallback = product_rows(ctx.conn, ctx.business["id"], [last_item["product_id"]]) if last_item else []
    negative = bool(NEGATIVE.search(text))  # words() drops the sign; a "-2" must be refused, not read as 2
    # ", deliver to Westlands" is no item; "gv me 2" is "give me 2"
    # "moja 40 ingine 44": the other one is one more, in its size
    text = re.sub(r"\b(?:ingine|nyingine|another|the other)\s+(?=(?:size\s+)?\d{2}\b)", "moja ", text, flags=re.I)
    # "nataka AF1 size 42, na ile ya pili size 43": the second pair, in its size (it was dropped; tester s32); a "ya
    # kwanza ..., na ya pili ..." picks from a list instead
    if (second := _SECOND_PAIR.search(text)) is not None and re.search(r"\bsize\s+\d{2}\b", text[:second.start()]) \
            and not _FIRST_PICKED.search(text):
        text = text[:second.start()] + " moja " + text[second.end():]
    text = _RECOUNTED.sub(lambda m: m.group("second"), text)
    # "maziwa ni mbili tu bana, si nne", "milk should be 2 not 4": the count it is not is no count (the eggs became
    # four; customer test s28b)
    text = _NOT_THIS_COUNT.sub("", text)
    priced: list[dict[str, Any]] = []
    # "Nahitaji simu mbili za Nokia 105, na chargers? zinakuja na charger?": the questions beside the order are no
    # lines of it (a Type-C charger was added, KES 1,200 not asked for; customer test s30); what they name, priced
    text, beside = _questions_beside(text)
    priced += [ln.product for q in beside if (ln := resolve(ctx, q, [], booking=booking)) is not None
               and ln.product is not None]
    asked, mark, rest = text.partition("?")
    if rest.strip() and PRICE_ASKED.search(normalise(asked)) and ORDER_VERB.search(normalise(rest)) \
            and (named := resolve(ctx, asked, [], booking=booking)) is not None and named.product is not None \
            and (wanted := resolve(ctx, rest, [], booking=booking)) is not None and wanted.product is not None \
            and wanted.product["id"] != named.product["id"]:
        # "Mafuta ya Elianto ni ngapi? Nipe tu unga 2 kwa sasa": the oil's price, and two of the flour (it was two
        # oils and no flour; customer test s29b)
        priced, text = [named.product], rest
    elif rest.strip() and PRICE_ASKED.search(normalise(asked)) and find_quantities(normalise(rest).split()):
        # "how much is one pair? I need 3 pairs size 38": the one of the price asked is no count (one pair was
        # ordered and the three lost; customer test s28)
        text = re.sub(r"\b(?:one|a single|moja|1)\b", " ", asked, flags=re.IGNORECASE) + mark + rest
    pieces = [decimals_kept(text, expand_sms(p)) for p in segments(text) if not where_only(p)]
    if people:
        # "..., na mimi pia gel nails": the one person said just before a service is whom it is for (both had gel nails,
        # KES 3,800 for 2,600; customer test s28)
        merged: list[str] = []
        for piece in pieces:
            if merged and _JUST_ONE.fullmatch(normalise(merged[-1])) and party.people_of(piece) is None:
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        pieces = merged
    if booking and len(pieces) > 1:  # "ongeza cornrows pia same time": the time is no second item
        pieces = [p for p in pieces if not bookings.says_only_when(p)] or pieces
    # "ajab na ya jogoo zote mbili mbili": a count said twice is that many of each thing named (it was the last's)
    twice = _EACH_TWICE.search(pieces[-1]) if len(pieces) > 1 else None
    if twice is not None:
        pieces[-1] = re.sub(r"\s+", " ", _EACH_TWICE.sub(" ", pieces[-1])).strip()
    elif (k := next((k for k, p in enumerate(pieces[:-1]) if _EACH_TWICE.search(p)), None)) is not None:
        # "sukari na unga jogoo mbili mbili, na maziwa tatu": two of each thing named up to there (the sugar was one;
        # customer test s28); what follows has its own count
        count = _EACH_TWICE.search(pieces[k]).group(1)
        pieces[k] = re.sub(r"\s+", " ", _EACH_TWICE.sub(" ", pieces[k])).strip()
        pieces[:k + 1] = [p if find_quantities(p.split()) else f"{p} {count}" for p in pieces[:k + 1]]
    # "nataka A15 na Tecno zote mbili": "both" says how many things were named, never two of the last (KES 46,500)
    named = len([p for p in pieces if any(w not in STOPWORDS and w not in party.KIN_WORDS and w not in _WHOSE
                                          for w in asked_for(p).split())])
    for k, piece in enumerate(pieces):
        if len(pieces) > 1 and bookings.all_shown(piece) not in (None, 99) and bookings.all_shown(piece) == named:
            pieces[k] = bookings.without_all_shown(piece)
    # "nina tecno spark 20, nataka cover na glass": the phone the customer has is no thing ordered (it was sold)
    pieces = [p for p in pieces if not _HAS_ALREADY.match(p)] or pieces
    # pieces that name a thing without asking for it (customer tests s28, s28b): "sitaki superstar, nipe AF1 size 42"
    # ordered both (KES 6,700 for 3,500; a cart's own line turned down is `draft_turn`'s to take out), "Nywele zangu ziko
    # mbaya, nataka wash and blow dry" added Hair Food, "Mlinitumia viatu ... last time! Nataka zingine, school shoes
    # size 38" added a pair without a size, "Pia pedicure inachukua muda gani?" booked a pedicure
    # "..., sunlight moja. Hapana, sunlight wacha": a thing left out after it was named in the same message (the soap
    # stayed; customer test s29b)
    left_out = [m.group(1) for k, p in enumerate(pieces) if k and (m := LEAVE_AFTER.match(normalise(p)))
                and not set(m.group(1).split()) <= FILLER_ONLY]
    pieces = [p for k, p in enumerate(pieces) if not (k and LEAVE_AFTER.match(normalise(p)))] or pieces
    priced += [ln.product for p in pieces if len(pieces) > 1 and _price_only(normalise(p))
               and (ln := resolve(ctx, p, [], booking=booking)) is not None and ln.product is not None]
    # "..., niko na ID. Inachukua muda gani?": how long, said with the booking (the question went unanswered; s30)
    how_long = len(pieces) > 1 and any(asks_how_long(normalise(p)) for p in pieces)
    pieces = [p for p in pieces if not _asks_for_nothing(normalise(p), several=len(pieces) > 1)] or pieces
    # "chai ketepa, hapana, royco badala ya chai": the royco instead of the tea said before it (the tea stayed and the
    # royco was read as more tea; probes s29)
    replaced: list[str] = []
    instead_of: set[str] = set()
    for k, piece in enumerate(pieces):
        if k and (instead := SAID_INSTEAD_OF.match(normalise(piece))):
            pieces[k] = instead.group("new")
            replaced.append(instead.group("old"))
            instead_of.add(pieces[k])
    # "moja ya mathe size 38 moja ya dad size 43", "one size 33 for his sister": who each is for, no thing or size
    # (the size-38 pair was lost and two pairs without a size ordered besides); a child stays, it is a size group
    if not booking:  # ("moja ya mathe moja ya dad" after "nipe mbili" says only who: no piece, no third phone)
        pieces = [kept for p in pieces if (kept := re.sub(r"\s+", " ", _FOR_SOMEONE.sub(" ", p)).strip())
                  and not (kept != p and all(t in NUMBER_WORDS or t.isdigit() or t in ("na", "and")
                                             for t in kept.split()))] or pieces
    # "adidas na nike, size 42 kila moja": the size is every shoe's named (the Nike was read as a second Adidas, since
    # "kila" is no word of a name, and the Adidas had no size; probes s29)
    size_each, count_each = None, None
    for k, piece in enumerate(pieces):
        if len(pieces) > 1 and bookings.all_shown(piece) == 99 and (said := _SIZE_SAID.search(piece)):
            size_each, pieces[k] = Decimal(said.group(1)), bookings.without_all_shown(piece)
            # "..., size 42 mbili kila moja": two of each too
            count_each = next(iter(find_quantities(_SIZE_SAID.sub(" ", pieces[k]).split())), None)
    # "bei ya A15 na tecno spark, nataka mbili za kila moja": the count is each named thing's, never a thing "kila"
    each = [p for p in pieces if bookings.all_shown(p) == 99 and variants.count_only(bookings.without_all_shown(p).split())]
    for_each = find_quantities(bookings.without_all_shown(each[0]).split())[0] if each and len(pieces) > 1 else None
    pieces = [p for p in pieces if not (for_each and p in each)]
    if count_each is not None and count_each.unit is None and for_each is None:
        for_each = count_each
    if twice is not None and for_each is None:
        for_each = find_quantities([twice.group(1)])[0]
    # "AF1 size 44 na 45", "mbili size 42 moja 43": each size of the same shoe its own line and count, never 45 pairs
    # "AF1 size 42 na 43, mbili kila moja": two of every size (the 43 was one, KES 10,500 for 14,000; probes s28)
    planned = variants.plan(pieces, lambda toks, q: names_number(ctx, toks, q),
                            each=str(int(for_each.amount)) if for_each is not None and for_each.unit is None
                            and for_each.amount == int(for_each.amount) and 0 < for_each.amount < 16 else None)
    clauses = {expand_sms(" ".join(words(c))) for c in re.split(COMMA + r"|[;\n]|\.(?=\s)", text)}
    resolved: list[tuple[Line, Any]] = [(line, None) for line in each_shown(ctx, norm, negative, booking)]
    aside: set[int] = set()
    before: Line | None = None
    said_in: dict[int, str] = {}
    cart_rows = store.items(ctx.conn, cart) if cart is not None else []
    for n, planned_piece in enumerate(planned if not resolved else []):
        piece = planned_piece.text
        # "nipe maziwa, mbili": a count alone, after a piece naming a product, is how many of that one
        # ("sawa Tecno, nipe": the Tecno; "nishikie AF1 size 43 ... na doh": no second pair)
        counts_before = before is not None and before.product is not None and before.given is None \
            and (variants.count_only(words(piece)) or not asked_for(piece) and bool(
                ORDER_VERB.search(piece) or find_quantities(piece.split())))
        own = [before.product] if (planned_piece.follows or counts_before) and before is not None and before.product \
            else sized_fallback(ctx, cart_rows, piece) + fallback
        if (line := resolve(ctx, party.without_whose(piece) if people else piece, own, negative, booking)) is None:
            continue
        if planned_piece.over_sizes and line.product is not None and line.quantity is not None:
            line.problem = how_many_each(ctx, line, planned_piece.over_sizes)
        line.sized = planned_piece.follows or (n + 1 < len(planned) and planned[n + 1].follows)
        before = line if not planned_piece.follows else before
        resolved.append((line, BRING.match(normalise(piece).strip())))
        said_in[id(line)] = piece
        # "nina harusi jumamosi, nataka knotless...": a clause of its own that asks for nothing is context
        if line.product is None and normalise(piece) in clauses and len(piece.split()) >= 2 \
                and not ORDER_VERB.search(piece) and not find_quantities(piece.split()):
            aside.add(id(line))
    # "nataka refill moja, nitumie Kawangware": a bring-to piece that names nothing sold, beside an item, is the place
    # (a number after the place's name is its address: "Kawangware 56"; a place that starts with one is a count)
    places = [m.group(1) for ln, m in resolved
              if ln.product is None and m and not find_quantities(m.group(1).split()[:1])]
    lines = [ln for ln, m in resolved if not (places and ln.product is None and m)]
    # "2 phone covers, one for A15 and one for Spark 20": covers for those phones, never the phones
    lines = sizes_of_the_count(parts_of_the_count(
        fitted.for_models(counted_after([(ln, said_in.get(id(ln), "")) for ln in lines])), said_in))
    if places and not lines and cart is None and (named := written_place(text, places[0])) is not None:
        # "Niletee Kayole" before anything is asked for: where to, not a thing called Kayole; what goes there next
        return result(ctx, None, say("deliver_what", ctx.lang, place=named), "order_where", [], confidence=0.8)
    if places and not lines:  # "niletee mkaa": only bring-to pieces, so they name the items
        lines, places = [ln for ln, _ in resolved], []
    if left_out:
        gone = {ln.product["id"] for what in left_out if (ln := resolve(ctx, what, [], booking=booking)) and ln.product}
        lines = [ln for ln in lines if ln.product is None or ln.product["id"] not in gone] or lines
    # "3 milk and 2 ajab. Actually no, make the milk 5": a count said again as a change is the count (it was 8 milk;
    # customer test s29b)
    changed = [(k, ln) for k, ln in enumerate(lines) if ln.product is not None and ln.given is not None
               and SET_MARK.search(normalise(said_in.get(id(ln), "")))]
    lines = [ln for j, ln in enumerate(lines) if not any(
        j < k and ln.product is not None and ln.product["id"] == c.product["id"] and ln.variant == c.variant
        for k, c in changed)]
    # "the wash and blow dry at 2pm": both pieces of a name with "and" in it are that one product, asked for once
    # (another size of it is one more pair: "AF1 size 44 na 45")
    seen = {(ln.product["id"], ln.variant) for ln in lines if ln.product is not None and ln.given is not None}
    # "I saw your AF1 at 2,999. I'll take 2 pairs size 40": the thing named without a count or size is those pairs
    counted = {ln.product["id"] for ln in lines if ln.product is not None and ln.given is not None}
    # "Hizi superstar ni poa, nipe size 40": the thing named, then its size said, is one pair (it was a pair without a
    # size beside the size 40, KES 6,400 for 3,200; customer test s29)
    sized = {ln.product["id"] for ln in lines if ln.product is not None and ln.given is None and ln.variant}
    kept = []
    for ln in lines:
        if ln.product is not None and ln.given is None:
            if (ln.product["id"], ln.variant) in seen or (ln.variant is None and ln.product["id"] in counted | sized):
                continue
            seen.add((ln.product["id"], ln.variant))
        kept.append(ln)
    lines = _one_per_service(kept)
    if replaced:  # the thing replaced goes, unless it is what replaces it ("AF1 size 42 badala ya AF1 size 43")
        instead = [ln for ln in lines if ln.product is not None and said_in.get(id(ln)) in instead_of]
        gone = {ln.product["id"] for old in replaced if (ln := resolve(ctx, old, [], booking=booking)) and ln.product} \
            - {ln.product["id"] for ln in instead}
        out = [ln for ln in lines if ln.product is not None and ln.product["id"] in gone]
        if instead and out:  # as many as there were, unless said ("unga jogoo 2, ..., ajab badala ya jogoo": 2 Ajab)
            for ln in instead:
                if ln.given is None and out[0].given is not None:
                    ln.quantity, ln.given = out[0].quantity, out[0].given
            lines = [ln for ln in lines if all(ln is not o for o in out)]
    if not lines:
        return None
    # "nataka simu 2, moja samsung moja iphone": the kind asked for, then which ones of it, which are the order
    picked = {ln.product["id"] for ln in lines if ln.product is not None}
    lines = [ln for ln in lines if not (ln.choices and picked & {h.id for h in ln.choices})]
    if (which := next((ln.choices for ln in lines if ln.choices), None)) is not None:
        # "book me for braids tomorrow 10am" at a salon with box and knotless braids: which one (the time said is
        # kept for the answer, see when_said)
        builder = ReplyBuilder(language=ctx.lang, tone=ctx.business.get("tone") or "mtaa", business=ctx.business,
                               first_turn=False)
        if not any(h.is_service or (h.metadata or {}).get("duration_minutes") for h in which) and not booking:
            # "nataka kununua viatu": which of the shoes (never the first one found, drafted unasked)
            return result(ctx, cart, builder.buy_which(which), "order_which", which, confidence=0.8)
        return result(ctx, cart, builder.book_which(which), "booking_which", which, confidence=0.8)
    good = [ln for ln in lines if ln.problem is None and ln.product is not None and ln.quantity is not None]
    named = any(ln.product is not None for ln in lines)
    # each said once ("Timberland Boots imeisha" for both sizes asked was said twice)
    bulk = any(ln.bulk is not None for ln in lines)  # the owner's sale: no "we don't have 'run school'" beside it
    problems = list(dict.fromkeys(ln.problem for ln in lines if ln.problem and not (named and id(ln) in aside)
                                  and not (bulk and ln.product is None)))
    for ln in lines:  # "unga pakiti 150 za shule yetu": a bulk buyer is the owner's (was "send a smaller number")
        if ln.bulk is not None and ln.product is not None:
            order_alerts.bulk_asked(ctx.conn, ctx.business["id"], ctx.conv, ln.product, ln.bulk, text)
    # a visit for goods ("nitakuja kesho saa tatu" after the sugar) is an order to collect, not an appointment
    services = any(ln.product and (ln.product.get("is_service") or ln.product.get("duration_minutes")) for ln in good)
    # a time said to a cart of goods is when to bring or collect them ("leta Kawangware 46, saa moja jioni" made the
    # eggs an appointment with no place)
    goods_cart = cart is not None and cart["kind"] != "booking" and not services
    # "Nataka Jogoo 2 na Kabras 2 na Elianto 1 ...": a grocery list the learned head read as a booking was a salon-style
    # appointment for groceries; goods with no booking word and no day or time are an order
    listed_goods = bool(good) and not any(is_service(ln.product, ln.product.get("metadata")) for ln in good) \
        and not any(BOOKING_WORD.match(w) for w in norm.split()) and not parse_when(norm, ctx.now).found
    is_booking = services or (booking and not goods_cart and not listed_goods
                              and not (good and cart is None and VISIT.search(norm)))
    if for_each is not None:
        # "AF1 na superstar basi, 42 zote": a number in each shoe's size range is their size, never 42 pairs of each
        # (KES 281,400 was confirmed)
        sized = for_each.unit is None and all(fits_size(hit_of(ln.product), for_each.amount) for ln in good) and good
        size = f"size {int(for_each.amount)}"
        for ln in list(good):
            if sized and ln.variant and "size " in ln.variant and size not in ln.variant:
                # "heels nude 37 na 38 nipe zote": a pair in each size said (38 was 38 pairs, KES 83,600)
                good.append(replace(ln, variant=merged_variant(ln.variant, size), quantity=Decimal(1), given=None))
            elif sized:
                ln.variant = merged_variant(ln.variant, size)
            elif ln.given is None:
                ln.quantity, ln.given = for_each.amount, for_each
    if size_each is not None:
        for ln in good:
            if "size " not in (ln.variant or "") and fits_size(hit_of(ln.product), size_each):
                ln.variant = merged_variant(ln.variant, f"size {size_each}")
    if people and not joining:  # each person has the service (one who joins a booking has what the message names)
        # "mimi box braids, mum pedicure na manicure, na mdogo wangu cornrows": each named person's services once
        # (every service was booked three times, KES 11,400 for 4,500; customer test s30); a piece naming no one
        # goes with the person before it
        owns = [party.people_of(said_in.get(id(ln), "")) for ln in good]
        whose = any(o == 1 for o in owns)
        # what is said before anyone is named is the speaker's own: "nataka box braids na rafiki yangu pia anataka
        # cornrows" was two of each (KES 6,600 for 3,300; owner test s31)
        pieces = [said_in.get(id(ln), "") for ln in good]
        before: int | None = 1 if any(party.names_someone(p) for p in pieces[1:]) \
            and not party.everyone(pieces[0]) else None
        for ln, own in zip(good, owns, strict=True):
            if own is None and whose:
                own = before
            before = own if own is not None else before
            if ln.product.get("is_service") or ln.product.get("duration_minutes"):
                # "box braids wawili na knotless mmoja": each service for the people its own piece says (three were
                # four, KES 12,000 for 8,500; customer test s27)
                n = own if own is not None and own <= people else people
                ln.quantity, ln.given = Decimal(n), Quantity(Decimal(n), None, (0, 0))
    good = [one for ln in good for one in _a_pair_per_size(ln)]
    later: list[tuple[Line, When]] = []
    if is_booking and len(good) > 1:
        # "manicure jumamosi saa nne na pedicure jumapili saa nane": two visits, and a booking holds one time (the
        # pedicure was booked for the Saturday without a word; probes s28)
        dated = [(ln, parse_when(said_in.get(id(ln), ""), ctx.now)) for ln in good]
        first = next((w.day for _, w in dated if w.day is not None), None)
        later = [(ln, w) for ln, w in dated if w.day is not None and w.day != first]
        good = [ln for ln in good if all(ln is not other for other, _ in later)]
        for ln, w in later:
            when = w.day.strftime("%a %d %b") + (f" {w.at:%H:%M}" if w.at is not None else "")
            problems.append(say("another_visit", ctx.lang, name=ln.product["name"], when=when))
    order = cart
    if good:
        order = order or store.create_cart(ctx.conn, ctx.business["id"], ctx.conv["id"],
                                           kind="booking" if is_booking else "order")
        # "na black?" about the shoe in the cart: that one in black, never a second pair
        setting = cart is not None and bool(SET_MARK.search(norm) or variant_only(norm) or (
            "?" in text and variant_only(re.sub(r"^(?:na|and|what about|how about)\s+", "", norm))))
        # "nipe moja tu" about a phone already in the cart is how many of it, not one more ("ongeza moja" is)
        in_cart: dict[Any, list[dict[str, Any]]] = {}
        for row in store.items(ctx.conn, order) if cart is not None else []:
            in_cart.setdefault(row["product_id"], []).append(row)
        more = bool(ADD_MARK.search(norm) or MORE.search(norm))
        if not more and cart is not None and _splits_the_line(good, in_cart):
            # "one black one blue" of the two A15 in the cart: those two, one in each colour (two more were added)
            store.remove_item(ctx.conn, order, good[0].product["id"])
            in_cart.pop(good[0].product["id"])
        for ln in good:
            rows = in_cart.get(ln.product["id"], [])
            adds = _adds(said_in.get(id(ln), ""), more)
            problem = _put(ctx, order, ln, rows, add=not setting and (adds or not rows), setting=setting)
            if problem:
                problems.append(problem)
                ln.problem = ln.problem or problem  # "zimebaki 1 tu": what the notice is about comes first below
        order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
    # the thing a notice is about first: "hiyo moja" after "Pishori Rice zimebaki 1 tu" is the rice, "hizo za lita moja
    # tatu" after "Fresh Fri 3L imeisha, Elianto 1L iko" is the Elianto (each changed another line; customer test s28)
    hits = [ln.hit for ln in sorted(lines, key=lambda ln: ln.problem is None) if ln.hit is not None]
    quantity = next((ln.quantity for ln in lines if ln.given is not None and ln.quantity is not None), None)
    if order is None or not store.items(ctx.conn, order):
        if any(ln.product is None for ln in lines) and not any(ln.bulk for ln in lines):  # "hatuna" + what is sold
            examples = [r["name"] for r in ctx.conn.execute(
                """SELECT name FROM products WHERE business_id = %s AND is_available AND coalesce(stock, 1) > 0
                   ORDER BY created_at, name LIMIT 3""", (ctx.business["id"],)).fetchall()]
            if examples:
                problems.append(say("we_sell", ctx.lang, examples=", ".join(examples)))
        # Nothing asked for is sold here ("Nataka gunia moja la mkaa" at a duka without charcoal): a "not sold"
        # answer, not a problem with an order that never started.
        intent = "not_sold" if all(ln.product is None for ln in lines) else "order_problem"
        return result(ctx, None, " ".join(_sizes_said_once(problems)), intent, hits, quantity, 0.8)
    if is_booking:
        store.set_fields(ctx.conn, order, kind="booking")
        when = on_asked_day(ctx, order, when_said(ctx, norm))
        if when.moment() is None and order["booking_at"] is not None:
            # a service added with no new time ("ongeza pedicure pia"): the time booked, checked for the longer work
            booked = order["booking_at"].astimezone(NAIROBI)
            when = When(booked.date(), booked.time().replace(tzinfo=None))
        problem = booking_time(ctx, order, when)
        if problem:
            problems.append(problem)
        order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
    note_fulfilment(ctx, order, text, norm)
    sent_there = False
    if places and order["kind"] != "booking" and (place := delivery_place(places[0])) is not None:
        store.set_fields(ctx.conn, order, fulfilment="delivery", delivery_location=place_as_written(text, place))
    elif ctx.place_said and order["kind"] != "booking":
        # the customer's words kept for the owner ("can you send via G4S", "nitalipa ukileta")
        store.set_fields(ctx.conn, order, fulfilment="delivery",
                         delivery_location=place_as_written(ctx.written, ctx.place_said),
                         customer_note=order.get("customer_note") or ctx.written.strip()[:300])
        sent_there = True
    elif cart is None and order["kind"] != "booking" and (earlier := earlier_place(ctx)) is not None:
        store.set_fields(ctx.conn, order, fulfilment="delivery", delivery_location=earlier)
    order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
    parts = _sizes_said_once(problems) + [say("delivery_asked", ctx.lang)] * sent_there + [summary(ctx.conn, order, ctx.lang)]
    if how_long and order["kind"] == "booking":
        timed = [r for r in product_rows(ctx.conn, ctx.business["id"], [r["product_id"] for r in store.items(ctx.conn, order)])
                 if r.get("duration_minutes")]
        parts[:0] = [say("takes_about", ctx.lang, name=r["name"], duration=duration_text(r["duration_minutes"], ctx.lang))
                     for r in timed]
    for product in reversed(priced):
        parts.insert(0, say("price_asked", ctx.lang, name=product["name"], price=format_price(Decimal(str(product["price"])))))
    if cart is None and order["kind"] != "booking" and (twin := _same_as_waiting(ctx, order)) is not None:
        # "nipe sukari 1" -> ndio -> "nipe sukari 1": a second order of the same, said so (two were made without a
        # word; tester s32)
        parts.append(say("same_as_waiting", ctx.lang, number=twin))
    if order["kind"] == "booking" and order["booking_at"] is None:
        parts.append(ask_time(ctx, order))
    else:
        parts.append(say("ask_confirm", ctx.lang))
    return result(ctx, order, "\n".join(parts), "booking" if order["kind"] == "booking" else "order", hits, quantity)


def _same_as_waiting(ctx: Context, order: dict[str, Any]) -> int | None:
    """The number of this chat's order still to pay (of the last days) with exactly the lines of the new cart `order`,
    else None."""
    lines = {(str(r["product_id"]), r["variant"], r["quantity"]) for r in store.items(ctx.conn, order)}
    for other in store.open_orders(ctx.conn, ctx.business["id"], ctx.conv["id"]):
        if other["id"] != order["id"] and other["status"] == "awaiting_payment" \
                and {(str(r["product_id"]), r["variant"], r["quantity"]) for r in store.items(ctx.conn, other)} == lines:
            return other["number"]
    return None


_COMES_WITH = re.compile(r"\b(?:zinakuja na|inakuja na|zinakam na|inakam na|huja na|come with|comes with|included|"
                         r"inclusive|ina (?:charger|cover|warranty))\b", re.IGNORECASE)


def _questions_beside(text: str) -> tuple[str, list[str]]:
    """`text` without its questions of what comes with a thing, and the bare "na chargers?" beside them, when the rest
    orders something with a count; and those questions."""
    clauses = [c for c in re.split(r"(?<=\?)\s*|,\s*(?=[^,.?]*\?)", text) if c and c.strip()]
    if len(clauses) < 2 or not any(_COMES_WITH.search(c) for c in clauses):
        return text, []
    kept, asked = [], []
    for clause in clauses:
        norm = normalise(clause)
        bare = clause.rstrip().endswith("?") and not find_quantities(norm.split()) and not ORDER_VERB.search(norm)
        (asked if bare or _COMES_WITH.search(clause) else kept).append(clause)
    if not kept or not any(find_quantities(normalise(c).split()) for c in kept):
        return text, []
    return " ".join(kept), [re.sub(r"^\W*(?:na|and)\s+|\?", " ", a).strip() for a in asked if not _COMES_WITH.search(a)]


_ONE_SIZE = re.compile(r"\b(size|kipimo) (\d{1,2}(?:\.\d)?)(?=:)")


def _sizes_said_once(problems: list[str]) -> list[str]:
    """Notices that differ only in the size they refuse, said once with each size ("hatuna size 42 na 44: tuko na
    ..."; the same sentence came twice; customer test s30)."""
    sizes: dict[str, list[str]] = {}
    order: list[str] = []
    for p in problems:
        m = _ONE_SIZE.search(p)
        key = _ONE_SIZE.sub("\\1 \x00", p, count=1) if m else p
        if key not in sizes:
            order.append(key)
            sizes[key] = []
        if m:
            sizes[key].append(m.group(2))
    return [k.replace("\x00", " na ".join(sizes[k]), 1) if sizes[k] else k for k in order]


def _a_pair_per_size(ln: Line) -> list[Line]:
    """A line in two or more sizes ("af1 size 40 and size 41 please", then "yes"): one of each size, each its own
    line. It was one pair "(size 40, size 41)" at one pair's price, confirmed at half the money (owner test s26).
    A count other than one per size stays as it was (how many of each is asked)."""
    parts = (ln.variant or "").split(", ")
    sizes = [p for p in parts if p.startswith("size ")]
    if ln.product is None or len(sizes) < 2 or (ln.given is not None and ln.quantity not in (1, len(sizes))):
        return [ln]
    rest = [p for p in parts if not p.startswith("size ")]
    return [replace(ln, variant=variants.canonical(", ".join([size, *rest])), quantity=Decimal(1), sized=True)
            for size in sizes]


def _one_per_service(lines: list[Line]) -> list[Line]:
    """A service named twice in one message with no count is one service, with what either said it is for ("my screen
    is cracked, can I bring it ... for screen repair? its an infinix hot 30" booked two repairs, KES 6,000)."""
    first: dict[Any, Line] = {}
    kept = []
    for ln in lines:
        service = ln.product is not None and ln.given is None and is_service(ln.product, ln.product.get("metadata"))
        if not service:
            kept.append(ln)
            continue
        if (same := first.get(ln.product["id"])) is None:
            first[ln.product["id"]] = ln
            kept.append(ln)
        elif same.variant is None and ln.variant is not None:
            same.variant = ln.variant
    return kept


def _adds(piece: str, more: bool) -> bool:
    """Whether a line's count adds to what the cart holds: "ongeza" said for the message ("ongeza mafuta na sukari")
    counts for the pieces that say no verb of their own, never for one that says its count anew ("nipe tu size 43
    moja. na ongeza superstar": one pair of 43, not a second one; owner test s26)."""
    norm = normalise(piece)
    if MORE.search(norm) or ADD_MARK.match(norm):
        return True
    return more and not ORDER_VERB.search(norm)


def _splits_the_line(good: list[Line], in_cart: dict[Any, list[dict[str, Any]]]) -> bool:
    """Several lines of one product, each a colour or size, whose counts add up to its one plain line in the cart."""
    ids = {str(ln.product["id"]) for ln in good}
    if len(good) < 2 or len(ids) != 1 or not all(ln.variant for ln in good):
        return False
    rows = in_cart.get(good[0].product["id"], [])
    return len(rows) == 1 and not rows[0]["variant"] and \
        sum((ln.quantity for ln in good), Decimal(0)) == Decimal(str(rows[0]["quantity"]))


def services_for(ctx: Context, order: dict[str, Any], people: int) -> FlowResult:
    """Each service of the booking once for each of `people` ("nimesema watoto wawili")."""
    return companion_joins(ctx, order, each=people)


def companion_joins(ctx: Context, order: dict[str, Any], more: int = 1, each: int | None = None) -> FlowResult:
    """"nitakuja na dada yangu, anataka the same": each service of the booking once more for the one coming along
    (`more` times for more people; `each`: that many of each), at the booked time (checked again for the longer work); the customer says yes to
    the new total."""
    rows = store.items(ctx.conn, order)
    products = {str(p["id"]): p for p in product_rows(ctx.conn, ctx.business["id"], [r["product_id"] for r in rows])}
    for row in rows:
        product = products.get(str(row["product_id"]))
        if product is not None and (product.get("is_service") or product.get("duration_minutes")):
            store.change_line(ctx.conn, order, product, row["id"], row["quantity"] + more if each is None else each,
                              row["variant"])
    problem = None
    if order["booking_at"] is not None:
        booked = order["booking_at"].astimezone(NAIROBI)
        problem = booking_time(ctx, order, When(booked.date(), booked.time().replace(tzinfo=None)))
    order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
    closing = ask_time(ctx, order) if order["booking_at"] is None else say("ask_confirm", ctx.lang)
    return result(ctx, order, "\n".join([*([problem] if problem else []), summary(ctx.conn, order, ctx.lang), closing]),
                  "booking", [])


def companion_asked(ctx: Context, order: dict[str, Any]) -> FlowResult:
    """"mimi na rafiki yangu" with a booking shown: what the one(s) coming along have (it was "which product?")."""
    names = ", ".join(r["name"] for r in store.items(ctx.conn, order))
    return result(ctx, order, say("companion_wants", ctx.lang, names=names), "booking_companion", [])


def companion_answer(ctx: Context, order: dict[str, Any], text: str, norm: str) -> FlowResult | None:
    """The answer to `companion_asked` (a draft booking): "the same" is each service once more for each one coming
    along; "pedicure" is that service for them. None when it is neither (a question, something not sold)."""
    others = (party.only_people(ctx.said_before()) or 2) - 1
    if party.same_said(text):
        return companion_joins(ctx, order, others)
    said = text if others == 1 or party.size(norm) else f"{text} kwa watu {others}"
    if "?" in text or (joined := add_lines(ctx, said, order, booking=True)) is None or joined.order is None \
            or joined.intent == "not_sold":
        return None
    return joined


def whatsapp_cart(conn: psycopg.Connection, business: dict[str, Any], conv: dict[str, Any], payload: dict[str, Any],
                  lang: str) -> FlowResult:
    """A cart sent from the shop's WhatsApp catalogue (`type: order`): items by retailer id, prices from
    the database (never the payload's `item_price`), then the usual summary and confirmation."""
    ctx = Context(conn, business, conv, lang, None, [])
    order_part = payload.get("order") if isinstance(payload.get("order"), dict) else {}
    raw_items = order_part.get("product_items") if isinstance(order_part.get("product_items"), list) else []
    wanted: dict[str, Decimal] = {}
    unknown = 0
    for item in raw_items:
        rid = item.get("product_retailer_id") if isinstance(item, dict) else None
        try:
            qty = Decimal(str(item.get("quantity", 1)))
        except (ArithmeticError, ValueError, AttributeError):
            qty = Decimal(0)
        if not isinstance(rid, str) or not rid.strip():
            unknown += 1
            continue
        wanted[rid.strip()[:100]] = wanted.get(rid.strip()[:100], Decimal(0)) + qty
    rows = conn.execute("SELECT * FROM products WHERE business_id = %s AND retailer_id = ANY(%s)",
                        (str(business["id"]), list(wanted))).fetchall() if wanted else []
    by_rid = {r["retailer_id"]: r for r in rows}
    unknown += sum(1 for rid in wanted if rid not in by_rid)
    problems = [say("wa_cart_unknown", lang, count=unknown)] if unknown else []
    order = store.open_cart(conn, business["id"], conv["id"])
    if order is not None:
        conn.execute("DELETE FROM order_items WHERE order_id = %s", (order["id"],))
    hits: list[Hit] = []
    for rid, qty in wanted.items():
        product = by_rid.get(rid)
        if product is None:
            continue
        hits.append(hit_of(product))
        if qty <= 0 or qty > MAX_LINE_QUANTITY:
            problems.append(say("qty_zero" if qty <= 0 else "qty_absurd", lang, name=product["name"], qty=qty_text(qty)))
            continue
        if not product["is_available"] or product.get("stock") == 0:
            problems.append(say("sold_out", lang, name=product["name"]))
            continue
        order = order or store.create_cart(conn, business["id"], conv["id"], source="whatsapp_cart")
        problem = stock_line(ctx, order, Line(product, qty, hit_of(product)), add=False)
        if problem:
            problems.append(problem)
    if order is None or not store.items(conn, order):
        return result(ctx, None, " ".join(problems) or say("cart_empty", lang), "order_problem", hits, None, 0.8)
    conn.execute("UPDATE orders SET source = 'whatsapp_cart' WHERE id = %s AND source = 'chat'", (order["id"],))
    note = order_part.get("text")
    if isinstance(note, str) and note.strip():
        store.set_fields(conn, order, customer_note=note.strip()[:1000])
    order = store.get_order(conn, business["id"], order["id"])
    text = "\n".join(problems + [summary(conn, order, lang), say("ask_confirm", lang)])
    return result(ctx, order, text, "order", hits)
