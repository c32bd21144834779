"""Grounded reply text in the customer's language (SHENG / SWA / ENG) and the shop's tone.

Tones: `mtaa` (street, Sheng-friendly), `rafiki` (warm), `kazi` (crisp, professional), `sana` (very
polite, formal). Every product name, price and availability comes from the retrieved rows; prices are
written `KES 1,450`. `grounding_problems` checks a text against the rows (used for LLM polish and tests).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from mtaabot.messages import catalogue
from mtaabot.retrieval import Hit
from mtaabot.vocabulary import words

LANGS = ("SHENG", "SWA", "ENG")
TONES = ("mtaa", "rafiki", "kazi", "sana")


def amount(value: Decimal) -> str:
    """A customer's budget as written back to them: 2,000 (no currency, so never mistaken for a price)."""
    return f"{int(value):,}" if value == value.to_integral_value() else f"{value:,.2f}"


def format_price(price: Decimal | float | int, currency: str = "KES") -> str:
    value = Decimal(str(price))
    if value == value.to_integral_value():
        return f"{currency or 'KES'} {int(value):,}"
    return f"{currency or 'KES'} {value:,.2f}"


_PRICE_RE = re.compile(r"\bKES (\d{1,3}(?:,\d{3})*(?:\.\d{2})?)\b")


def prices_in(text: str) -> list[Decimal]:
    return [Decimal(m.replace(",", "")) for m in _PRICE_RE.findall(text)]


def grounding_problems(text: str, products: Sequence[Hit | dict[str, Any]], known_names: Sequence[str] = ()) -> list[str]:
    """Reasons the text is not grounded in `products` (empty list = grounded).

    Every price must be one of the products' prices; every catalogue name mentioned must be one of them.
    """
    allowed = {Decimal(str(p.price if isinstance(p, Hit) else p["price"])) for p in products}
    names = {(p.name if isinstance(p, Hit) else p["name"]) for p in products}
    problems = [f"price {v} is not a catalogue price here" for v in prices_in(text) if v not in allowed]
    problems += [f"mentions {n!r} which was not retrieved" for n in known_names if n in text and n not in names]
    if "KES" in text.replace("KES ", "") or re.search(r"\b(?:ksh|kshs|shs?)\.? ?\d", text, re.I):
        problems.append("price not in the KES 1,450 format")
    return problems


# Every text comes from the message catalogue (mtaabot/data/messages.toml), reviewed there, not here.
_TEXTS = catalogue()
OPEN: dict[str, dict[str, str]] = _TEXTS["open"]
CLOSE_OFFER: dict[str, dict[str, str]] = _TEXTS["close_offer"]
CLOSE_SOFT: dict[str, dict[str, str]] = _TEXTS["close_soft"]
CLOSE_BOOK: dict[str, dict[str, str]] = _TEXTS["close_book"]
BODY: dict[str, dict[str, str]] = _TEXTS["reply"]
SANA_SHENG: dict[str, str] = _TEXTS["tone_words"]["sana_sheng"]
MTAA_ENG: dict[str, str] = _TEXTS["tone_words"]["mtaa_eng"]
# Where a tone needs its own words, not just another opener/closer: (tone, language, move) -> text.
TONE_BODY: dict[tuple[str, str, str], str] = {
    (tone, lang, move): text
    for tone, by_lang in _TEXTS["tone_reply"].items() for lang, moves in by_lang.items() for move, text in moves.items()
}


_SIZE_RE = re.compile(r"\bsizes? (\w+(?:\.\d+)? to \w+|\d+\s*-\s*\d+|[SMLX]{1,3}\s*-\s*[SMLX]{1,3})", re.I)


def sizes_of(hit: Hit) -> str | None:
    """Sizes from metadata (`sizes`) or the description ("sizes 30 to 38")."""
    meta = hit.metadata or {}
    if meta.get("sizes"):
        return str(meta["sizes"])
    m = _SIZE_RE.search(hit.description or "")
    return m.group(1) if m else None


