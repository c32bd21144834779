"""Delivery or pickup: the place a message says to deliver to ("niletee hadi Kasarani", "niko Ruaka"), a
question about delivering somewhere with an order open, and coming to collect ("nitapita jioni").
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from mtaabot.hours import NAIROBI, parse_opening_hours
from mtaabot.orders import store
from mtaabot.orders.context import Context, FlowResult, result
from mtaabot.orders.patterns import (
    ADD_MARK,
    ASKING_WHERE,
    BRING,
    BRING_ONLY,
    BRING_VERBS,
    CANCEL,
    COMMA,
    CONFIRM,
    CONFIRM_AT_END,
    DELIVERY,
    DELIVERY_ASKED,
    DELIVERY_WANTED,
    NOT_A_PLACE,
    ORDER_VERB,
    PHONE,
    PICKUP,
    REFERENCE,
    SUMMARY_INTENTS,
    VISIT,
    WHERE,
    WHERE_I_AM,
)
from mtaabot.orders.quantities import find_quantities
from mtaabot.orders.summary import summary
from mtaabot.orders.texts import say
from mtaabot.orders.when import parse_when, without_when
from mtaabot.retrieval import retrieve
from mtaabot.vocabulary import WORDS, normalise, words


def written_place(text: str, place: str) -> str | None:
    """The place as written when it reads as a place's name: written with a capital ("Kayole", "Umoja 2") and no
    word anyone's dictionary has ("niletee mkaa" is charcoal, "niletee Sugar" is sugar)."""
    found = re.search(r"\b" + re.escape(place.split()[0]) + r"\b", text, re.IGNORECASE)
    if found is None or not found.group(0)[:1].isupper() or any(w in WORDS for w in words(place)):
        return None
    return place_as_written(text, place)


def earlier_place(ctx: Context) -> str | None:
    """The place of "Niletee Kayole" when the bot then asked what to bring, or of "gas ni how much? na mnaleta
    Kangemi?" just before (the cart starts with this message; Kangemi was forgotten and the gas was a pickup)."""
    if ctx.last_intent == "order_where":
        bring = BRING.match(ctx.said_before().strip())
        place = delivery_place(bring.group(1)) if bring else None
    elif ctx.last_intent in ("delivery", "product", "price", "order_problem"):
        for written in ctx.said_recently():  # the latest delivery question of the last few messages
            clauses = [normalise(c).strip() for c in re.split(r"[,;?.!]", written)]
            asked = next((m for c in reversed(clauses) if (m := DELIVERY_ASKED.match(c))), None)
            place = delivery_place(asked.group("place") or asked.group("place2")) if asked else None
            if place is not None and not any(h.relevant for h in retrieve(ctx.conn, ctx.business["id"], place,
                                                                           limit=3).hits):
                return place_as_written(written, place)  # ("mnaleta sukari?" asks about a thing, not a place)
        return None
    else:
        return None
    return place_as_written(ctx.said_before(as_written=True), place) if place else None


def where_only(piece: str) -> bool:
    """A piece of an order message that only says where it goes ("mnaweza deliver hadi Ruiru?") or that it is
    picked up."""
    norm = normalise(piece).strip()
    m = DELIVERY.search(norm)
    if m and set(norm[:m.start(1)].split()) <= ASKING_WHERE:
        return True
    # "mtu atakuja kuchukua saa kumi jioni": collecting, at a time (never a thing called "mtu atakuja kuchukua")
    # ("nipe 2 nitapitia jioni" asks for two and collects them: the two were lost and the answer was "not sold")
    # "niko Kimbo", "niko Ruiru Kimbo karibu na chief's camp": where the customer is, beside what they ordered (Kimbo,
    # a cooking fat too, was a bottle of oil; customer test s29b)
    here = WHERE_I_AM.match(norm)
    # "yuko Githurai 45": the number after the place's name is its address, never a count (owner test s31)
    counted = find_quantities(norm.split()) and not re.fullmatch(r"(?:\S+ )+[a-z]{3,} \d{1,3}", norm)
    if here and not ORDER_VERB.search(norm) and not counted and delivery_place(here.group(1)):
        return True
    return bool(WHERE.match(norm)) or bool(PICKUP.search(norm) and len(without_when(norm).split()) <= 4
                                           and not (ORDER_VERB.search(norm) and find_quantities(norm.split())))


