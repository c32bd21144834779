"""Grounded reply text in the customer's language (SHENG / SWA / ENG) and the shop's tone.

Tones: `mtaa` (street, Sheng-friendly), `rafiki` (warm), `kazi` (crisp, professional), `sana` (very
polite, formal). Every product name, price and availability comes from the retrieved rows; prices are
written `KES 1,450`. `grounding_problems` checks a text against the rows (used for LLM polish and tests).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from mtaabot.retrieval import Hit

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


# Openers / closers per tone and language. {shop} is the business name.
OPEN: dict[str, dict[str, str]] = {
    "mtaa": {"SHENG": "Niaje msee!", "SWA": "Mambo vipi!", "ENG": "Hey boss!"},
    "rafiki": {"SHENG": "Sasa rafiki!", "SWA": "Habari rafiki!", "ENG": "Hi friend!"},
    "kazi": {"SHENG": "", "SWA": "", "ENG": ""},
    "sana": {"SHENG": "Karibu sana mkubwa.", "SWA": "Habari yako, karibu sana.", "ENG": "Good day, and thank you for contacting us."},
}
CLOSE_OFFER: dict[str, dict[str, str]] = {
    "mtaa": {"SHENG": "Ukitaka, nishow tu nikuwekee.", "SWA": "Ukitaka, niambie nikuwekee.",
             "ENG": "Want it? Just say and I'll set it aside."},
    "rafiki": {"SHENG": "Ukitaka nikuwekee, niambie tu!", "SWA": "Ukipenda nikuwekee, niambie tu!",
               "ENG": "Would you like me to keep one for you?"},
    "kazi": {"SHENG": "Jibu na idadi ukitaka ku-order.", "SWA": "Jibu na idadi ili kuagiza.",
             "ENG": "Reply with the quantity to order."},
    "sana": {"SHENG": "Tafadhali tujulishe kama ungependa ku-order.", "SWA": "Tafadhali tujulishe ikiwa ungependa kuagiza.",
             "ENG": "Kindly let us know if you would like to place an order."},
}
CLOSE_SOFT: dict[str, dict[str, str]] = {
    "mtaa": {"SHENG": "Uliza chochote, niko hapa.", "SWA": "Uliza chochote, niko hapa.", "ENG": "Ask me anything."},
    "rafiki": {"SHENG": "Niko hapa ukihitaji kitu!", "SWA": "Niko hapa ukihitaji chochote!", "ENG": "I'm here if you need anything!"},
    "kazi": {"SHENG": "", "SWA": "", "ENG": ""},
    "sana": {"SHENG": "Tuko hapa kukuhudumia.", "SWA": "Tuko tayari kukuhudumia wakati wowote.",
             "ENG": "We remain at your service."},
}

BODY: dict[str, dict[str, str]] = {
    "greeting": {
        "SHENG": "Karibu {shop}. Unatafuta nini leo? Niulize bei ama kama kitu iko.",
        "SWA": "Karibu {shop}. Ungependa nini leo? Niulize bei au kama bidhaa inapatikana.",
        "ENG": "Welcome to {shop}. What are you looking for today? Ask me for a price or whether something is in stock.",
    },
    "thanks": {
        "SHENG": "Ni sisi bana, asante kwa kushop na {shop}.",
        "SWA": "Karibu sana, asante kwa kuchagua {shop}.",
        "ENG": "You're welcome, thank you for choosing {shop}.",
    },
    "ack": {
        "SHENG": "Poa, tuko pamoja.",
        "SWA": "Sawa, karibu tena.",
        "ENG": "Noted, thank you.",
    },
    "hours": {
        "SHENG": "Tuko open {hours}.",
        "SWA": "Tunafungua {hours}.",
        "ENG": "We are open {hours}.",
    },
    "hours_unknown": {
        "SHENG": "Saa za kufungua sina hapa sahii, mwenye duka atakujibu.",
        "SWA": "Sina saa za kufungua kwa sasa; mwenye duka atakujibu.",
        "ENG": "I don't have our opening hours to hand; the owner will reply to you.",
    },
    "location": {
        "SHENG": "Tuko {location}. Ukifika, nishow tu.",
        "SWA": "Tunapatikana {location}.",
        "ENG": "You can find us at {location}.",
    },
    "location_unknown": {
        "SHENG": "Location kamili mwenye duka atakutumia.",
        "SWA": "Mwenye duka atakutumia mahali halisi tulipo.",
        "ENG": "The owner will send you our exact location.",
    },
    "found": {
        "SHENG": "{name} iko, ni {price}.",
        "SWA": "{name} inapatikana kwa {price}.",
        "ENG": "{name} is available at {price}.",
    },
    "found_many": {
        "SHENG": "Hizi ndizo ziko:",
        "SWA": "Tuna hizi:",
        "ENG": "Here is what we have:",
    },
    "line": {"SHENG": "• {name}: {price}{na}", "SWA": "• {name}: {price}{na}", "ENG": "• {name}: {price}{na}"},
    "line_na": {"SHENG": " (imeisha kwa sasa)", "SWA": " (haipo kwa sasa)", "ENG": " (out of stock)"},
    "unavailable": {
        "SHENG": "Pole, {name} imeisha kwa sasa (bei huwa {price}).",
        "SWA": "Samahani, {name} haipatikani kwa sasa (bei yake ni {price}).",
        "ENG": "Sorry, {name} is out of stock right now (usual price {price}).",
    },
    "unavailable_alt": {
        "SHENG": "Lakini {name} iko, ni {price}.",
        "SWA": "Lakini {name} inapatikana kwa {price}.",
        "ENG": "We do have {name} at {price}.",
    },
    "not_sold": {
        "SHENG": "Pole, hiyo hatuuzi hapa {shop}.",
        "SWA": "Samahani, hatuuzi bidhaa hiyo hapa {shop}.",
        "ENG": "Sorry, we don't sell that at {shop}.",
    },
    "not_sold_hint": {
        "SHENG": "Tuko na vitu kama {examples}.",
        "SWA": "Tunauza vitu kama {examples}.",
        "ENG": "We do sell things like {examples}.",
    },
    "order": {
        "SHENG": "Poa, nimeshika order ya {name} ({price}). Mwenye duka atakuconfirm delivery na malipo.",
        "SWA": "Sawa, nimepokea oda ya {name} ({price}). Mwenye duka atathibitisha uletaji na malipo.",
        "ENG": "Got it: an order for {name} ({price}). The owner will confirm delivery and payment with you.",
    },
    "discount_fixed": {
        "SHENG": "Pole, bei zetu ni fixed, ndio bei poa zaidi tunaweza.",
        "SWA": "Samahani, bei zetu ni za mwisho; ndizo bei nafuu tunazoweza kutoa.",
        "ENG": "Sorry, our prices are fixed; they are already the best we can do.",
    },
    "discount_offer": {
        "SHENG": "Sawa, {name} ni {price} lakini nakuwachia {offer} leo.",
        "SWA": "Sawa, {name} ni {price}, lakini tunaweza kukupa kwa {offer} leo.",
        "ENG": "OK: {name} is {price}, but we can do {offer} for you today.",
    },
    "outside_range": {
        "SHENG": "Pole, hatuna kitu kama hiyo {span}. Ya karibu ni:",
        "SWA": "Samahani, hatuna bidhaa hiyo {span}. Iliyo karibu zaidi ni:",
        "ENG": "Sorry, we have nothing like that {span}. The closest we have:",
    },
    "range_below": {"SHENG": "chini ya {high} bob", "SWA": "chini ya shilingi {high}", "ENG": "under {high} shillings"},
    "range_above": {"SHENG": "juu ya {low} bob", "SWA": "zaidi ya shilingi {low}", "ENG": "over {low} shillings"},
    "range_between": {"SHENG": "kati ya {low} na {high} bob", "SWA": "kati ya shilingi {low} na {high}",
                      "ENG": "between {low} and {high} shillings"},
    "order_nothing": {
        "SHENG": "Poa! Niambie unataka nini na ngapi, nikuandalie.",
        "SWA": "Sawa! Niambie ungependa bidhaa gani na kiasi gani.",
        "ENG": "Sure! Tell me which item and how many you would like.",
    },
    "payment": {
        "SHENG": "Poa, mwenye duka ata-confirm malipo yako akiona message ya M-Pesa.",
        "SWA": "Asante, mwenye duka atathibitisha malipo yako akipokea ujumbe wa M-Pesa.",
        "ENG": "Thank you, the owner will confirm your payment once the M-Pesa message comes through.",
    },
    "price_list": {
        "SHENG": "Hizi ni bei zetu:",
        "SWA": "Hizi ni bei zetu:",
        "ENG": "Here are our prices:",
    },
    "handover": {
        "SHENG": "Poa, nimekuunganisha na mwenye duka, atakujibu hapa hivi karibuni.",
        "SWA": "Sawa, nimemjulisha mwenye duka; atakujibu hapa hivi punde.",
        "ENG": "I've passed this to the owner, who will reply to you here shortly.",
    },
    "handover_complaint": {
        "SHENG": "Pole sana kwa hiyo shida. Nimemwambia mwenye duka, atakujibu hapa hivi karibuni.",
        "SWA": "Pole sana kwa usumbufu. Nimemjulisha mwenye duka; atakujibu hapa hivi punde.",
        "ENG": "I'm sorry about this. I've told the owner, who will reply to you here shortly.",
    },
    "unknown": {
        "SHENG": "Sijakuelewa poa. Uliza bei ama kitu unatafuta.",
        "SWA": "Samahani, sijaelewa vizuri. Unaweza kuuliza bei au bidhaa unayotafuta.",
        "ENG": "Sorry, I didn't quite get that. You can ask for a price or the item you're looking for.",
    },
    "sizes": {"SHENG": "Size: {sizes}.", "SWA": "Saizi: {sizes}.", "ENG": "Sizes: {sizes}."},
    "clarify": {
        "SHENG": "Unauliza bei ya kitu gani? Niambie jina lake nikucheki.",
        "SWA": "Ungependa kujua bei ya bidhaa gani? Niambie jina lake.",
        "ENG": "Which item would you like the price of? Tell me its name and I'll check.",
    },
    "discount": {
        "SHENG": "Bei zetu ni kama ziko kwa list, lakini nimemwambia mwenye duka aone kama kuna punguzo.",
        "SWA": "Bei zetu ni kama zilivyoorodheshwa; nimemjulisha mwenye duka kuhusu ombi lako la punguzo.",
        "ENG": "Our prices are as listed, but I've passed your request for a better price to the owner.",
    },
}
# The formal tone avoids street words even for Sheng customers; the street tone leans into them.
SANA_SHENG = {"Poa, ": "Sawa, ", "Poa! ": "Sawa! ", "Sorry, ": "Samahani, ", "bana": "sana", "Pole, ": "Samahani, "}
MTAA_ENG = {"Sorry, ": "Pole, ", "Got it": "Sawa boss, got it"}

# Where a tone needs its own words, not just another opener/closer: (tone, language, move) -> text.
TONE_BODY: dict[tuple[str, str, str], str] = {
    ("mtaa", "SHENG", "handover"): "Sawa msee, nimeshtua mwenye duka, atakucheki hapa sahii.",
    ("mtaa", "SHENG", "handover_complaint"): "Pole sana msee. Nimeshtua mwenye duka, atakucheki hapa sahii.",
    ("mtaa", "SHENG", "greeting"): "Karibu {shop}. Unataka nini leo? Uliza bei ama kama kitu iko.",
    ("mtaa", "ENG", "handover"): "Sawa boss, I've called the owner in. They'll reply to you here shortly.",
    ("rafiki", "SWA", "handover"): "Sawa rafiki, nimemwita mwenye duka; atakujibu hapa hivi punde.",
    ("rafiki", "ENG", "handover"): "No problem! I've let the owner know, and they'll reply to you here shortly.",
    ("rafiki", "SHENG", "handover"): "Sawa rafiki, nimemwambia mwenye duka, atakujibu hapa soon.",
    ("kazi", "ENG", "handover"): "Noted. The owner has been notified and will reply here shortly.",
    ("kazi", "SWA", "handover"): "Imepokelewa. Mwenye duka amejulishwa na atajibu hapa hivi punde.",
    ("kazi", "SHENG", "handover"): "Sawa. Mwenye duka ameambiwa, atajibu hapa hivi karibuni.",
    ("kazi", "ENG", "thanks"): "You're welcome.",
    ("kazi", "SWA", "thanks"): "Karibu.",
    ("kazi", "SHENG", "thanks"): "Karibu, poa.",
    ("sana", "ENG", "handover"): "Thank you for your patience. I have informed the owner, who will personally respond to you here shortly.",
    ("sana", "ENG", "handover_complaint"): "We sincerely apologise for the inconvenience. I have informed the owner, who will personally respond to you here shortly.",
    ("sana", "SWA", "handover"): "Asante kwa subira yako. Nimemjulisha mwenye duka, naye atakujibu yeye binafsi hapa hivi punde.",
    ("sana", "SWA", "handover_complaint"): "Tunaomba radhi kwa usumbufu huu. Nimemjulisha mwenye duka, naye atakujibu yeye binafsi hapa hivi punde.",
    ("sana", "SHENG", "handover"): "Asante kwa subira. Nimemjulisha mwenye duka, atakujibu hapa hivi karibuni.",
    ("sana", "SHENG", "thanks"): "Asante sana kwa kuchagua {shop}, karibu tena.",
    ("sana", "SHENG", "hours"): "Tunafungua {hours}.",
    ("sana", "SHENG", "location"): "Tunapatikana {location}.",
    ("sana", "ENG", "greeting"): "Welcome to {shop}. Kindly let us know which item you are looking for and we will share the price and availability.",
    ("sana", "SWA", "greeting"): "Karibu {shop}. Tafadhali tujulishe bidhaa unayotafuta, nasi tutakupa bei na upatikanaji wake.",
    ("sana", "SHENG", "greeting"): "Karibu {shop}. Tafadhali tujulishe unachotafuta, tukupe bei na kama kiko.",
    ("sana", "ENG", "order"): "Thank you: we have noted your order for {name} ({price}). The owner will contact you to confirm delivery and payment.",
    ("sana", "SWA", "order"): "Asante: tumepokea oda yako ya {name} ({price}). Mwenye duka atawasiliana nawe kuthibitisha uletaji na malipo.",
    ("kazi", "ENG", "order"): "Order noted: {name} ({price}). The owner will confirm delivery and payment.",
    ("kazi", "SWA", "order"): "Oda imepokelewa: {name} ({price}). Mwenye duka atathibitisha uletaji na malipo.",
}

_SIZE_RE = re.compile(r"\bsizes? (\w+(?:\.\d+)? to \w+|\d+\s*-\s*\d+|[SMLX]{1,3}\s*-\s*[SMLX]{1,3})", re.I)


def sizes_of(hit: Hit) -> str | None:
    """Sizes from metadata (`sizes`) or the description ("sizes 30 to 38")."""
    meta = hit.metadata or {}
    if meta.get("sizes"):
        return str(meta["sizes"])
    m = _SIZE_RE.search(hit.description or "")
    return m.group(1) if m else None


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
        closing = {"offer": CLOSE_OFFER, "soft": CLOSE_SOFT}.get(close or "", {}).get(self.tone, {}).get(self.lang, "")
        if closing:
            text += ("\n" if "\n" in body else " ") + closing
        return _clean(text)

    # Conversation moves -------------------------------------------------------------------------
    def greeting(self) -> str:
        return self._wrap(self._body("greeting"), opener=self.tone != "sana", close=None)

    def thanks(self) -> str:
        return self._wrap(self._body("thanks"), opener=False)

    def ack(self) -> str:
        return self._wrap(self._body("ack"), opener=False)

    def hours(self) -> str:
        hours = self.business.get("opening_hours")
        body = self._body("hours", hours=hours) if hours else self._body("hours_unknown")
        location = self.business.get("location")
        if location:
            body += " " + self._body("location", location=location)
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

    def discount(self) -> str:
        return self._wrap(self._body("discount"), opener=False, close=None)

    def discount_fixed(self) -> str:
        return self._wrap(self._body("discount_fixed"), opener=False, close=None)

    def discount_offer(self, hit: Hit, offer: Decimal) -> str:
        body = self._body("discount_offer", name=hit.name, price=format_price(hit.price, hit.currency),
                          offer=format_price(offer, hit.currency))
        return self._wrap(body, opener=False, close="offer")

    def payment(self) -> str:
        return self._wrap(self._body("payment"), opener=False, close=None)

    def not_sold(self, examples: Sequence[str] = ()) -> str:
        body = self._body("not_sold")
        if examples:
            body += " " + self._body("not_sold_hint", examples=", ".join(examples[:3]))
        return self._wrap(body, opener=self.tone in {"mtaa", "sana"}, close="soft")

    def price_list(self, hits: Sequence[Hit]) -> str:
        lines = [self._line(h) for h in hits]
        return self._wrap(self._body("price_list") + "\n" + "\n".join(lines), close="offer")

    def _line(self, hit: Hit) -> str:
        na = "" if hit.is_available else BODY["line_na"][self.lang]
        return BODY["line"][self.lang].format(name=hit.name, price=format_price(hit.price, hit.currency), na=na)

    def products(self, hits: Sequence[Hit], *, ask_sizes: bool = False, order: bool = False) -> str:
        """Answer about retrieved products: price/availability, sizes, or an order note."""
        top = hits[0]
        price = format_price(top.price, top.currency)
        if order and top.is_available:
            body = self._body("order", name=top.name, price=price)
            return self._wrap(body, opener=False, close=None)
        available = [h for h in hits if h.is_available]
        if not top.is_available:
            body = self._body("unavailable", name=top.name, price=price)
            alt = next((h for h in available if h.id != top.id), None)
            if alt:
                body += " " + self._body("unavailable_alt", name=alt.name, price=format_price(alt.price, alt.currency))
            return self._wrap(body, opener=self.tone != "kazi", close="soft")
        if len(hits) == 1:
            body = self._body("found", name=top.name, price=price)
        else:
            body = self._body("found_many") + "\n" + "\n".join(self._line(h) for h in hits)
        sizes = sizes_of(top)
        if sizes and (ask_sizes or len(hits) == 1):
            body += ("\n" if len(hits) > 1 else " ") + self._body("sizes", sizes=sizes)
        return self._wrap(body, opener=self.tone != "kazi", close="offer")

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

    def order_nothing(self) -> str:
        return self._wrap(self._body("order_nothing"), opener=False, close=None)