def described_words(name: str, description: str | None, metadata: Any) -> set[str]:
    """Every word a product's name, description and metadata say ("white" of the Air Force 1 White)."""
    meta = json.dumps(metadata) if isinstance(metadata, dict) else metadata or ""
    return set(words(f"{name} {description or ''} {meta}"))


_RANGE = re.compile(r"^\s*(\d{1,2}(?:\.\d)?)\s*(?:-|–|to)\s*(\d{1,2}(?:\.\d)?)\s*$", re.I)


def size_range(hit: Hit) -> tuple[Decimal, Decimal] | None:
    """The product's numbered size range ("38-45", "sizes 28 to 39"), None when the catalogue gives none."""
    m = _RANGE.match(sizes_of(hit) or "")
    return (Decimal(m.group(1)), Decimal(m.group(2))) if m else None


def fits_size(hit: Hit, size: Decimal) -> bool | None:
    """Whether a numbered size ("size 42") is within the product's size range and not one the owner marked out
    (`sizes_out`, owners.sizes_out); None when there is no range."""
    out = (hit.metadata or {}).get("sizes_out") or []
    if any(Decimal(str(s)) == size for s in out):
        return False
    span = size_range(hit)
    return span[0] <= size <= span[1] if span else None


def sizes_on_sale(hit: Hit) -> str | None:
    """The sizes a customer can have: the range, or, with sizes the owner marked out, the whole sizes left one by one
    ("38, 39, 40, 41, 43, 45": "tuko na size 38-45" said of a size 42 that was out; customer test s30)."""
    out = {Decimal(str(s)) for s in (hit.metadata or {}).get("sizes_out") or []}
    span = size_range(hit)
    if not out or span is None or span[1] - span[0] > 15 or span[0] != span[0].to_integral_value():
        return sizes_of(hit)
    left = [str(n) for n in range(int(span[0]), int(span[1]) + 1) if Decimal(n) not in out]
    return ", ".join(left) or sizes_of(hit)


def _clean(text: str) -> str:
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