def _place_said(norm: str) -> re.Match[str] | None:
    """Where the message says to deliver: "deliver to X", "niletee hadi X", "niko X" (group 1 is the place)."""
    return DELIVERY.search(norm) or WHERE_I_AM.match(norm)


# the bring verbs (patterns.BRING_VERBS, the English ones aside) and the forms said as a question or a condition
_BRING_AT = re.compile(r"\b(?:" + "|".join(sorted(BRING_VERBS - {"deliver", "send", "bring"} | {
    "mniletea", "niletewe", "ukiniletea", "mkiniletea"})) + r")\b")


def _brought_to_later(ctx: Context, text: str) -> str | None:
    """"nataka AF1 size 42, mnaweza niletea town leo jioni? nitalipa on delivery": the place a bring-verb inside the
    message names, when it names nothing the shop sells (the order was made without its delivery; owner test s26).
    Only after the first words: "niletee sukari" at the start is how many people ask for sugar."""
    clauses = re.split(COMMA + r"|[;?!\n]|\.(?=\s)", text)
    for k, clause in enumerate(clauses):
        said = normalise(clause).strip()
        # "niletee Rongai, Tumaini stage": the stage is the rider's way there (the owner read "Rongai"; s30)
        detail = clauses[k + 1].strip() if k + 1 < len(clauses) and clauses[k + 1] \
            and _PLACE_DETAIL.search(clauses[k + 1]) else ""
        for verb in _BRING_AT.finditer(said):
            if verb.start() == 0 and clause is text:
                continue
            bring = BRING.match(said[verb.start():])
            if bring is None or find_quantities(bring.group(1).split()[:1]) or any(
                    h.relevant for h in retrieve(ctx.conn, ctx.business["id"], bring.group(1), limit=3).hits):
                continue
            if without_when(bring.group(1)).strip(" ,.-") in _BROUGHT_THERE:  # "niletee town": the CBD is a place
                return bring.group(1).strip(" ,.-")
            if (place := delivery_place(bring.group(1))) is not None:
                return f"{place}, {normalise(detail)}" if detail else place
    return None


_PLACE_DETAIL = re.compile(r"^\s*(?:[\w'-]+\s+){0,3}(?:stage|road|rd|street|st|estate|mall|gate|apartments?|flats?|court|"
                           r"plaza|house|plot|building|junction|phase|kanisa|church|school|shule|hospital)\s*$|"
                           r"^\s*(?:opposite|near|next to|behind|karibu na|nyuma ya|mkabala na)\b", re.IGNORECASE)


_BROUGHT_THERE = frozenset({"town", "kazi", "work", "the office", "ofisini", "office"})


def _where_i_am_later(text: str) -> re.Match[str] | None:
    """"ndio nataka moja, niko kangemi", "ni sawa, nitalipa on delivery, niko ruaka": where the customer is, said in a
    clause of its own after the first (`WHERE_I_AM` reads only a message that starts with it)."""
    for clause in re.split(COMMA + r"|[;\n]|\.(?=\s)", text)[1:]:
        if (m := WHERE_I_AM.match(normalise(clause).strip())) is not None:
            return m
    return None


# "niko njiani nakuja", "niko town nitapita", "niko na order?", "I'll send someone to pick": coming to collect, or
# a question, never an address (each turned a pickup into a delivery to "njiani nakuja")
_NOT_WHERE = frozenset("""nakuja nitakuja tunakuja nitapita tutapita nipite njiani order oda pick collect kuchukua
achukue nichukue coming way""".split())


# "Nimekwambia Kahawa West, Quickmart": the place, said again (the owner read "deliver to Nimekwambia Kahawa West";
# customer test s29b)
_TOLD_BEFORE = re.compile(r"^(?:nimekwambia|nimekuambia|nilikwambia|nilisema|nimesema|i said|i told you|told you)\W+",
                          re.IGNORECASE)
_ASKED_AFTER = (r"(?:saa ngapi|lini|when|what time|how|ngapi|bei|itachukua|itafika|mtafika|mtaleta\w*|mnaleta\w*|"
                r"utaleta\w*|mtalete\w*|mtaniletea|mtanifikishia)\b.*$")
_PLACE_TAIL = re.compile(r"\s+(?:badala ya|instead of|and not|not to)\s+.*$|,\s*(?:\w+\s+){0,2}?" + _ASKED_AFTER
                         + r"|\s+" + _ASKED_AFTER, re.IGNORECASE)


def delivery_place(raw: str) -> str | None:
    """The delivery place a customer wrote, or None when it was only a time ("at 10am"), a state ("niko sawa"),
    what the customer has ("niko na order?") or their way here ("niko njiani nakuja")."""
    place = CONFIRM_AT_END.sub("", raw).strip(" ,.-")  # "niletee Kayole, confirm": Kayole
    # "niletee Juja badala ya Thika": Juja; "niko Githurai 45, mtaletea saa ngapi?": Githurai 45, the question is
    # answered apart (both were the place the owner read; customer test s29)
    place = _PLACE_TAIL.sub("", _TOLD_BEFORE.sub("", place)).strip(" ,.-")
    rest = without_when(place).strip(" ,.-")
    said = words(rest)
    if not re.search(r"[a-z]{2}", rest) or rest in NOT_A_PLACE or not said or said[0] in NOT_A_PLACE \
            or said[0] in ("na", "with") or set(said) & _NOT_WHERE or _NO_PLACE_SENT.match(rest):
        return None  # ("poa, nitumie paybill", "sawa, nitumie picha" were to be delivered to "paybill", "picha")
    return place[:200]


# "nataka sukari mbili, mniletee", "nataka mchele moja delivery": brought, the place still to say (the order stayed a
# pickup and the place said next was "we don't have 'kawangware karibu total'"; owner test s30)
_BRING_AT_END = re.compile(r"\b(?:m?niletee|uniletee|nileteeni|m?tuletee|delivery|deliver (?:it|them))"
                           r"(?:\s+(?:tafadhali|please|pls|basi|nyumbani|home|boss))*$")


def note_fulfilment(ctx: Context, order: dict[str, Any], text: str, norm: str) -> bool:
    """Delivery or pickup said in this message; True when it changed the order. Right after the bot showed a
    delivery order with no place, a short message that names no product and is no yes/no is the place."""
    if order["kind"] == "booking":
        return False
    question = "?" in text
    m = _place_said(norm) or _where_i_am_later(text)
    place = delivery_place(m.group(1)) if m else None
    if place is None:
        place = place_answered(ctx, order, text, norm)
    if place is None and store.items(ctx.conn, order):
        place = _brought_to_later(ctx, text)
    bring = None
    if place is None and not question:
        # "ni hivyo tu. deliver Kahawa West karibu na Quickmart": the sentence that brings it (customer test s30)
        bring = BRING.match(norm) or next((m for c in re.split(r"[.;!\n]", text)[1:]
                                           if (m := BRING.match(normalise(c).strip())) is not None), None)
    # "niletee Githurai 45": a number after the place's name is its address; "niletee 2 kilo" is a count
    if bring and not find_quantities(bring.group(1).split()[:1]) and store.items(ctx.conn, order) \
            and not any(h.relevant for h in retrieve(ctx.conn, ctx.business["id"], bring.group(1), limit=3).hits):
        place = delivery_place(bring.group(1))
    if place is not None:
        fields = {"fulfilment": "delivery", "delivery_location": place_as_written(text, place)}
        if PHONE.search(text) and not order.get("customer_note"):
            # "..., yuko Githurai 45, namba yake 0711222333": who receives it, for the rider (dropped; owner test s31)
            fields["customer_note"] = text.strip()[:300]
        store.set_fields(ctx.conn, order, **fields)
        return True
    if (DELIVERY_WANTED.search(norm) or BRING_ONLY.match(without_when(norm).strip())
            or _BRING_AT_END.search(without_when(norm).strip())) and not question:
        store.set_fields(ctx.conn, order, fulfilment="delivery")
        return True
    if PICKUP.search(norm) or (VISIT.search(norm) and not question and order["fulfilment"] != "delivery"):
        # "nitakuja saa kumi", "nitapita jioni" with goods in the cart: coming for them, not a delivery question;
        # when they come is the owner's to see ("nitakuja kuchukua jumatatu saa nne" was lost): their words kept
        fields: dict[str, Any] = {"fulfilment": "pickup", "delivery_location": None}
        if parse_when(norm, ctx.now).found and not order.get("customer_note"):
            fields["customer_note"] = text.strip()[:300]
        store.set_fields(ctx.conn, order, **fields)
        return True
    return False


# what "nitumie ..." asks to be sent that is no place: how to pay, a number, a picture, details
_NO_PLACE_SENT = re.compile(r"\b(?:paybill|till|mpesa|m-pesa|prompt|stk|namba|number|account|akaunti|code|details|"
                            r"maelezo|picha|photo|pic|bei|price|location|lokesheni|pin|map|ramani|risiti|receipt)\b")