class ReplyBuilder:
    """Builds the reply for one business tone and one customer language."""

    def __init__(self, *, language: str, tone: str, business: dict[str, Any], first_turn: bool = True) -> None:
        self.first_turn = first_turn  # a greeting opens a conversation, not every reply in it
        self.lang = language if language in LANGS else "SWA"
        self.tone = tone if tone in TONES else "rafiki"
        self.business = business
        self.shop = business.get("name") or "duka letu"

    def _body(self, key: str, **fields: Any) -> str:
        template = TONE_BODY.get((self.tone, self.lang, key)) or BODY[key][self.lang]
        # Tone words change the template, never the names and prices filled into it ("Urbana" stays "Urbana").
        if self.tone == "sana" and self.lang == "SHENG":
            for a, b in SANA_SHENG.items():
                template = template.replace(a, b)
        if self.tone == "mtaa" and self.lang == "ENG":
            for a, b in MTAA_ENG.items():
                template = template.replace(a, b)
        return template.format(shop=self.shop, **fields)

    def _wrap(self, body: str, *, opener: bool = True, close: str | None = "soft") -> str:
        text = " ".join(p for p in (OPEN[self.tone][self.lang] if opener and self.first_turn else "", body) if p)
        closing = {"offer": CLOSE_OFFER, "soft": CLOSE_SOFT, "book": CLOSE_BOOK}.get(close or "", {}).get(
            self.tone, {}).get(self.lang, "")
        if closing:
            text += ("\n" if "\n" in body else " ") + closing
        return _clean(text)

    # Conversation moves -------------------------------------------------------------------------
    def greeting(self) -> str:
        return self._wrap(self._body("greeting"), opener=self.tone != "sana", close=None)

    def thanks(self) -> str:
        return self._wrap(self._body("thanks"), opener=False)

    def wishes(self, season: bool) -> str:
        """Good wishes back ("Merry Christmas!", "usiku mwema", "God bless you")."""
        return self._wrap(self._body("season" if season else "wishes"), opener=False)

    def ack(self) -> str:
        return self._wrap(self._body("ack"), opener=False)

    def hours(self) -> str:
        hours = self.business.get("opening_hours")
        body = self._body("hours", hours=hours) if hours else self._body("hours_unknown")
        location = self.business.get("location")
        if location:
            body += " " + self._body("location", location=location)
        return self._wrap(body, opener=self.tone == "sana", close="soft")

    def hours_on(self, day: str, times: str | None) -> str:
        """Whether the shop is open on the day asked ("mko open jumapili?"): closed that day, or its hours then."""
        hours = self.business.get("opening_hours") or ""
        body = self._body("open_on", day=day, times=times) if times else self._body("closed_on", day=day, hours=hours)
        return self._wrap(body, opener=self.tone == "sana", close="soft")

    def location(self) -> str:
        location = self.business.get("location")
        body = self._body("location", location=location) if location else self._body("location_unknown")
        hours = self.business.get("opening_hours")
        if hours:
            body += " " + self._body("hours", hours=hours)
        return self._wrap(body, opener=self.tone == "sana", close="soft")

    def handover(self, reason: str) -> str:
        key = "handover_complaint" if reason in {"complaint", "angry"} else "handover"
        return self._wrap(self._body(key), opener=False, close=None)

    def unknown(self) -> str:
        return self._wrap(self._body("unknown"), opener=False, close=None)

    def clarify(self) -> str:
        return self._wrap(self._body("clarify"), opener=False, close=None)

    def _subject(self, hit: Hit | list[Hit] | None) -> str:
        """The listed price of what is haggled over (of each thing, when the message asked several prices)."""
        hits = hit if isinstance(hit, list) else [hit] if hit is not None else []
        return "".join(self._body("discount_subject", name=h.name, price=format_price(h.price, h.currency)) + " "
                       for h in hits)

    def discount(self, hit: Hit | list[Hit] | None = None) -> str:
        return self._wrap(self._subject(hit) + self._body("discount"), opener=False, close=None)

    def discount_fixed(self, hit: Hit | list[Hit] | None = None) -> str:
        return self._wrap(self._subject(hit) + self._body("discount_fixed"), opener=False, close=None)

    def discount_offer(self, hit: Hit, offer: Decimal) -> str:
        body = self._body("discount_offer", name=hit.name, price=format_price(hit.price, hit.currency),
                          offer=format_price(offer, hit.currency))
        return self._wrap(body, opener=False, close="offer")

    def delivery(self) -> str:
        return self._wrap(self._body("delivery"), opener=False, close=None)

    def payment_methods(self, payee: str | None, prompts: bool = False) -> str:
        body = self._body("payment_methods", payee=payee) if payee else self._body("payment_methods_unset")
        if payee and prompts:
            body += " " + self._body("payment_prompt_note")
        return self._wrap(body, opener=False, close=None)

    def scam_warning(self, payee: str | None) -> str:
        """Someone claiming to be the shop asked for money: where the shop really takes it, said at once."""
        return self._body("scam_warning", payee=payee) if payee else self._body("scam_warning_unset")

    def paid_no_order(self, paid: Decimal | None) -> str:
        """A payment claimed with no order for this number: none was found, and the owner checks M-Pesa (`paid`:
        the amount the customer said, written back as an amount, not as a price)."""
        said = self._body("paid_amount", amount=amount(paid)) if paid is not None else ""
        return self._wrap(self._body("paid_no_order", amount=said), opener=False, close=None)

    def payment(self) -> str:
        return self._wrap(self._body("payment"), opener=False, close=None)

    def not_sold(self, examples: Sequence[str] = (), *, work: bool = False, examples_work: bool | None = None) -> str:
        """Not sold here, with a few things the shop has; `work`: a service asked of a shop that mostly does work
        (a salon does not "sell" dreadlocks); `examples_work`: the examples are services (default: as `work`), so
        a phone shop asked for a repair it does not do offers its repairs, or says what it sells."""
        body = self._body("not_done" if work else "not_sold")
        if examples:
            hint = "not_done_hint" if (work if examples_work is None else examples_work) else "not_sold_hint"
            body += " " + self._body(hint, examples=", ".join(examples[:3]))
        return self._wrap(body, opener=self.tone in {"mtaa", "sana"}, close="soft")

    def price_list(self, hits: Sequence[Hit]) -> str:
        lines = [self._line(h) for h in hits]
        return self._wrap(self._body("price_list") + "\n" + "\n".join(lines), close=self._offer(hits))

    @staticmethod
    def _offer(hits: Sequence[Hit]) -> str:
        """The closing offer: a booking when everything shown is a service, else setting one aside / ordering."""
        return "book" if hits and all(h.is_service for h in hits) else "offer"

    def _line(self, hit: Hit) -> str:
        na = "" if hit.is_available else BODY["line_na"][self.lang]
        return BODY["line"][self.lang].format(name=hit.name, price=format_price(hit.price, hit.currency), na=na)

    def products(self, hits: Sequence[Hit], *, ask_sizes: bool = False) -> str:
        """Answer about retrieved products: price/availability and sizes (an order is the order flow's)."""
        top = hits[0]
        price = format_price(top.price, top.currency)
        available = [h for h in hits if h.is_available]
        if not top.is_available:
            body = self._body("unavailable", name=top.name, price=price)
            alt = next((h for h in available if h.id != top.id), None)
            if alt:
                body += " " + self._body("unavailable_alt", name=alt.name, price=format_price(alt.price, alt.currency))
            return self._wrap(body, opener=self.tone != "kazi", close="soft")
        if len(hits) == 1:
            body = self._body("found", name=top.name, price=price)
            if sizes := sizes_of(top):
                body += " " + self._body("sizes", sizes=sizes)
        else:  # each line its own sizes: the Superstar's 39-44 is not the AF1's 38-45
            body = self._body("found_many") + "\n" + "\n".join(
                self._line(h) + (f" ({r})" if ask_sizes and (r := sizes_of(h)) else "") for h in hits)
        return self._wrap(body, opener=self.tone != "kazi", close=self._offer(hits))

    def products_and_facts(self, hits: Sequence[Hit], about: Hit, facts: str) -> str:
        """Several things priced, and a detail asked of one of them ("Ni ngapi box braids na knotless? Na mnatumia
        extensions zenu?"): each price, then the detail."""
        body = self._body("found_many") + "\n" + "\n".join(self._line(h) for h in hits) + "\n" + self._body(
            "about_product", name=about.name, facts=facts)
        return self._wrap(body, opener=self.tone != "kazi", close=self._offer(hits))

    def compared(self, hits: Sequence[Hit]) -> str:
        """"Unga ya Ajab na Jogoo, tofauti ni gani?": each one, its price and what the catalogue says it is, side by
        side (it was the two prices only)."""
        body = self._body("found_many") + "\n" + "\n".join(
            self._line(h) + (f" ({h.description.strip().rstrip('.')})" if h.description else "") for h in hits)
        return self._wrap(body, opener=False, close=self._offer(hits))

    def products_together(self, hits: Sequence[Hit]) -> str:
        """"how much both?", "zote mbili ni ngapi jumla": each one shown, and what they come to together."""
        body = self._body("found_many") + "\n" + "\n".join(
            self._line(h) + (f" ({r})" if (r := sizes_of(h)) else "") for h in hits) + "\n" + self._body(
            "together", total=format_price(sum((h.price for h in hits), Decimal(0)), hits[0].currency))
        return self._wrap(body, opener=False, close=self._offer(hits))

    def price_for(self, hit: Hit, count: Decimal) -> str:
        """What a number of the product just shown comes to ("how much for two?")."""
        body = self._body("price_for", count=f"{count.normalize():f}", name=hit.name,
                          total=format_price(hit.price * count, hit.currency), price=format_price(hit.price, hit.currency))
        return self._wrap(body, opener=False, close=self._offer([hit]))

    def outside_range(self, hits: Sequence[Hit], budget: tuple[Decimal | None, Decimal | None] | None) -> str:
        """Nothing in the customer's price range: say so, and what the nearest option costs."""
        low, high = budget or (None, None)
        if low is not None and high is not None:
            span = BODY["range_between"][self.lang].format(low=amount(low), high=amount(high))
        elif high is not None:
            span = BODY["range_below"][self.lang].format(high=amount(high))
        else:
            span = BODY["range_above"][self.lang].format(low=amount(low))
        body = self._body("outside_range", span=span) + "\n" + "\n".join(self._line(h) for h in hits)
        return self._wrap(body, opener=False, close="offer")

    def not_in_size(self, sizes: Sequence[Hit], *, sized: bool = False) -> str:
        """The size asked for is not sold; the sizes of that kind there are (`sized`: each line says its range,
        for sizes that are not in the product's name)."""
        lines = [self._line(h) + (f" ({r})" if sized and (r := sizes_of(h)) else "") for h in sizes[:4]]
        body = self._body("not_in_size") + "\n" + "\n".join(lines)
        return self._wrap(body, opener=False, close=self._offer(sizes))

    def owner_told(self) -> str:
        """Answering again in a chat handed to an owner who has not replied yet: the owner was told and will."""
        return self._wrap(self._body("owner_told"), opener=False, close=None)

    def handover_policy(self) -> str:
        """A question about the shop's own rules (exchanges, returns, warranty): the owner answers it."""
        return self._wrap(self._body("handover_policy"), opener=False, close=None)

    def book_which(self, services: Sequence[Hit]) -> str:
        """A booking that named no service: which one, with the services there are."""
        body = self._body("book_which") + "\n" + "\n".join(self._line(h) for h in services)
        return self._wrap(body + "\n" + self._body("book_which_close"), opener=False, close=None)

    def buy_which(self, hits: Sequence[Hit]) -> str:
        """An order naming a kind of thing several products are ("nataka simu"): which one, with their prices."""
        body = self._body("buy_which") + "\n" + "\n".join(self._line(h) for h in hits)
        return self._wrap(body + "\n" + self._body("buy_which_close"), opener=False, close=None)

    def none_in_colour(self, hits: Sequence[Hit], colour: str) -> str:
        """Nothing of what was asked for comes in the colour named; what there is of it."""
        body = self._body("none_in_colour", colour=colour) + "\n" + "\n".join(self._line(h) for h in hits[:4])
        return self._wrap(body, opener=False, close=self._offer(hits))

    def colour_unlisted(self, hits: Sequence[Hit], colour: str) -> str:
        """The product and its price, and that its colours are not listed: the colour asked for goes with the order
        and the owner confirms it (never "not in black" when the catalogue does not say)."""
        body = "\n".join(self._line(h) for h in hits[:1]) + "\n" + self._body("colour_unlisted", colour=colour)
        return self._wrap(body, opener=False, close=self._offer(hits[:1]))

    def not_in_colour(self, last: Hit, colour: str, instead: Sequence[Hit]) -> str:
        """The product asked about again in a colour it does not come in, and what the shop has in that colour."""
        body = self._body("not_in_colour", name=last.name, colour=colour)
        if instead:
            body += " " + self._body("in_colour_instead", colour=colour) + "\n" + "\n".join(
                self._line(h) for h in instead)
        return self._wrap(body, opener=False, close="offer" if instead else "soft")

    def extreme(self, ranked: Sequence[Hit], extreme: str) -> str:
        """The cheapest (or dearest) of what the customer asked about, then the next ones in price order."""
        top = ranked[0]
        body = self._body("cheapest" if extreme == "low" else "dearest", name=top.name,
                          price=format_price(top.price, top.currency))
        if len(ranked) > 1:
            body += "\n" + self._body("others_by_price") + "\n" + "\n".join(self._line(h) for h in ranked[1:])
        return self._wrap(body, opener=False, close=self._offer(ranked))

    def about(self, hit: Hit, facts: str, *, priced: bool = False) -> str:
        """What the catalogue says of the detail asked; with the price when that was asked too ("Screen replacement
        for Samsung A14 ni ngapi?" got the description alone)."""
        if not hit.is_available:  # "timberland je? size 42" of boots sold out: the sizes and "want it?" read as in stock
            body = self._body("about_product", name=hit.name, facts=facts) + " " + self._body(
                "unavailable", name=hit.name, price=format_price(hit.price, hit.currency))
            return self._wrap(body, opener=False, close="soft")
        key, price = ("about_product_priced", format_price(hit.price, hit.currency)) if priced else ("about_product", "")
        return self._wrap(self._body(key, name=hit.name, facts=facts, price=price), opener=False,
                          close=self._offer([hit]))

    def only_measure(self, hit: Hit, have: str) -> str:
        """The measure asked is not the one the product comes in ("inchi 22?" of an 18 inch wig)."""
        return self._wrap(self._body("only_measure", name=hit.name, have=have), opener=False,
                          close=self._offer([hit]))

    def question_with_owner(self) -> str:
        return self._wrap(self._body("question_with_owner"), opener=False, close=None)

    def uk_size(self, hit: Hit, uk: Decimal, eu: Decimal) -> str:
        """A UK size asked of shoes sized the European way ("official shoes size 9?": "we don't have that size")."""
        return self._wrap(self._body("uk_size", name=hit.name, uk=f"{uk:f}", eu=f"{eu:f}",
                                     price=format_price(hit.price, hit.currency)), opener=False, close=None)

    def duration(self, hit: Hit, duration: str, *, priced: bool = False) -> str:
        """How long the service takes; with its price when that was asked too ("ni pesa ngapi na inachukua muda
        gani?" got only the time)."""
        if priced:
            return self._wrap(self._body("duration_priced", name=hit.name, duration=duration,
                                         price=format_price(hit.price, hit.currency)), opener=False, close="book")
        return self._wrap(self._body("duration", name=hit.name, duration=duration), opener=False, close="book")

    def restock(self, hit: Hit) -> str:
        """When an item out of stock is back: the owner is asked."""
        return self._wrap(self._body("restock", name=hit.name), opener=False, close=None)

    def make_not_listed(self, hit: Hit, make: str) -> str:
        """A product listed for some phone makes, asked of another: the owner says whether and at what price."""
        from mtaabot.product_questions import listed_makes, make_name

        return self._wrap(self._body("make_not_listed", name=hit.name, listed=listed_makes(hit),
                                     make=make_name(make)), opener=False, close=None)

    def price_on(self, hit: Hit, planned: dict[str, Any] | None) -> str:
        """Today's price, and the one the owner planned for the day asked about (or that none is planned)."""
        from mtaabot.owners.prices import day_name

        now = format_price(hit.price, hit.currency)
        body = self._body("price_planned", name=hit.name, price=now, later=format_price(planned["price"]),
                          day=day_name(planned["starts_on"], "ENG" if self.lang == "ENG" else "SWA")) if planned \
            else self._body("price_unplanned", name=hit.name, price=now)
        return self._wrap(body, opener=False, close=self._offer([hit]))

    def hold_when_back(self, hit: Hit) -> str:
        """"keep one for me when they are back": the owner is asked to hold one and tell the customer."""
        return self._wrap(self._body("hold_when_back", name=hit.name), opener=False, close=None)

    def photo_asked(self, hit: Hit) -> str:
        """"nitumie picha za block heels": its price, and the owner asked to send photos."""
        return self._wrap(self._body("photo_asked", name=hit.name, price=format_price(hit.price)), opener=False,
                          close=None)

    def handover_detail(self, hit: Hit) -> str:
        return self._wrap(self._body("handover_detail", name=hit.name), opener=False, close=None)

    def ready_asked(self) -> str:
        """"simu yangu iko tayari?" from a number with no order: the owner is asked (a repair is left in person)."""
        return self._wrap(self._body("ready_asked"), opener=False, close=None)

    def order_nothing(self) -> str:
        return self._wrap(self._body("order_nothing"), opener=False, close=None)