def places_after_yes(ctx: Context, text: str) -> str | None:
    """Where to deliver, said after the yes ("delivery Upper Hill", "leteni Upper Hill, Britam Tower", "mnaleta
    Kilimani? niko Argwings Kodhek"): each clause that names a place (none a thing the shop sells), as written,
    joined; None when no clause does."""
    found: list[str] = []
    clauses = [c for c in re.split(r"[?;!\n]|\.(?=\s)", text) if c.strip()]
    for k, clause in enumerate(clauses):
        norm = normalise(clause).strip()
        m = DELIVERY_ASKED.match(norm)
        raw = (m.group("place") or m.group("place2")) if m else None
        if raw is None and (m := _place_said(norm) or BRING.match(norm) or (WHERE_I_AM.match(norm) if k else None)):
            raw = m.group(1)
        place = delivery_place(raw) if raw else None
        if place is None or any(h.relevant for h in retrieve(ctx.conn, ctx.business["id"], place, limit=3).hits):
            continue
        found.append(place_as_written(clause, place))
    return ", ".join(found) if found else None


def delivery_asked(ctx: Context, order: dict[str, Any], text: str, norm: str) -> FlowResult:
    """A question about delivery with an order open ("mnaleta Kawangware?"): the place asked about is where it goes,
    the owner confirms whether and at what cost, and the order stays there to say yes to (the generic delivery
    answer lost it: a "NDIO" after it was "ok, see you"); "deliver to westlands", "delivery kawangware 56" say it."""
    m = DELIVERY_ASKED.match(norm) or _place_said(norm)  # "deliver to westlands", "delivery kawangware 56"
    place = delivery_place(m.group(1) or m.group(2) if m.re is DELIVERY_ASKED else m.group(1)) if m else None
    if place is not None and not any(h.relevant for h in retrieve(ctx.conn, ctx.business["id"], place, limit=3).hits):
        store.set_fields(ctx.conn, order, fulfilment="delivery", delivery_location=place_as_written(text, place))
    elif order["fulfilment"] != "delivery" and not WHERE_I_AM.match(norm) and not set(words(norm)) & _NOT_WHERE:
        store.set_fields(ctx.conn, order, fulfilment="delivery")  # ("niko na order?" is no delivery asked for)
    elif order["fulfilment"] != "delivery":
        order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
        return result(ctx, order, summary(ctx.conn, order, ctx.lang) + "\n" + say("ask_confirm", ctx.lang),
                      "order_summary", [])
    order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
    return result(ctx, order, "\n".join([say("delivery_asked", ctx.lang), summary(ctx.conn, order, ctx.lang), say("ask_confirm", ctx.lang)]),
                  "order_summary", [])


def before_place(norm: str) -> str:
    """The message without the delivery place it ends with ("niletee hadi Githurai 45": the 45 is no quantity)."""
    m = _place_said(norm) or BRING.match(norm)
    return norm[:m.start(1)] if m else norm


def place_as_written(text: str, place: str) -> str:
    """The place as the customer typed it ("Kasarani, karibu na Naivas"), not its normalised form."""
    m = re.search(r"\W+".join(map(re.escape, place.split())), text, re.IGNORECASE)
    written = m.group(0) if m else place
    if m and (landmark := _LANDMARK.match(text, m.end())) is not None:
        written += landmark.group(0)  # "Rongai, near Tumaini supermarket": the rider needs the landmark too
    # the place ends where its sentence does: "Kawangware 56? delivery ni ngapi", "Gatina, and 2 packets of royco.
    # I'll pay cash on delivery" were stored, shown and sent to the owner as the address (owner test s26)
    return _PLACE_ENDS.split(written)[0].strip(" ,.-") or written


_LANDMARK = re.compile(r",?\s+(?:near|next to|opposite|behind|karibu na|mkabala na|nyuma ya|pale|kando ya)\s+"
                       r"[^?!.,\n]{2,60}", re.I)
_PLACE_ENDS = re.compile(r"[?!]|\.(?:\s|$)|,?\s+(?:and|na|then|halafu)\s+(?=\d|(?:i|i'll|nitalipa|ni)\b)", re.I)


def place_answered(ctx: Context, order: dict[str, Any], text: str, norm: str) -> str | None:
    """The place, when the bot last showed a delivery order with none (the cart, the yes, the owner's delivery cost)
    and this message is only that: short, no question, no product, no count, no yes or no. "Kasarani, Seasons stage,
    nyumba ya bluu" after "tell me where to deliver" was "we don't sell that" (customer test s27)."""
    # "Kahawa West karibu na Quickmart, nyumba ya blue gate": a landmark says it is an address, however long, and
    # whatever its words find ("kahawa" is coffee; it was "we don't sell that"; customer test s30)
    landmark = bool(_AN_ADDRESS.search(norm))
    if order["kind"] == "booking" or order["fulfilment"] != "delivery" or order["delivery_location"] \
            or ctx.last_intent not in SUMMARY_INTENTS + _SHOWN_AGAIN or "?" in text \
            or len(norm.split()) > (16 if landmark else 8):
        return None
    # "Kawangware 56 karibu na Total": a number in an address names the place, never a count (it was "we don't have
    # 'kawangware karibu total'"; owner test s30)
    counted = find_quantities(norm.split()) and not landmark and not _PLACE_NUMBER.match(text.strip())
    if counted or CONFIRM.match(norm) or CANCEL.search(norm) or ADD_MARK.search(norm) \
            or ORDER_VERB.search(norm) or REFERENCE.search(norm) \
            or not landmark and any(h.relevant for h in retrieve(ctx.conn, ctx.business["id"], norm, limit=3).hits):
        return None
    return delivery_place(norm)


_AN_ADDRESS = re.compile(r"\b(?:karibu na|near|next to|opposite|behind|mkabala na|nyuma ya|stage|estate|nyumba|house|"
                         r"gate|apartments?|flats?|plot|road|barabara|mall|phase)\b")


_PLACE_NUMBER = re.compile(r"^[A-Z][a-z]+ \d{1,3}$")  # "Githurai 45", "Kawangware 56"

_SHOWN_AGAIN = ("order_confirm", "order_price", "order_status")


def pickup_time(ctx: Context, text: str, norm: str) -> str:
    """A line answering "can I come for it at 9pm?": whether the shop is open then and, if not, when it next is; ""
    when no time is asked or the shop's hours are unknown."""
    when = parse_when(norm, ctx.now)
    schedule = parse_opening_hours(ctx.business.get("opening_hours"))
    if "?" not in text or when.at is None or schedule is None:
        return ""
    moment = datetime.combine(when.day or (ctx.now or datetime.now(NAIROBI)).astimezone(NAIROBI).date(), when.at,
                               tzinfo=NAIROBI)
    if schedule.is_open(moment):
        return say("pickup_time_open", ctx.lang, at=moment.strftime("%H:%M"))
    back = schedule.next_open(moment)
    if back is None:
        return ""
    at = back.strftime("%H:%M") if back.date() == moment.date() else back.strftime("%a %H:%M")
    return say("pickup_time_closed", ctx.lang, hours=ctx.business.get("opening_hours"), at=at)


_POLITE = re.compile(r"^(?:(?:naomba|tafadhali|please|pls|boss|sasa|sawa|ok|okay|basi)\s+)+|"
                     r"(?:\s+(?:tafadhali|please|pls|boss|asante|thanks))+$")


def delivery_after_paying(ctx: Context, placed: dict[str, Any], text: str, norm: str) -> FlowResult | None:
    """"Naomba mniletee Kawangware 46" after the order was paid: that order goes there (the owner arranges it and says
    what it costs), never a new order of the same thing (it drafted one more sugar; owner test s30). None when the
    message names no place, or names a thing the shop sells (more to buy, brought there)."""
    from mtaabot.owners import order_alerts

    plain = _POLITE.sub("", norm).strip()
    m = _place_said(plain)
    place = delivery_place(m.group(1)) if m else None
    bring = BRING.match(plain) if place is None else None
    if bring and not find_quantities(bring.group(1).split()[:1]) \
            and not any(h.relevant for h in retrieve(ctx.conn, ctx.business["id"], bring.group(1), limit=3).hits):
        place = delivery_place(bring.group(1))
    if place is None:
        return None
    order = store.set_fields(ctx.conn, placed, fulfilment="delivery", delivery_location=place_as_written(text, place))
    order_alerts.delivery_after_paying(ctx.conn, order, text)
    return result(ctx, order, say("delivery_after_paid", ctx.lang, number=order["number"],
                                  place=order["delivery_location"]), "order_status", [])
