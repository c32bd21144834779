"""The conversation engine: one stored customer message in, at most one stored bot message out.

`respond` runs billing gate -> language -> intent -> retrieval -> reply -> confidence/escalation, updates
the customer message (detected_language, confidence_score, tokens_used) and inserts the bot message
(reply_to = the customer message; a unique index makes retries return the same row). It never commits.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import psycopg

from mtaabot import conversations, price_changes, product_details
from mtaabot.billing import gate
from mtaabot.glued_words import split_glued
from mtaabot.hours import parse_opening_hours
from mtaabot.intents import PLEASANTRY, SEASON, THANKS, THREAT, Intent, expand_sms, greeting_only
from mtaabot.language import LanguageResult, detect_language
from mtaabot.orders import flow as order_flow
from mtaabot.orders import party
from mtaabot.orders import store as order_store
from mtaabot.orders.booking_times import booking_ends
from mtaabot.orders.bookings import all_shown
from mtaabot.orders.cart import whatsapp_cart
from mtaabot.orders.context import FINISHING_STEPS, FlowResult
from mtaabot.orders.context import Context as OrderContext
from mtaabot.orders.context import result as order_result
from mtaabot.orders.patterns import (
    BOOKING_WORD,
    COMPARE,
    ORDER_VERB,
    PAID_WORD,
    RECEIPT,
    TOTAL_Q,
    VISIT_WORDS,
    money_amounts,
)
from mtaabot.orders.quantities import NUMBER_WORDS, UNITS, product_size, without_price_range
from mtaabot.orders.sizes import BARE_NUMBER, bare_size
from mtaabot.orders.texts import say
from mtaabot.orders.when import names_kept, parse_when, without_when
from mtaabot.owners import order_alerts, registry
from mtaabot.owners.alerts import handover_body, owner_text
from mtaabot.owners.pause import is_paused
from mtaabot.product_questions import (
    ABOUT_IT,
    COMES_WITH,
    HAS_DETAIL,
    LASTS,
    OF_IT,
    asks_how_long,
    attribute_asked,
    attribute_facts,
    by_price,
    details,
    duration_text,
    extreme_candidates,
    how_long_it_lasts,
    makes_named,
    named_details,
    names_it,
    products_by_id,
    says_colour,
    service_minutes,
    unlisted_make,
)
from mtaabot.products import get_product, names_with_calendar_words
from mtaabot.reply_builder import ReplyBuilder, described_words, fits_size, format_price, prices_in
from mtaabot.retrieval import MODEL_CODE, Hit, Retrieval, is_service, known_word, retrieve
from mtaabot.retrieval_model import HARD_VERDICTS
from mtaabot.tokens import count_tokens
from mtaabot.understanding import (
    COLOUR_WORDS,
    GENUINE,
    PRICE_ASKED,
    RETURNS,
    SIZE_WORDS,
    Understanding,
    attribute_word,
    search_text,
    understand,
    without_extreme,
    without_whom,
)
from mtaabot.vocabulary import STOPWORDS, WORDS, expand_query, normalise, words

log = logging.getLogger(__name__)

ESCALATE_BELOW = 0.45  # bot replies less confident than this go to a person instead


@dataclass
class EngineResult:
    reply: str | None
    language: str | None
    confidence: float | None
    escalated: bool
    products: list[dict[str, Any]] = field(default_factory=list)
    tokens_used: int = 0
    intent: str | None = None
    bot_message_id: uuid.UUID | None = None
    user_message_id: uuid.UUID | None = None
    order: dict[str, Any] | None = None  # the order this message created or changed (orders.store.order_view)
    quantity: float | None = None  # the quantity the customer gave, when they gave one
    owner_command: str | None = None  # the owner command run (None unless the sender is a verified owner)

    def as_contract(self) -> dict[str, Any]:
        """The JSON object `mtaabot ask` prints."""
        return {"reply": self.reply, "language": self.language, "confidence": self.confidence,
                "escalated": self.escalated, "products": self.products, "tokens_used": self.tokens_used,
                "intent": self.intent, "order": self.order, "quantity": self.quantity,
                "owner_command": self.owner_command,
                "bot_message_id": str(self.bot_message_id) if self.bot_message_id else None,
                "user_message_id": str(self.user_message_id) if self.user_message_id else None}


@dataclass
class Draft:
    """What the engine decided before anything is stored."""

    text: str
    intent: str
    confidence: float
    hits: list[Hit]
    escalate_reason: str | None = None


class EngineError(LookupError):
    """The message or conversation to answer does not exist for this business."""


def _existing_answer(conn: psycopg.Connection, user_msg: dict[str, Any], conv: dict[str, Any]) -> EngineResult:
    bot = conn.execute("SELECT * FROM messages WHERE reply_to = %s", (user_msg["id"],)).fetchone()
    products = []
    if bot and bot["product_ids"]:
        rows = conn.execute("SELECT id, name, price FROM products WHERE business_id = %s AND id = ANY(%s)",
                            (user_msg["business_id"], bot["product_ids"])).fetchall()
        order = {pid: i for i, pid in enumerate(bot["product_ids"])}
        products = [{"id": str(r["id"]), "name": r["name"], "price": float(r["price"]), "score": None}
                    for r in sorted(rows, key=lambda r: order[r["id"]])]
    return EngineResult(
        reply=bot["content"], language=bot["detected_language"],
        confidence=float(bot["confidence_score"]) if bot["confidence_score"] is not None else None,
        escalated=conv["status"] == "human_escalated" and bot["author"] == "system",
        products=products, tokens_used=bot["tokens_used"] or 0, intent=bot["intent"],
        bot_message_id=bot["id"], user_message_id=user_msg["id"])


# "price list please", "what services do you offer?": words that ask for the list, not for a thing on it
_LIST_WORDS = frozenset("list lists menu catalogue catalog services service products items prices things orodha mnafanya mnatoa offer "
                        "huduma bidhaa vitu then so "
                        # "mko na nini zote? bei", "nataka kuona bei zenu zote" (were "we don't sell that"; s25)
                        "zote yote vyote kuona ona all everything whole full see show zenu yenu "
                        # "niambie kila kitu mko nacho" (was "which product?"; customer test s29)
                        "niambie tell kila kitu nacho nayo navyo mlicho mnacho mlivyo "
                        # "Nionyeshe kila kitu mko nacho na bei" (was "which product?"; customer test s30)
                        "nionyeshe nionesha nitumie tuma show "
                        # "what else do you sell? everything pls" (was "not sold"; owner test s26)
                        "else".split())
_ALL_OF_THEM = frozenset("zote yote vyote all".split())
PRICE_LIST_LIMIT = 15  # a small shop's whole catalogue fits one WhatsApp message


def decide(conn: psycopg.Connection, business: dict[str, Any], text: str, language: str,
           previous_intent: str | None = None, previous_products: list[Any] | None = None,
           first_turn: bool = True, understanding: Understanding | None = None) -> Draft:
    """Intent + retrieval + reply text + confidence for one message (no writes).

    `previous_intent` is the intent of the bot's last answer in this chat: a second message in a row
    that the engine cannot place goes to a person instead of asking again. `previous_products` (ids the
    last answer was about) give follow-ups without a product word ("Bei?", "Nataka mbili") their subject."""
    builder = ReplyBuilder(language=language, tone=business.get("tone") or "mtaa", business=business,
                           first_turn=first_turn)
    u = understanding or understand(text, language)
    intent: Intent = u.intent
    if intent.escalate:
        text_out = builder.handover(intent.name)
        if SCAM_SAID.search(u.norm):  # "sms eti ni Simu Poa, nimeshinda simu, nitume 1000": warned now, not at 9am
            text_out = f"{builder.scam_warning(_payee(conn, business['id']))}\n{text_out}"
        reason = "threat" if intent.name in ("complaint", "angry") and THREAT.search(u.norm) else intent.name
        return Draft(text_out, intent.name, intent.confidence, [], escalate_reason=reason)
    if u.asks_credit or u.asks_trade_in or u.asks_wholesale:
        # "naweza lipa pole pole?", "simu kwa mkopo?", "trade-in ya iPhone 11?", "mnauza kwa bei ya jumla?": the
        # owner's terms, not the till number (a trade-in question opened an iPhone order)
        return Draft(builder.handover_policy(), "policy_question", 0.6, [], escalate_reason="policy_question")
    if previous_products and _BACK_WHEN.search(u.norm) and all(t in _BACK_WORDS for t in u.query.terms) \
            and (gone := next(iter(products_by_id(conn, business["id"], previous_products[:1])), None)) is not None \
            and not gone.is_available:
        # "when will it be back?" of the iPhone just said to be out: the owner knows (the learned head read a
        # delivery question and got the delivery answer; customer test s27)
        return Draft(builder.restock(gone), "product_question", 0.6, [gone], escalate_reason="product_question")
    if intent.name == "greeting" and previous_intent in ("policy_question", "product_question"):
        # "hello??" just after a question went to the owner: it is still with them (it got the shop's welcome)
        return Draft(builder.question_with_owner(), "greeting", intent.confidence, [])
    wishes = PLEASANTRY.search(u.norm) and not THANKS.search(u.norm)  # "Merry Christmas!", "usiku mwema"
    simple = {"greeting": builder.greeting, "ack": builder.ack,
              "thanks": (lambda: builder.wishes(bool(SEASON.search(u.norm)))) if wishes else builder.thanks,
              "hours": builder.hours, "location": builder.location, "payment": builder.payment,
              "delivery": builder.delivery,
              "payment_methods": lambda: builder.payment_methods(_payee(conn, business["id"]), _prompts())}
    budget, query = u.budget, u.query
    if asks_how_long(u.norm) and (subject := _how_long_of(conn, business, u, previous_products)) is not None:
        service = service_minutes(conn, business["id"], subject)
        if service is not None:  # "itachukua muda gani?" after the repair was named: its length, not delivery
            hit, minutes = service
            if minutes is None and (said := _TAKES.search(hit.description or "")) is not None:
                # "how long will it take?" of a repair "same day": what its description says (was the owner asked),
                # and its price when that was asked too
                facts = f"{format_price(hit.price, hit.currency)}, {said.group(0)}" if u.asks_price else said.group(0)
                return Draft(builder.about(hit, facts), "product", 0.75, [hit])
            if minutes is None:
                return Draft(builder.handover_detail(hit), "product_question", 0.6, [hit],
                             escalate_reason="product_question")
            return Draft(builder.duration(hit, duration_text(minutes, language), priced=u.asks_price), "product", 0.8,
                         [hit])
    if intent.name == "hours" and (day := _hours_on_a_day(business, u.norm)) is not None:
        return Draft(builder.hours_on(*day), "hours", intent.confidence, [])  # "mko open jumapili?": closed then
    asks = intent.name in {"greeting", "ack"} and len(query.terms) >= 2 and not greeting_only(u.norm) \
        or intent.name == "thanks" and "?" in text
    if intent.name in simple and not asks:
        return Draft(simple[intent.name](), intent.name, intent.confidence, [])
    if budget and not query.terms:  # "kitu chini ya 500?": what the shop has in that range
        low, high = budget
        rows = conn.execute(
            """SELECT id, name, price, currency, is_available, description, metadata FROM products
               WHERE business_id = %s AND price >= %s AND price <= %s
               ORDER BY is_available DESC, price LIMIT 8""",
            (business["id"], low or 0, high if high is not None else Decimal("1e12"))).fetchall()
        hits = [Hit(**r) for r in rows]
        if hits:
            return Draft(builder.price_list(hits), "price_list", 0.8, hits)
    if (intent.name == "price_list" or intent.name == "product" and query.terms) \
            and not [t for t in query.terms if t not in _LIST_WORDS] \
            and not (previous_products and set(query.terms) & _ALL_OF_THEM):  # "mko na vitu gani zote?": the list
        # ("bei ya zote mbili?" after two shoes are those two, not the whole list)
        rows = conn.execute(
            """SELECT id, name, price, currency, is_available, description, metadata FROM products
               WHERE business_id = %s ORDER BY is_available DESC, name LIMIT %s""",
            (business["id"], PRICE_LIST_LIMIT)).fetchall()
        hits = [Hit(**r) for r in rows]
        if not hits:
            return Draft(builder.unknown(), "price_list", 0.3, [])
        return Draft(builder.price_list(hits), "price_list", 0.85, hits)
    if (count := _count_asked(u, previous_products)) is not None \
            and (hit := next(iter(products_by_id(conn, business["id"], previous_products[:1])), None)) is not None \
            and not _its_own_number(hit, count):
        # "how much for two?", "and for 2 pairs?", "na mbili je?" after the Superstar: what two of it come to (it was
        # the price of one, "we don't sell that" for "pairs", or haggling)
        return Draft(builder.price_for(hit, count), "product", 0.8, [hit])
    if intent.name == "discount":
        return _haggle(conn, business, builder, previous_products, u)
    if u.extreme and intent.name in {"product", "unknown", "price_list"}:
        ranked = _by_price(conn, business, u, previous_products)
        if ranked:
            return Draft(builder.extreme(ranked, u.extreme), "product", 0.8, ranked)
    last_hit: Hit | None = None
    if previous_products and _BACK_WHEN.search(u.norm) and all(t in _BACK_WORDS for t in query.terms):
        # "zitaingia lini?", "when will they be back?" after an item out of stock: the owner knows, not "not sold"
        last_hit = next(iter(products_by_id(conn, business["id"], previous_products[:1])), None)
        if last_hit is not None and not last_hit.is_available:
            return Draft(builder.restock(last_hit), "product_question", 0.6, [last_hit],
                         escalate_reason="product_question")
    if (later := _price_on_a_later_day(conn, business, builder, u, previous_products)) is not None:
        return later  # "na kesho itakuwa bei gani?": today's price and the one the owner set for then
    if _PHOTO.search(u.norm) and intent.name in {"product", "unknown", "price_list", "order"} \
            and (pictured := _photo_of(conn, business, u, previous_products)) is not None:
        # "nitumie picha za block heels nione kwanza", "picha je?": the owner sends photos (it was the price only, or
        # "we don't sell that" for "picha")
        return Draft(builder.photo_asked(pictured), "product_question", 0.6, [pictured],
                     escalate_reason="product_question")
    kind = attribute_asked(u.norm) if previous_products else None
    if kind and intent.name in {"product", "unknown", "price_list"}:  # "rangi gani ziko?" about the shoe just shown
        last_hit = next(iter(products_by_id(conn, business["id"], previous_products[:1])), None)
        facts = attribute_facts(last_hit, kind, builder.lang) if last_hit else None
        if facts and last_hit:
            return Draft(builder.about(last_hit, facts), "product", 0.8, [last_hit])
        if last_hit:
            return Draft(builder.handover_detail(last_hit), "product_question", 0.6, [last_hit],
                         escalate_reason="product_question")
    if previous_products and intent.name in {"product", "unknown"} and not ORDER_VERB.search(u.norm) \
            and not u.only_attributes and u.size is None \
            and (said := _detail_of_the_last(conn, business, builder, u, previous_products)) is not None:
        return said  # "ni watts ngapi?", "ni leather kweli?", "na ni ya wapi?" about the product just shown
    if previous_products and (ABOUT_IT.search(u.norm) or OF_IT.search(u.norm)) and query.terms:
        # "does it have warranty?", "battery yake iko aje?"
        last_hit = next(iter(products_by_id(conn, business["id"], previous_products[:1])), None)
        if last_hit and names_it(last_hit, query.terms):
            last_hit = None
        facts = details(last_hit, query.terms) if last_hit else None
        if facts and last_hit:
            return Draft(builder.about(last_hit, facts), "product", 0.8, [last_hit])
        if last_hit and not u.only_attributes:  # a detail of that product the catalogue does not hold
            return Draft(builder.handover_detail(last_hit), "product_question", 0.6, [last_hit],
                         escalate_reason="product_question")
    if intent.name == "booking" and not previous_products and _books_nothing_named(u):
        # "naeza kuja kesho saa nne?", "can I come tomorrow at 10?": no service named, none shown before; the time
        # and "come" are nothing to search for ("Hatuna 'naeza'" was the answer)
        services = _services(conn, business["id"])
        if services:
            return Draft(builder.book_which(services), "booking_which", 0.7, services)
        return Draft(builder.hours(), "hours", 0.7, [])
    pick = u.position if previous_products else None
    # "bei ya zote mbili", "how much are both?": every one of those just shown
    every = all_shown(u.norm) if previous_products and len(previous_products) > 1 else None
    only_its = bool(query.terms) and all(t in _ITS or (every and t in _ALL_WORDS) for t in query.terms)
    if previous_products and (not query.terms or only_its or pick is not None) \
            and intent.name in {"product", "order", "booking", "unknown"}:
        rows = conn.execute(
            """SELECT id, name, price, currency, is_available, description, metadata FROM products
               WHERE business_id = %s AND id = ANY(%s)""", (business["id"], list(previous_products))).fetchall()
        order = {pid: i for i, pid in enumerate(previous_products)}
        listed = [Hit(**r) for r in sorted(rows, key=lambda r: order[r["id"]])]
        hits = listed[pick:pick + 1] if pick is not None and pick < len(listed) else listed[:every or 1]
        if pick == -1:
            hits = listed[-1:]
        if hits and pick is not None and len(hits) == 1 and intent.name in ("product", "unknown") \
                and (about := _detail_of_the_picked(builder, u, hits[0], query.terms)) is not None:
            return about  # "na hiyo ya pili ina warranty?": the second one's warranty (it was its price alone)
        if hits:
            name = intent.name if intent.name in ("order", "booking") else "product"
            if every and len(hits) > 1 and all(h.is_available for h in hits) and intent.name in ("product", "unknown") \
                    and (u.asks_price or TOTAL_Q.search(u.norm)):
                return Draft(builder.products_together(hits), name, 0.75, hits)  # "how much both?": the sum too
            reply = builder.products(hits, ask_sizes=True)
            return Draft(reply, name, 0.7, hits)
    if intent.name in ("product", "unknown", "price_list") and (kind := _of_a_category(conn, business["id"], u)):
        # "accessories gani mko nazo", "simu gani mko nazo": every one of that category (was "we don't sell that",
        # or the one phone whose text says "simu")
        return Draft(builder.products(kind[:_CATEGORY_AT_MOST], ask_sizes=True), "product", 0.8,
                     kind[:_CATEGORY_AT_MOST])
    wanted: list[str] = []
    search = u.search
    if u.only_attributes and not previous_products:  # "nataka za watoto", "a black one size 42": no thing named
        attributed = _with_attributes(conn, business, builder, intent, u)
        if attributed is not None:
            return attributed
    if previous_products and u.only_attributes:
        # "na ya 3L?", "how about black?", "size 42 je?": the same product, another variant
        head = conn.execute("SELECT name FROM products WHERE business_id = %s AND id = %s",
                            (business["id"], previous_products[0])).fetchone()
        if head:
            wanted = list(query.terms)
            base = " ".join(w for w in words(head["name"]) if not attribute_word(w))
            search = search_text(f"{base} {without_price_range(text) if budget else text}")
        colours = [w for w in wanted if w in COLOUR_WORDS]
        if colours and len(previous_products) > 1:
            # "zile nyeupe" after the Superstar and the Air Force 1 White: the one shown that is white by its name
            # or colour field, not the first one shown searched again with "white"
            shown = products_by_id(conn, business["id"], list(previous_products))
            named = [h for h in shown if _named_colour(h, colours)]
            if named:
                return Draft(builder.products(named[:3]), "product", 0.8, named[:3])
    found: Retrieval = retrieve(conn, business["id"], search=search, price_range=budget)
    if (found.not_sold or not any(h.relevant for h in found.hits)) and not wanted \
            and (plain := without_whom(text)) != text:
        # "I want a phone for my mum, budget 15k", "simu ya mama": the thing, without whom and what it is for
        again = retrieve(conn, business["id"], search=search_text(without_price_range(plain) if budget else plain),
                         price_range=budget)
        if not again.not_sold and (any(h.relevant for h in again.hits) or again.outside_range):
            found = again
    if not found.hits and query.terms and not wanted:  # "airforce" for the shop's Nike Air Force 1
        names = [r["name"] for r in conn.execute("SELECT name FROM products WHERE business_id = %s",
                                                 (business["id"],))]
        asked = without_price_range(text) if budget else text
        if (split := split_glued(asked, names)) != asked:
            found = retrieve(conn, business["id"], search=search_text(split), price_range=budget)
    if wanted and (asked := u.measure) is not None:
        # "na ya 3L?" / "na ya lita tano?" after a list of oils: the one of that size among those shown and found,
        # or, when none is that size, say so and list the sizes there are
        shown = [Hit(**r) for r in conn.execute(
            """SELECT id, name, price, currency, is_available, description, metadata FROM products
               WHERE business_id = %s AND id = ANY(%s)""", (business["id"], list(previous_products)))]
        pool = list({h.id: h for h in [*shown, *found.hits]}.values())
        kin = [h for h in pool if (m := product_size(h.name)) is not None and m[0] == asked[0]]
        exact = [h for h in kin if product_size(h.name) == asked]
        if exact:  # that size first, then the rest of what was found ("ile ya pili" can still pick one)
            listed = [*exact[:3], *[h for h in found.hits if h.id not in {e.id for e in exact}]][:5]
            return Draft(builder.products(listed), "product", 0.75, listed)
        if kin:
            return Draft(builder.not_in_size(kin), "product", 0.7, kin[:4])
    if not wanted and found.hits and intent.name in {"product", "unknown"} \
            and (asked := u.measure) is not None:
        # "mko na gesi ya 13kg?" where the refill is 6kg: that size is not sold (it was the 6kg as if it were)
        kin = [h for h in found.hits if (m := product_size(h.name)) is not None and m[0] == asked[0]]
        if kin and len(kin) == len(found.hits) and not any(product_size(h.name) == asked for h in kin):
            return Draft(builder.not_in_size(kin), "product", 0.7, kin[:4])
    if not wanted and not budget and found.hits and intent.name in {"product", "unknown", "price_list"}:
        # ("mna nini leo? bei ya sukari na unga" is a price list asked too: it listed two flours and no sugar)
        found.hits = _each_thing_asked(conn, business, text, found.hits)
    colours = [a for a in u.attributes if a in COLOUR_WORDS]
    if colours and not wanted and found.hits:
        # "ziko sneakers za rangi nyeusi?": the ones in that colour, not every pair found; none -> said so
        coloured = [h for h in found.hits if _has(h, colours)]
        if not coloured and not any(says_colour(h) for h in found.hits):
            # "samsung a15 iko black?" where no colour is listed: it is there, the colour is confirmed with the order
            # ("hatuna za black" was invented)
            said = next((w for w in words(text) if w in COLOUR_WORDS), colours[0])
            return Draft(builder.colour_unlisted(found.hits[:1], said), "product", 0.7, found.hits[:1])
        if not coloured:
            said = next((w for w in words(text) if w in COLOUR_WORDS), colours[0])
            return Draft(builder.none_in_colour(found.hits, said), "product", 0.7, found.hits)
        found.hits = sorted(coloured, key=lambda h: -_named_colour(h, colours))
    if not wanted and found.hits:
        found.hits, none_fit = _in_size(found.hits, u.size)
        if none_fit and u.size is not None and u.size <= _UK_MOST \
                and (uk := next((h for h in found.hits if fits_size(h, u.size + _UK_TO_EU)), None)) is not None:
            # "official shoes size 9?": a UK size (Kenyans often give one), about 42-43 here (it was "we don't have that
            # size"; customer test s30)
            return Draft(builder.uk_size(uk, u.size, u.size + _UK_TO_EU), "product", 0.7, [uk])
        if none_fit:
            return Draft(builder.not_in_size(found.hits, sized=True), "product", 0.7, found.hits)
    if wanted and found.hits:  # the variant asked for first
        found.hits.sort(key=lambda h: (-_has(h, wanted), -_named_colour(h, wanted)))
        if u.size is not None and fits_size(found.hits[0], u.size) is False:
            # "size 46 basi" after the AF1 made in 38-45: that size is not there (it said "iko")
            return Draft(builder.not_in_size(found.hits[:1], sized=True), "product", 0.7, found.hits[:1])
        if (other := _other_colour(conn, business, builder, text, wanted, found.hits, previous_products[0])) is not None:
            return other
    if not wanted and len(found.hits) > 1 and COMPARE.search(u.norm) and intent.name in {"product", "unknown"}:
        # "Unga ya Ajab na Jogoo, tofauti ni gani? nataka ya chapati": what each is, side by side (it was their prices
        # only; customer test s29)
        return Draft(builder.compared(found.hits[:3]), "product", 0.75, found.hits[:3])
    if not wanted and found.hits and (facts := named_details(found.hits[0], query.terms)):
        return Draft(builder.about(found.hits[0], facts), "product", 0.8, found.hits[:1])
    if not wanted and found.hits and u.asks_returns:  # "mnarudisha doh kama simu ina shida?"
        # only the rule's own word counts ("warranty" in "1 year warranty"), not "simu" in the phone's description
        if facts := details(found.hits[0], [t for t in query.terms if RETURNS.fullmatch(t)]):
            return Draft(builder.about(found.hits[0], facts), "product", 0.75, found.hits[:1])
        return Draft(builder.handover_policy(), "policy_question", 0.6, found.hits[:1],
                     escalate_reason="policy_question")
    if not wanted and found.hits and u.asks_genuine and not (u.asks_price and GENUINE.search(normalise(found.hits[0].name))):
        # "hizi air force ni original?": the owner vouches for it ("Original Samsung charger ni bei gani?" names it)
        top = found.hits[0]
        if facts := details(top, [t for t in query.terms if GENUINE.fullmatch(t)]):
            return Draft(builder.about(top, facts), "product", 0.75, [top])
        if not GENUINE.search(normalise(f"{top.name} {top.description or ''}")):  # "Tecno Original Charger": says so
            return Draft(builder.handover_detail(top), "product_question", 0.6, [top],
                         escalate_reason="product_question")
    if not wanted and found.hits and LASTS.search(u.norm):
        # "box braids zinakaa muda gani kichwani?": how long they last, from the description or the owner (it was the
        # appointment's length, "about 4 hours")
        top = found.hits[0]
        if lasts := how_long_it_lasts(top):
            return Draft(builder.about(top, lasts), "product", 0.75, [top])
        return Draft(builder.handover_detail(top), "product_question", 0.6, [top], escalate_reason="product_question")
    if not wanted and COMES_WITH.search(u.norm) and (named := _named_by_model(found, u)) is not None \
            and (others := [t for t in query.terms if t not in named.named]):
        # "A15 inakuja na charger?": whether the charger is in the phone's box, from its description or the owner
        # (it was the charger for sale listed beside the phone)
        if facts := details(named, others):
            return Draft(builder.about(named, facts), "product", 0.75, [named])
        return Draft(builder.handover_detail(named), "product_question", 0.6, [named], escalate_reason="product_question")
    if not wanted and (found.verdict == "kind" or found.hits and found.found_share < 1) \
            and HAS_DETAIL.search(u.norm) and (named := _named_by_model(found, u)) is not None \
            and (not found.hits or found.hits[0].id == named.id):
        # "A15 ina camera ngapi megapixels?", "hii Itel A70 ina fingerprint?": a detail of the phone named that the
        # catalogue does not hold; it was "we don't sell that" (the camera as the thing not sold) or the price only
        if facts := details(named, query.terms):
            return Draft(builder.about(named, facts), "product", 0.75, [named])
        return Draft(builder.handover_detail(named), "product_question", 0.6, [named], escalate_reason="product_question")
    if not wanted and found.hits and intent.name in {"product", "unknown"} and not ORDER_VERB.search(u.norm) \
            and (said := _detail_of_the_named(conn, business, builder, u, found.hits, previous_products)) is not None:
        return said  # "football boots ni za grass ama astro?", "wigi iko ya inchi 22?": from its description
    if found.outside_range and budget and (fits := _of_their_kind_in_range(conn, business["id"], found.outside_range,
                                                                          budget)):
        # "natafuta simu ya 15k hivi": the phones that fit the money, not "none between 12,000 and 18,000" because
        # the one phone whose text says "simu" is dearer (the Tecno at 14,000 was hidden)
        return Draft(builder.products(fits, ask_sizes=True), "product", 0.75, fits)
    if found.outside_range:
        return Draft(builder.outside_range(found.outside_range, budget), "product", 0.75, found.outside_range)
    if found.hits:
        name = intent.name if intent.name in ("order", "booking") else "product"
        # the order flow took no order here ("nipe details za gesi"): never "got your order" without one
        reply = builder.products(found.hits, ask_sizes=u.asks_sizes)
        confidence = round(min(0.98, 0.5 * found.confidence + 0.5 * max(intent.confidence, 0.7)), 2)
        return Draft(reply, name, confidence, found.hits)
    if found.not_sold and found.verdict == "variant" and found.instead \
            and (other := _in_another_measure(builder, u, found.instead)) is not None:
        return other  # "wigi iko ya inchi 22?" of the 18 inch wig: only 18 inch (was "we don't sell that" alone)
    if found.not_sold and u.asks_rules and found.verdict not in ("brand", "model"):
        # "mnabadilisha viatu kama size haitoshi?", "mnatoa warranty?": a rule of the shop, which only the owner
        # can state; it was "we don't sell that"
        return Draft(builder.handover_policy(), "policy_question", 0.6, [], escalate_reason="policy_question")
    if found.not_sold and previous_products and found.verdict not in ("brand", "model") \
            and not SELLS_ASKED.search(u.norm) \
            and (about := _about_the_last(conn, business, builder, u, previous_products)) is not None:
        return about  # "extensions ni zenu ama nilete?" after the box braids: "extensions included" (was "not sold")
    if found.not_sold and found.verdict not in HARD_VERDICTS and not SELLS_ASKED.search(u.norm) \
            and "?" not in u.text and not u.search.actions and not _names_any_thing(u):
        # "nakuja", "tunangojea": no word for a thing at all, so nothing to say the shop lacks (was "we don't sell
        # that")
        return Draft(builder.clarify(), "unknown", 0.6, [])
    if found.not_sold:  # what there is of that kind ("simu za Infinix": the phones), else a few of the shop's things
        examples, mostly_work = _examples(conn, business["id"])
        # "my iphone battery drains fast, can you replace it?": the work the shop does, not a Nokia and a power bank
        # (owner test s30)
        asked_work = u.search.wants_service or bool(_WORK_ASKED.search(u.norm))
        work = asked_work or (mostly_work and not u.search.wants_goods and not found.instead)
        instead = found.instead or (_services(conn, business["id"]) if asked_work else [])
        offered = all(h.is_service for h in instead) if instead else mostly_work  # a repair asked: the repairs done
        return Draft(builder.not_sold([h.name for h in instead] or examples, work=work, examples_work=offered),
                     "not_sold", found.confidence or 0.7, [])
    if intent.name in ("order", "booking"):
        return Draft(builder.order_nothing(), intent.name, 0.6, [])
    if intent.name in simple:
        return Draft(simple[intent.name](), intent.name, intent.confidence, [])
    if not re.search(r"[^\W\d_]", text):  # emoji / punctuation only: a thumbs-up is an acknowledgement
        return Draft(builder.unknown(), "unknown", 0.5, []) if "?" in text else Draft(builder.ack(), "ack", 0.6, [])
    if previous_intent == "unknown":
        # Nothing understood twice in a row: hand over rather than guess.
        return Draft(builder.handover("low_confidence"), "unknown", 0.3, [], escalate_reason="low_confidence")
    if intent.name == "product":
        return Draft(builder.clarify(), "unknown", 0.5, [])
    return Draft(builder.unknown(), "unknown", 0.5, [])


# "mnauza ...?", "do you sell ...?", "mko na ...?": asking for another thing, never a detail of the last one
SELLS_ASKED = re.compile(r"\b(?:mnauza|mnaunza|unauza|do you (?:sell|have|do)|have you got|mko na|uko na|mna|mnafanya|"
                         r"nataka|i want|i need|nipe|ziko|iko)\b")


# how long a service takes, as a description says it without minutes: "same day", "while you wait", "in 2 days"
_TAKES = re.compile(r"\b(?:same[- ]day|while you wait|siku hiyo hiyo|(?:with)?in (?:\d+|one|two|three) (?:hours?|days?)|"
                    r"ready (?:in|within|the next day|tomorrow)[\w ]{0,12}|next day|express)\b", re.I)


def _hours_on_a_day(business: dict[str, Any], norm: str) -> tuple[str, str | None] | None:
    """("Sun 06 Dec", None) when the shop is shut on the day the message names ("mko open leo?" on a Sunday), or the
    day and its hours ("08:00-19:00"); None when no day is named or the hours cannot be read."""
    when = parse_when(norm)
    if when.day is None or not when.day_said:
        return None
    try:
        schedule = parse_opening_hours(business.get("opening_hours"))
    except ValueError:
        return None
    if schedule is None or not schedule.days:
        return None
    times = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in schedule.intervals_on(when.day))
    return when.day.strftime("%a %d %b"), times or None


def _about_the_last(conn: psycopg.Connection, business: dict[str, Any], builder: ReplyBuilder, u: Understanding,
                    previous_products: list[Any]) -> Draft | None:
    """A question naming nothing the shop sells, about the product the last answer was about: how long it lasts
    ("ni ngapi na inakaa muda gani?" after the gel nails), or a word of its description or details ("extensions ni
    zenu ama nilete?" after box braids with extensions included); None when it is neither."""
    last_hit = next(iter(products_by_id(conn, business["id"], previous_products[:1])), None)
    if last_hit is None:
        return None
    if u.asks_price and u.query.terms and all(t.startswith("ku") and len(t) > 5 for t in u.query.terms):
        # "ni ngapi kureplace?", "bei ya kubadilisha?" after the SIM replacement: what doing it costs
        return Draft(builder.products([last_hit]), "product", 0.75, [last_hit])
    if LASTS.search(u.norm):
        if lasts := how_long_it_lasts(last_hit):
            return Draft(builder.about(last_hit, lasts), "product", 0.75, [last_hit])
        return Draft(builder.handover_detail(last_hit), "product_question", 0.6, [last_hit],
                     escalate_reason="product_question")
    if facts := details(last_hit, u.query.terms):
        return Draft(builder.about(last_hit, facts), "product", 0.75, [last_hit])
    said = product_details.answer(last_hit, u.text, u.query.items)
    if said is not None and (said.facts or said.only):
        return _detail_draft(builder, last_hit, said)
    if said is not None and product_details.STRONG_CUE.search(u.norm) and not _BACK_WHEN.search(u.norm):
        # "inachaji laptop?", "inafaa suede?": a detail the catalogue does not hold; the owner answers (the product
        # stays the subject, so "nipe moja" next orders it)
        return _detail_draft(builder, last_hit, said)
    return None


def _detail_draft(builder: ReplyBuilder, hit: Hit, said: product_details.Answer, *, priced: bool = False) -> Draft:
    """The reply to a question about one product's details: the catalogue's words (and its price, when asked too),
    the measure it comes in, or the owner asked."""
    if said.facts:
        return Draft(builder.about(hit, said.facts, priced=priced), "product", 0.75, [hit])
    if said.only:
        return Draft(builder.only_measure(hit, said.only), "product", 0.75, [hit])
    return Draft(builder.handover_detail(hit), "product_question", 0.6, [hit], escalate_reason="product_question")


def _other_products_named(conn: psycopg.Connection, business: dict[str, Any], hit: Hit, asked: list[str]) -> bool:
    """A word asked is a word of another product's name ("na cover?" after the phone): that product, no detail."""
    names = [r["name"] for r in conn.execute("SELECT name FROM products WHERE business_id = %s AND id <> %s",
                                             (business["id"], hit.id))]
    others = product_details.shop_words(names) - set(words(hit.name))
    return any(product_details.word_forms(w) & others for w in asked)


def _detail_of_the_picked(builder: ReplyBuilder, u: Understanding, hit: Hit, terms: list[str]) -> Draft | None:
    """A rule or detail asked of the product picked from the last list ("ya pili ina warranty?"): what the catalogue
    says of it, else the owner is asked; None when the message asks no detail."""
    if u.asks_returns:
        if facts := details(hit, [t for t in terms if RETURNS.fullmatch(t)]):
            return Draft(builder.about(hit, facts), "product", 0.75, [hit])
        return Draft(builder.handover_detail(hit), "product_question", 0.6, [hit], escalate_reason="product_question")
    said = product_details.answer(hit, u.text, u.query.items)
    return _detail_draft(builder, hit, said) if said is not None and (said.facts or said.only) else None


def _detail_of_the_last(conn: psycopg.Connection, business: dict[str, Any], builder: ReplyBuilder, u: Understanding,
                        previous_products: list[Any]) -> Draft | None:
    """A question naming nothing else, about a detail of the product the last answer was about, that its name,
    description or metadata answer ("ni watts ngapi?" of "Charger 25W"), or a measure it does not give (the owner
    answers); None otherwise (the message goes on to be searched)."""
    last_hit = next(iter(products_by_id(conn, business["id"], previous_products[:1])), None)
    if last_hit is None:
        return None
    said = product_details.answer(last_hit, u.text, u.query.items)
    if said is None:
        return None
    asked = product_details.asked_words(u.query.items, last_hit, u.text)
    if asked and (SELLS_ASKED.search(u.norm) or _other_products_named(conn, business, last_hit, asked)):
        return None  # "sneakers ziko?" after the cleaning kit "for sneakers": the sneakers, not the kit
    if said.facts or said.only:
        return _detail_draft(builder, last_hit, said)
    if not asked and product_details.measure_asked(u.text) is not None:
        return _detail_draft(builder, last_hit, said)  # "ni ml ngapi?" of a product whose size is not said
    if product_details.BRING.search(u.norm):
        return _detail_draft(builder, last_hit, said)  # "nikuje na charger yake?": the owner says what to bring
    return None


def _detail_of_the_named(conn: psycopg.Connection, business: dict[str, Any], builder: ReplyBuilder, u: Understanding,
                         hits: list[Hit], previous_products: list[Any] | None) -> Draft | None:
    """A question about a detail of the product named in it (or the one just shown, found again): its catalogue
    words or the measure it comes in; None when the catalogue does not say or the message asks no detail of it."""
    top = hits[0]
    named = set(words(top.name))
    if not any(product_details.word_forms(w) & named for item in u.query.items for w in item) \
            and not (previous_products and top.id == previous_products[0]):
        return None
    said = product_details.answer(top, u.text, u.query.items)
    if said is None:
        return None
    if said.only:
        measure = product_details.measure_asked(u.text)
        kind = measure[0] if measure else ""
        if any(set(product_details.measures(h, kind)) & set(said.only.split(", ")) for h in hits[1:]):
            return None
        if measure and measure[1] and any(_has_measure(h, kind, measure[1]) for h in hits[1:]):
            return None
        return _detail_draft(builder, top, said)
    if product_details.PRICE_WORDS.search(u.norm) or SELLS_ASKED.search(u.norm):
        return None  # "bei ya ...", "do you sell tecno phones?": the thing itself, whatever else it says
    asked = product_details.asked_words(u.query.items, top, u.text)
    if u.asks_price and not product_details.after_the_name(top, u.text, asked):
        return None  # "sabuni ya kufua ni ngapi": the price of the soap its description calls so
    if said.facts and u.asks_price and len(hits) > 1 and all(h.is_available for h in hits[:2]):
        # "Ni ngapi box braids na knotless? Na mnatumia extensions zenu?": the prices asked too (only the box braids'
        # extensions were said; customer test s29)
        return Draft(builder.products_and_facts(hits, top, said.facts), "product", 0.75, hits)
    if said.facts:
        return _detail_draft(builder, top, said, priced=u.asks_price)
    return None  # what the catalogue does not say of a product named goes on as before (its price, the owner)


def _in_another_measure(builder: ReplyBuilder, u: Understanding, instead: list[Hit]) -> Draft | None:
    """A measure of a product that is not sold ("inchi 22" of the 18 inch wig): that it comes only in its own
    measure, or, when several of that kind were found, the ones there are. Still "not sold" (that size is not), with
    no product given back (its price is not the price of the one asked). None when it names no measure of them."""
    measure = product_details.measure_asked(u.text)
    if measure is None or measure[1] is None:
        return None
    kin = [h for h in instead if product_details.measures(h, measure[0])]
    named = [h for h in kin if set(words(h.name)) & set(u.query.terms)]
    if len(named) == 1 and len(kin) == 1:
        return Draft(builder.only_measure(named[0], ", ".join(product_details.measures(named[0], measure[0]))),
                     "not_sold", 0.7, [])
    if named:
        return Draft(builder.not_in_size(kin[:4]), "not_sold", 0.7, [])
    return None


def _has_measure(hit: Hit, kind: str, said: str) -> bool:
    wanted = re.sub(r"[a-z]+$", "", said)
    return any(re.sub(r"[^\d.]", "", m) == wanted for m in product_details.measures(hit, kind))


# "which ones?" ("bei gani", "ngapi gani" ask a price, "what's the price" no list)
_WHICH_ONES = re.compile(r"\b(?:(?<!bei )gani|which|zipi|aina|types?|kinds?|options|mnazo|list|all|zote|vyote|"
                         r"nionyeshe|show me|what (?:\w+ )?do you (?:have|sell|stock))\b")
_CATEGORY_FILLER = frozenset("nazo hizo zipo ziko iko mko mna you have sell any all zote vyote your yenu show me "
                             "nionyeshe".split())
_CATEGORY_AT_MOST = 6

_A_QUALITY = re.compile(r"\b(?:with|yenye|zenye|having|that has|which has|ambayo ina|ambazo zina|iliyo na|zilizo na)\b")


def _of_a_category(conn: psycopg.Connection, business_id: Any, u: Understanding) -> list[Hit]:
    """The shop's available products of the one category a "which ones?" question names ("accessories gani mko
    nazo", "which phones do you have", "show me all your phones"), cheapest first, in the price range said and of the
    make said beside it ("samsung phones below 20k" listed a cover and a repair; customer test s27); [] when it names
    no category or more than a category and one other word."""
    items = [it for it in u.query.items if it[0] not in _CATEGORY_FILLER]
    if (quality := _A_QUALITY.search(u.norm)) is not None:
        # "a phone under 10k with good battery", "simu ya chini ya 20k yenye battery kubwa": what follows is a quality
        # wanted, no thing (they listed a cover and a power bank among the phones; lead's probes s28)
        before = set(u.norm[:quality.start()].split())
        items = [it for it in items if it[0] in before]
    if not 1 <= len(items) <= 2 or not (_WHICH_ONES.search(u.norm) or u.budget):
        return []
    low, high = u.budget or (None, None)
    for k, item in enumerate(items):
        wanted = {t for t in item} | {f"{t}s" for t in item} | {t.rstrip("s") for t in item}
        rows = conn.execute("""SELECT id, name, price, currency, is_available, description, metadata FROM products
                               WHERE business_id = %s AND is_available AND lower(metadata->>'category') = ANY(%s)
                                 AND (%s::numeric IS NULL OR price >= %s) AND (%s::numeric IS NULL OR price <= %s)
                               ORDER BY price, name""",
                            (str(business_id), sorted(wanted), low, low, high, high)).fetchall()
        if not rows:
            continue
        if len(items) == 2:  # "samsung phones": those of the category whose name says the other word
            other = items[1 - k]
            rows = [r for r in rows if set(other) & set(words(r["name"]))]
            return [Hit(**r) for r in rows]
        return [Hit(**r) for r in rows] if len(rows) >= 2 or u.budget else []
    return []


_PHOTO_WORD = re.compile(r"\b(?:picha|pic|pics|picture|pictures|photo|photos|image|images|photocopy|print\w*)\b")
# a photo asked for ("nitumie picha", "send pics"), not one taken ("kupiga picha", "takes good photos": a camera)
_PHOTO = re.compile(r"(?<!piga )(?<!take )(?<!takes )(?<!taking )(?<!good )(?<!nzuri )(?<!haionyeshi )(?<!passport )"
                    r"(?<!pasipoti )\b(?:picha|pic|pics|picture|"
                    r"pictures|photo|photos|image|images)\b(?! (?:nzuri|poa|kali|quality))")


def _photo_of(conn: psycopg.Connection, business: dict[str, Any], u: Understanding,
              previous_products: list[Any] | None) -> Hit | None:
    """The product a photo is asked of: the one the message names, else the one just shown."""
    named = [h for h in retrieve(conn, business["id"], search=u.search, limit=1).hits if h.relevant]
    if named and _PHOTO_WORD.search(normalise(named[0].name)):
        return None  # "passport photos how much": the photos are what the shop sells
    if named:
        return named[0]
    return next(iter(products_by_id(conn, business["id"], list(previous_products or [])[:1])), None)


def _of_their_kind_in_range(conn: psycopg.Connection, business_id: Any, outside: list[Hit],
                            budget: tuple[Decimal | None, Decimal | None]) -> list[Hit]:
    """The shop's available products in the price range of the categories of the things found outside it, cheapest
    first (at most `_CATEGORY_AT_MOST`)."""
    kinds = sorted({str(h.metadata.get("category")).lower() for h in outside
                    if isinstance(h.metadata, dict) and h.metadata.get("category")})
    if not kinds:
        return []
    low, high = budget
    rows = conn.execute("""SELECT id, name, price, currency, is_available, description, metadata FROM products
                           WHERE business_id = %s AND is_available AND lower(metadata->>'category') = ANY(%s)
                             AND (%s::numeric IS NULL OR price >= %s) AND (%s::numeric IS NULL OR price <= %s)
                           ORDER BY price, name LIMIT %s""",
                        (str(business_id), kinds, low, low, high, high, _CATEGORY_AT_MOST)).fetchall()
    return [Hit(**r) for r in rows]


def _only_names(conn: psycopg.Connection, business_id: Any, norm: str) -> bool:
    """Every word of the message (but little words, order and booking verbs, and when) is a word of the shop's
    product names, and one name is all there: "scalp treatment", "book scalp treatment and nail polish change
    tomorrow 3pm"."""
    said = {w for w in words(without_when(norm)) if w not in STOPWORDS and not ORDER_VERB.fullmatch(w)
            and not BOOKING_WORD.match(w) and w not in ("and", "na", "pia", "also", "please", "tafadhali")}
    if not said:
        return False
    names = [set(words(r["name"])) for r in conn.execute("SELECT name FROM products WHERE business_id = %s",
                                                         (str(business_id),))]
    return any(n <= said or said <= n for n in names) and said <= set().union(*names)


def _names_any_thing(u: Understanding) -> bool:
    """Some word of the message is a word for a thing: the bridge's, an English word, a capitalised name or a model
    code."""
    return any(t in WORDS or known_word(t) or t in u.search.names or MODEL_CODE.match(t) or len(t) <= 2
               for t in u.query.terms)


def _its_own_number(hit: Hit, number: Decimal) -> bool:
    """The number is one of the product's own: in its name ("iPhone 13") or a measure its description gives ("18
    inch"): "na 18 ni ngapi?" after "only 18 inch" asked about that wig, not the price of 18 (KES 153,000)."""
    n = str(int(number))
    if any(re.fullmatch(rf"[a-z]*{n}[a-z]*", w) for w in words(hit.name)):  # "13" of "Redmi 13C", "70" of "A70"
        return True
    return re.search(rf"\b{n}\s?(?:-?inch(?:es)?|in|\"|cm|mm|m|kg|g|l|ml|litres?|w|gb|mah)\b",
                     f"{hit.name} {hit.description or ''}", re.IGNORECASE) is not None


def _count_asked(u: Understanding, previous_products: list[Any] | None) -> Decimal | None:
    """A number of the product just shown asked about, nothing else named and no money said: the count, else None."""
    if not previous_products or u.budget or len(u.quantities) != 1 or u.intent.name not in {"product", "unknown", "discount"}:
        return None
    q = u.quantities[0]
    if q.unit not in (None, "piece", "pack", "pair") or not 1 < q.amount < 100 or q.amount != q.amount.to_integral_value():
        return None
    named = [t for t in u.query.terms if not t.isdigit() and t not in NUMBER_WORDS and t not in UNITS and t not in _ITS]
    asks = u.asks_price or u.intent.name == "discount" or "?" in u.text
    return q.amount if asks and not named and not ORDER_VERB.search(u.norm) else None


def _named_by_model(found: Retrieval, u: Understanding) -> Hit | None:
    """The one product the message names by a model code or a capitalised name ("A15", "Redmi"), or None."""
    def naming(h: Hit) -> int:
        return sum(1 for t in h.named if t in u.search.names or MODEL_CODE.match(t))

    ranked = sorted((h for h in found.candidates if h.relevant and naming(h)), key=lambda h: -naming(h))
    if not ranked or len(ranked) > 1 and naming(ranked[1]) == naming(ranked[0]):
        return None  # "Redmi ina ...?" with two Redmis: which one is not said
    return ranked[0]


def _named_category(hits: list[Hit], terms: tuple[str, ...] | list[str]) -> str | None:
    """The category the customer named ("phone" -> phones, even when a Phone Cover ranks first), else the one
    most of the hits share."""
    cats = [c for h in hits if isinstance(c := (h.metadata or {}).get("category"), str)]
    stems = {t.lower().rstrip("s") for t in terms}
    named = [c for c in cats if c.lower().rstrip("s") in stems]
    if named:
        return named[0]
    return max(cats, key=cats.count) if cats else None


_WHICH = frozenset("ipi gani which what one ones ni iko ziko zipi".split())


def _by_price(conn: psycopg.Connection, business: dict[str, Any], u: Understanding,
              previous_products: list[Any] | None) -> list[Hit]:
    """"Which is the cheapest?": what was named (searched), else what the last answer showed and its kind, else
    the whole catalogue — ranked by price, at most three."""
    plain = without_extreme(u.text)  # "cheapest" is no word to search for
    search = search_text(without_price_range(plain) if u.budget else plain)
    if set(search.query.terms) - _WHICH:
        hits = retrieve(conn, business["id"], search=search, price_range=u.budget).hits
        category = _named_category(hits, search.query.terms)
        # "your cheapest phone": every phone, not the phone cover that a search for "phone" also finds
        pool = [Hit(**r) for r in conn.execute(
            """SELECT id, name, price, currency, is_available, description, metadata FROM products
               WHERE business_id = %s AND metadata->>'category' = %s""", (business["id"], category))] \
            if category else hits
    elif previous_products:
        pool = extreme_candidates(conn, business["id"], previous_products)
    else:
        pool = [Hit(**r) for r in conn.execute(
            """SELECT id, name, price, currency, is_available, description, metadata FROM products
               WHERE business_id = %s""", (business["id"],)).fetchall()]
    return by_price(pool, u.extreme or "low")[:3]


def _with_attributes(conn: psycopg.Connection, business: dict[str, Any], builder: ReplyBuilder, intent: Intent,
                     u: Understanding) -> Draft | None:
    """Only a colour, a size or whom it is for, and no product named: the shop's products that say it (kids'
    shoes for "za watoto"); only a size: which item (never "we don't sell that" for a shoe shop asked for size
    40); None when nothing has the colour or group asked (then the search decides, e.g. not sold)."""
    wanted = [a for a in u.attributes if not a.isdigit() and a not in SIZE_WORDS]
    if wanted:
        rows = conn.execute(
            """SELECT id, name, price, currency, is_available, description, metadata FROM products
               WHERE business_id = %s ORDER BY is_available DESC, name""", (business["id"],)).fetchall()
        hits = [h for h in (Hit(**r) for r in rows) if _has(h, wanted)]
        best = max((_has(h, wanted) for h in hits), default=0)
        hits, none_fit = _in_size([h for h in hits if _has(h, wanted) == best][:5], u.size)
        if hits and none_fit:
            return Draft(builder.not_in_size(hits, sized=True), "product", 0.7, hits)
        if hits:
            return Draft(builder.products(hits, ask_sizes=u.asks_sizes), "product", 0.7, hits)
        return None
    if intent.name == "order" or u.counted:  # "nipe moja size 40"
        return Draft(builder.order_nothing(), "order", 0.6, [])
    return Draft(builder.clarify(), "unknown", 0.5, [])


def _how_long_of(conn: psycopg.Connection, business: dict[str, Any], u: Understanding,
                 previous_products: list[Any] | None) -> Any:
    """The product a "how long?" is about: the one it names ("how long do box braids take?"), else the one the
    last answer was about; None when neither."""
    if u.query.has_content:
        named = retrieve(conn, business["id"], search=u.search)
        if named.hits:
            return named.hits[0].id
    return previous_products[0] if previous_products else None


# "na"/"and" joining two things asked about; not after a verb of having ("niko na roadster": I have one)
_AND = re.compile(r"(?<!\bniko)(?<!\buko)(?<!\biko)(?<!\btuko)(?<!\bmko)(?<!\bziko)(?<!\bnipo)(?<!\bzipo)"
                  r"(?<!\bipo)\s+(?:na|and|&|pia|plus)\s+")


def _each_thing_asked(conn: psycopg.Connection, business: dict[str, Any], text: str, hits: list[Hit]) -> list[Hit]:
    """"bei ya charger na screen protector?", "power bank na earbuds": each thing asked about, not only the one
    the whole message ranks first. Two or more parts joined by "na"/"and" that each name something, each
    found: the whole message's best first (so what it asked most is still first), then the best of each part,
    then the rest; otherwise the hits as they were."""
    parts = [p for p in _AND.split(normalise(text)) if search_text(p).query.has_content]
    if len(parts) < 2:
        return hits
    tops: list[Hit] = []
    for part in parts:
        found = retrieve(conn, business["id"], search=search_text(part))
        if not found.hits:
            return hits
        tops.append(found.hits[0])
    merged = list({h.id: h for h in [*hits[:1], *tops, *hits[1:]]}.values())
    return merged[:max(len(tops), len(hits))]


_UK_MOST = Decimal(13)  # shoe sizes up to this, of shoes made in European sizes, are UK sizes
_UK_TO_EU = Decimal(34)  # UK 9 is about EU 43


def _in_size(hits: list[Hit], size: Decimal | None) -> tuple[list[Hit], bool]:
    """For a numbered size asked ("black shoes size 42?"): the hits made in it first and those whose range
    leaves it out dropped (not the school shoes that stop at 39); or all of them and True when none is made in it
    ("size 40 za kids?"), so the reply says so with the sizes there are."""
    if size is None or not hits:
        return hits, False
    fits = [fits_size(h, size) for h in hits]
    if any(fits):
        kept = [h for h, f in zip(hits, fits, strict=True) if f is not False]
        return sorted(kept, key=lambda h: not fits_size(h, size)), False
    return hits, all(f is False for f in fits)


def _named_colour(h: Hit, wanted: list[str]) -> bool:
    """The product is that colour by its name or its colour field ("Nike Air Force 1 White"), not only by a word
    of its description ("Black and white shell-toe"): it comes first for "zile nyeupe"."""
    meta = h.metadata if isinstance(h.metadata, dict) else {}
    said = set(words(f"{h.name} {meta.get('color') or ''} {meta.get('colour') or ''}"))
    return any(w in said for w in wanted if w in COLOUR_WORDS)


def _has(h: Hit, wanted: list[str]) -> int:
    """How many of the wanted words the product's name, description or metadata says."""
    described = described_words(h.name, h.description, h.metadata)
    return sum(1 for w in wanted if w in described)


def _other_colour(conn: psycopg.Connection, business: dict[str, Any], builder: ReplyBuilder, text: str,
                  wanted: list[str], hits: list[Hit], last_id: Any) -> Draft | None:
    """"How about black?" about a product none of whose matches comes in black: say so, and name what the shop
    has of that kind in that colour (the same kind by its category, else by its name), instead of answering
    with the product in its own colour as if it were the one asked for."""
    colours = [w for w in wanted if w in COLOUR_WORDS]
    if not colours or any(_has(h, colours) for h in hits):
        return None
    row = conn.execute("""SELECT id, name, price, currency, is_available, description, metadata FROM products
                          WHERE business_id = %s AND id = %s""", (business["id"], last_id)).fetchone()
    if row is None:
        return None
    last = Hit(**row)
    said = next((w for w in words(text) if w in COLOUR_WORDS), colours[0])  # the customer's own word
    if not says_colour(last):  # no colour listed for it: "not in black" would be a guess
        return Draft(builder.colour_unlisted([last], said), "product", 0.7, [last])
    kind = (last.metadata or {}).get("category") if isinstance(last.metadata, dict) else None
    base = " ".join(w for w in words(last.name) if not attribute_word(w))
    found = retrieve(conn, business["id"], search=search_text(f"{kind or base} {' '.join(colours)}"))
    instead = [h for h in found.hits if h.id != last.id and _has(h, colours)
               and (not kind or isinstance(h.metadata, dict) and h.metadata.get("category") == kind)][:3]
    return Draft(builder.not_in_colour(last, said, instead), "product", 0.7, instead or [last])


OFFER_HOURS = 24


def _haggle(conn: psycopg.Connection, business: dict[str, Any], builder: ReplyBuilder,
            previous_products: list[Any] | None, u: Understanding) -> Draft:
    """A request for a better price, answered by the shop's haggling policy (see migration 0610).

    The product haggled over is the one the message names ("Redmi nipunguzie"), else the one the last
    answer was about; the reply states its listed price so the customer is never left without it."""
    policy = business.get("haggle_policy") or "notify"
    subject: Hit | None = None
    named = [a for a in money_amounts(u.text) if a >= 10]
    if previous_products and named:
        # "lakini 3000 ni mingi, fanya 2500" of a screen repair at 3,000 and a charger: the one at the price said (it
        # was a SIM card replacement at 100, from the words alone; tester s32b)
        subject = next((h for h in products_by_id(conn, business["id"], list(previous_products))
                        if any(Decimal(str(h.price)) == a for a in named)), None)
    if subject is None and u.query.terms:
        found = retrieve(conn, business["id"], search=u.search)
        subject = found.hits[0] if found.hits else None
    if subject is None and previous_products:
        row = conn.execute(
            """SELECT id, name, price, currency, is_available, description, metadata FROM products
               WHERE business_id = %s AND id = %s""", (business["id"], previous_products[0])).fetchone()
        subject = Hit(**row) if row else None
    hits = [subject] if subject else []
    if u.asks_price:
        # "Bei ya superstar na AF1 ni ngapi? Nikichukua zote mbili mnapunguza?": each price asked, then the haggle
        # (it was the haggle alone, no price; customer test s29b)
        for clause in re.split(r"[?.!\n]+", u.text):
            if PRICE_ASKED.search(normalise(clause)) and search_text(clause).query.has_content:
                asked = _each_thing_asked(conn, business, clause, []) \
                    or retrieve(conn, business["id"], search=search_text(clause)).hits[:1]
                if len(asked) > 1 or (asked and not hits):
                    hits = asked
                    subject = asked[0]
                break
    if policy == "escalate":
        return Draft(builder.handover("discount"), "discount", 0.6, hits, escalate_reason="discount")
    if policy == "discount" and subject and subject.is_available and business.get("max_discount_pct"):
        offer = offer_price(subject.price, business["max_discount_pct"])
        if offer < subject.price:
            return Draft(builder.discount_offer(subject, offer), "discount_offer", 0.8, hits)
    if policy in ("none", "discount"):
        return Draft(builder.discount_fixed(hits), "discount", 0.6, hits)
    return Draft(builder.discount(hits), "discount", 0.6, hits)


def _product_meant(conn: psycopg.Connection, business: dict[str, Any], u: Understanding,
                   previous_products: list[Any] | None) -> list[Hit]:
    """The product a message is about: the one it names (retrieval's first relevant hit), else the one the last
    answer was about; [] when neither."""
    named = retrieve(conn, business["id"], search=u.search, limit=1).hits if u.query.terms else []
    return [h for h in named if h.relevant] or (
        products_by_id(conn, business["id"], previous_products[:1]) if previous_products else [])


def _price_on_a_later_day(conn: psycopg.Connection, business: dict[str, Any], builder: ReplyBuilder, u: Understanding,
                          previous_products: list[Any] | None) -> Draft | None:
    """A price asked for a later day ("na kesho itakuwa bei gani?", "bei ya sukari kesho?"): today's, and the one the
    owner planned by then (it went to the owner, who had set it; customer test s25). None for any other message."""
    if not PRICE_ASKED.search(u.norm):
        return None
    day = parse_when(u.norm).day
    if day is None or day <= price_changes.today():
        return None
    hits = _product_meant(conn, business, u, previous_products)
    if not hits:
        return None
    planned = [c for c in price_changes.pending(conn, business["id"], hits[0].id) if c["starts_on"] <= day]
    return Draft(builder.price_on(hits[0], planned[-1] if planned else None), "product", 0.8, hits[:1])


# "nikuwekee moja size 42 zikiingia", "keep one for me when they are back": a thing sold out, wanted once it is in
_WHEN_BACK = re.compile(r"\b(?:zikiingia|ikiingia|zikifika|ikifika|zikirudi|ikirudi|zikija|ikija|zikiletwa|ikiletwa|"
                        r"when (?:they|it)(?:'re| are| is)? (?:back|in)|when (?:they|it) (?:come|comes|arrive|arrives)|"
                        r"once (?:they|it)(?:'re| are| is)? (?:back|in)|when back in stock|back in stock)\b")
_KEEP_FOR_ME = re.compile(r"\b(?:nikuwekee|niwekee|uniwekee|mniwekee|wekea|nishikie|nikeepie|keep|hold|reserve|save|"
                          r"nitaarifu|niarifu|nijulishe|niambie|let me know|tell me|notify me|nitumie|nataka|i want|"
                          # "Oil ya 3 litres ikirudi mniambie" (customer test s29)
                          r"mniambie|uniambie|mnijulishe|unijulishe|mniarifu|uniarifu|nicheki|mnicheki|unicheki)\b")


def _held_for_when_back(conn: psycopg.Connection, business: dict[str, Any], u: Understanding,
                        last: dict[str, Any] | None) -> Hit | None:
    """The sold-out product a customer asks to be kept or told about once it is back (it was "we don't sell that"
    for boots the bot itself had just said were out: customer test s24); None otherwise."""
    if not (_WHEN_BACK.search(u.norm) and _KEEP_FOR_ME.search(u.norm)):
        return None
    hits = _product_meant(conn, business, u, last["product_ids"] if last else None)
    return hits[0] if hits and not hits[0].is_available else None


# whether a service will put the customer's own fault right: "screen repair itasaidia?", "will a new battery fix it?"
_WILL_IT_FIX = re.compile(r"\b(?:itasaidia|itasaidia kweli|itarekebisha|itatengeneza|itafix|itafanya kazi tena|"
                          r"inaweza (?:kusaidia|kurekebisha|kutengeneza)|will (?:it|that|this|a \w+(?: \w+)?) "
                          r"(?:help|fix it|fix this|fix the problem|work)|would (?:it|that|this) (?:help|fix it)|"
                          r"can (?:it|that|this|you) fix (?:it|this|the problem))\b")


def _whether_it_fixes(conn: psycopg.Connection, business: dict[str, Any], u: Understanding,
                      last: dict[str, Any] | None) -> Hit | None:
    """The service asked whether it will put the customer's fault right ("Simu yangu imekufa kabisa, screen repair
    itasaidia? nataka kuileta kesho" drafted the repair; customer test s29): the owner's to judge. None otherwise."""
    fault = _FAULT.search(u.norm)
    if not _WILL_IT_FIX.search(u.norm) and not fault:
        return None
    hits = _product_meant(conn, business, u, last["product_ids"] if last else None)
    if not hits or not hits[0].is_service:
        return None
    said = set(words(u.norm))
    said |= {t for w in said for t in WORDS.get(w, "").split()}  # "maji": water
    if fault and not _WILL_IT_FIX.search(u.norm) and said & _own_words(hits[0]):
        return None  # "screen imepasuka, mnaweza repair?", "iliingia maji" of Water Damage Cleaning: the service's fault
    return hits[0]


# a fault of the customer's own thing, said: water, power, charging, sound, camera, network ("simu yangu imeingia maji,
# mnaweza repair?" was told about the screen repair; customer test s30)
_FAULT = re.compile(r"\b(?:imeingia maji|iliingia maji|imengia maji|ilianguka (?:kwa|ndani ya|kwenye) maji|imelowa|"
                    r"water damaged?|fell in(?:to)? (?:the )?water|got wet|haiwaki|haiwashi|haiwake|won'?t (?:turn|switch) "
                    r"on|haichaji|haichajiki|not charging|won'?t charge|haitoi sauti|no sound|haisikiki|mic haifanyi|"
                    r"haishiki network|no network)\b")


def _own_words(hit: Hit) -> set[str]:
    """The words of a service's name that say what it works on ("screen" of Phone Screen Repair)."""
    return {w for w in words(hit.name) if not _WORK_WORD.fullmatch(w) and w not in ("phone", "simu")}


_WORK_ASKED = re.compile(r"\b(?:can you|could you|do you|mnaweza|unaweza|mtaweza|mna(?:weza )?)\s+(?:\w+\s+)?"
                         r"(?:repair|fix|replace|change|badilisha|tengeneza|rekebisha)\w*")
_WORK_WORD = re.compile(r"repairs?|replacement|replacing|fix(?:ing)?|service|servicing")


def _for_an_unlisted_make(conn: psycopg.Connection, business: dict[str, Any], u: Understanding,
                          last: dict[str, Any] | None) -> tuple[Hit, str] | None:
    """The product asked about (named, else the one just shown) and the phone make the customer named that it is
    not listed for ("Phone Screen Repair ... for Samsung, Tecno, Infinix" of an iPhone 11), or None."""
    if not makes_named(u.norm):
        return None
    hits = _product_meant(conn, business, u, last["product_ids"] if last else None)
    make = unlisted_make(hits[0], u.norm) if hits else None
    return (hits[0], make) if make else None


def offer_price(price: Decimal, max_discount_pct: Any) -> Decimal:
    """The most a discount-policy shop lets the bot offer: the price less max_discount_pct, rounded up to a shilling."""
    pct = Decimal(str(max_discount_pct))
    return (price * (100 - pct) / 100).to_integral_value(rounding="ROUND_CEILING")


def _prompts() -> bool:
    from mtaabot.orders.checkout import prompts_enabled

    return prompts_enabled()


def _owner_back(business: dict[str, Any], language: str) -> str:
    """Outside opening hours a hand-over says when the owner is back (or the owner's own away message)."""
    from mtaabot.hours import NAIROBI, parse_opening_hours
    from mtaabot.messages import catalogue

    schedule = parse_opening_hours(business.get("opening_hours"))
    now = datetime.now(UTC)
    if schedule is None or schedule.is_open(now):
        return ""
    if business.get("away_message"):
        return " " + str(business["away_message"]).strip()
    back = schedule.next_open(now)
    if back is None:
        return ""
    local = back.astimezone(NAIROBI)
    same_day = local.date() == now.astimezone(NAIROBI).date()
    when = local.strftime("%H:%M") if same_day else local.strftime("%a %H:%M")
    return " " + catalogue()["reply"]["owner_back"][language if language in ("SHENG", "SWA", "ENG") else "SWA"].format(
        when=when)


# a message or call in the shop's name asking for money (customer test s29: the customer heard nothing until the owner
# came back the next morning, and might have sent the KES 1,000)
SCAM_SAID = re.compile(r"\b(?:sms|meseji|message|ujumbe|text|call|simu|mtu|someone|somebody)\b.{0,80}\b(?:eti|claim\w*|"
                       r"saying|akisema|anasema|amesema|says|said)\b.{0,120}\b(?:nitume|ni-?send|send|tuma|nimtumie|"
                       r"lipa|pay|pesa|money|shinda|nimeshinda|won|winner|zawadi|prize)\b")


def _payee(conn: psycopg.Connection, business_id: Any) -> str | None:
    from mtaabot.orders.checkout import payee_text, payment_settings

    settings = payment_settings(conn, business_id)
    return payee_text(settings) if settings else None


def _books_nothing_named(u: Understanding) -> bool:
    """A booking that names no service: all it says is when, for how many people ("tunataka booking ya watu 4
    jumamosi" was "we don't do that"), and that the customer would come."""
    rest = [w for w in words(without_when(party.without(u.norm)))
            if w not in VISIT_WORDS and not BOOKING_WORD.match(w) and not ORDER_VERB.fullmatch(w)]
    return not expand_query(" ".join(rest)).has_content


def _services(conn: psycopg.Connection, business_id: Any) -> list[Hit]:
    """The shop's available services (booked work), at most four, in catalogue order."""
    rows = conn.execute(
        """SELECT id, name, price, currency, is_available, description, metadata, is_service, duration_minutes
           FROM products WHERE business_id = %s AND is_available ORDER BY created_at, name""",
        (business_id,)).fetchall()
    return [Hit(**{k: v for k, v in r.items() if k not in ("is_service", "duration_minutes")}, is_service=True)
            for r in rows if is_service(r, r["metadata"])][:4]


def _examples(conn: psycopg.Connection, business_id: Any) -> tuple[list[str], bool]:
    """A few of the shop's things to offer, and whether most of what it lists is work (services)."""
    rows = conn.execute(
        """SELECT name, avg(is_service::int) OVER () >= 0.5 AS mostly_work FROM products
           WHERE business_id = %s AND is_available ORDER BY created_at, name LIMIT 3""", (business_id,)).fetchall()
    return [r["name"] for r in rows], bool(rows and rows[0]["mostly_work"])


def _silent(conv: dict[str, Any], handover: conversations.Handover | None) -> bool:
    """The bot says nothing here: the owner is typing in the Business app (echoes), the chat is with the owner
    (`handover`: its state, None when not handed over), closed, or the customer opted out."""
    quiet = conv.get("quiet_until")
    if quiet is not None and quiet > datetime.now(UTC):
        return True
    if handover is not None and handover.waiting:
        return True
    return conv["status"] == "closed" or bool(conv.get("opted_out"))


def _handover(conn: psycopg.Connection, conv: dict[str, Any]) -> conversations.Handover | None:
    """The state of the chat's hand-over (conversations.handover_state), None when it is not handed over."""
    return conversations.handover_state(conn, conv["id"]) if conv["status"] == "human_escalated" else None


# `respond`'s first statement: the message's language and tokens written, and what every answer reads (the
# billing gate's row, `gate.allowed_now_query`; whether the chat's number has an owner row,
# `registry.OWNER_ROW`; the bot's last answer in this chat of the last day).
_OWNER_PROBE = "EXISTS (SELECT 1 FROM business_owners WHERE business_id = %(b)s AND phone = %(phone)s)"
_RESPOND_READS = """
WITH lang_written AS (UPDATE messages SET detected_language = %(lang)s, confidence_score = %(lc)s, tokens_used = %(tok)s
                  WHERE id = %(m)s),
     allowed AS ({gate})
SELECT allowed.*, {owner} AS owner_row, last.intent AS last_intent, last.product_ids AS last_product_ids,
       last.found AS last_found, last.detected_language AS last_language
FROM (SELECT 1) one
LEFT JOIN allowed ON true
LEFT JOIN LATERAL (SELECT true AS found, m.intent, m.detected_language,
                          -- a side answer that named nothing ("how long?", "where are you?") keeps the products
                          -- of the two turns before it, so "na bei?" / "nitakuja kesho" after it still mean them
                          CASE WHEN cardinality(m.product_ids) > 0 OR m.intent = 'not_sold' THEN m.product_ids
                               ELSE (SELECT p.product_ids
                                     FROM (SELECT created_at, product_ids FROM messages
                                           WHERE conversation_id = %(c)s AND role = 'bot' AND created_at < m.created_at
                                             AND created_at > CURRENT_TIMESTAMP - interval '1 day'
                                           ORDER BY created_at DESC LIMIT 2) p
                                     WHERE cardinality(p.product_ids) > 0 ORDER BY p.created_at DESC LIMIT 1)
                          END AS product_ids
                   FROM messages m
                   WHERE m.conversation_id = %(c)s AND m.role = 'bot' AND m.created_at > CURRENT_TIMESTAMP - interval '1 day'
                   ORDER BY m.created_at DESC LIMIT 1) last ON true
"""


# possessives that point back at what was just talked about ("bei yake", "rangi zake", "its price")
# when a thing out of stock will be back ("zitaingia lini", "itarudi lini", "when will it be back", "niambie zikifika")
_BACK_WHEN = re.compile(r"\b(?:(?:zi|i|u|ki|vi|li)(?:taingia|tafika|takuja|tarudi|tapatikana|kiingia|kifika|kirudi)|lini|when|"
                        r"back in stock|restock\w*|in stock again)\b")
_BACK_WORDS = frozenset("""zitaingia itaingia zitafika itafika zitakuja itakuja zitarudi itarudi zitapatikana itapatikana
zikiingia ikiingia zikifika ikifika zikirudi ikirudi lini when back stock restock again will they it be come in ziko iko
na ok sawa poa basi niambie tell me let know""".split())
_ITS = frozenset("yake zake lake chake vyake yao zao its their".split())
_ALL_WORDS = frozenset("zote vyote both all two mbili viwili three tatu vitatu jumla pamoja together total altogether".split())

STICKY_BELOW = 0.9  # a short message detected with less confidence than this is answered in the chat's language


def _chat_language(lang: LanguageResult, answered_in: str | None, text: str) -> LanguageResult:
    """A few words that say little about their language ("around 10am", "ok", "Westlands"), or a few plain Swahili
    words in a Sheng chat (and the other way round), are answered in the language the chat was already answered in,
    not switched to a guess; the message keeps its own detection."""
    if answered_in not in ("SHENG", "SWA", "ENG") or answered_in == lang.language or len(text.split()) > 4:
        return lang
    # Sheng is written with Swahili's words: "nipe moja", "zitaingia lini?" in a Sheng chat are no switch to Swahili
    kin = {answered_in, lang.language} == {"SHENG", "SWA"}
    # one or two words ("the same", "ok fine", "sawa basi") are no switch either: Kenyans mix them into any chat
    if kin or lang.confidence < STICKY_BELOW or len(text.split()) <= 2:
        return LanguageResult(answered_in, lang.confidence, lang.scores)
    return lang


def _owner_phone(conv: dict[str, Any]) -> str | None:
    """The WhatsApp number the chat's messages come from (owners are recognised by it)."""
    return conv.get("customer_wa_id") or (conv["customer_phone"] if str(conv["customer_phone"]).isdigit() else None)


def _owner_step(conn: psycopg.Connection, business: dict[str, Any], conv: dict[str, Any], user_msg: dict[str, Any],
                text: str, language: str, owner_row: bool | None = None) -> EngineResult | None:
    """A message from a verified owner number is a command (or a new owner's one-time code). `owner_row`:
    registry.OWNER_ROW's answer for this chat's number, when the caller read it already."""
    from mtaabot.owners import commands

    phone = _owner_phone(conv)
    if not phone or not registry.may_be_owner(conn, business, phone, owner_row):  # a customer: no more reads
        return None
    verified = registry.try_code(conn, business["id"], phone, text)
    if verified is not None:
        outcome = commands.Outcome("verify", "Umethibitishwa kama mwenye duka. Tuma MSAADA kuona amri. · "
                                             "You are verified as an owner. Send HELP for the commands."
                                   if verified else "Namba ya uthibitisho si sahihi au imepitwa na muda. · "
                                                    "That code is wrong or has expired.")
    elif registry.is_owner(conn, business["id"], phone):
        last = conn.execute("""SELECT b.content AS answer, u.content AS said FROM messages b
                               JOIN messages u ON u.id = b.reply_to
                               WHERE b.conversation_id = %s AND b.role = 'bot' AND b.intent = 'owner_command'
                               ORDER BY b.created_at DESC LIMIT 1""", (conv["id"],)).fetchone()
        outcome = commands.run(conn, business, text, (last["said"] or "", last["answer"] or "") if last else None)
        if conv.get("kind") != "owner":
            conn.execute("UPDATE conversations SET kind = 'owner' WHERE id = %s", (conv["id"],))
    else:
        return None
    tokens = count_tokens(outcome.text)
    row = _insert_bot(conn, business_id=business["id"], conversation_id=conv["id"], reply_to=user_msg["id"],
                      text=outcome.text, author="system", language=language, confidence=None, tokens=tokens,
                      intent="owner_command", product_ids=[])
    return EngineResult(reply=outcome.text, language=language, confidence=None, escalated=False, tokens_used=tokens,
                        intent="owner_command", bot_message_id=row["id"] if row else None,
                        user_message_id=user_msg["id"], owner_command=outcome.command)


_PAID_SAID = re.compile(r"\b(?:paid|nimelipa|nimeshalipa|nishalipa|tumelipa|nimetuma|nimekutumia|sent the money)\b",
                        re.IGNORECASE)


def _while_paused(conn: psycopg.Connection, business: dict[str, Any], conv: dict[str, Any], text: str, language: str,
                  parsed: Understanding | None) -> None:
    """A paused shop keeps its customers' messages for the bot, but money and trouble reach the owner now: a payment
    claim or a complaint written during SIMAMISHA got no reply and no alert (customer test s25)."""
    u = parsed or understand(text, language)
    reason = u.intent.name if u.intent.escalate else "payment" if _PAID_SAID.search(text) else None
    if reason is None and u.intent.name in ("order", "booking") and conn.execute(
            """SELECT 1 FROM notifications n JOIN businesses b ON b.id = n.business_id
               WHERE n.business_id = %s AND n.conversation_id = %s AND n.created_at >= b.paused_at LIMIT 1""",
            (business["id"], conv["id"])).fetchone() is None:
        # "ok nipe size 41 moja" during SIMAMISHA: the owner hears once per chat that a buyer is waiting (only money
        # and trouble were told; customer test s28)
        reason = "buying_while_paused"
    if reason is None:
        return
    who = conv.get("customer_name") or conv["customer_phone"]
    _notify_once(conn, business["id"], conv["id"], "escalation",
                 handover_body(conn, business["id"], who, reason, said=text[:200], about=None))


def _notify_once(conn: psycopg.Connection, business_id: Any, conversation_id: Any, kind: str, body: str) -> None:
    """Owner notice, not repeated while an identical one from the last day exists."""
    from mtaabot.notifications import notify

    repeated = conn.execute(
        """SELECT 1 FROM notifications WHERE business_id = %s AND kind = %s AND body = %s
           AND created_at > CURRENT_TIMESTAMP - interval '1 day' LIMIT 1""",
        (str(business_id), kind, body)).fetchone()
    if repeated is None:
        notify(conn, business_id, kind, body, conversation_id=conversation_id)


_INSERT_BOT = """INSERT INTO messages (conversation_id, business_id, role, author, content, reply_to, detected_language,
                                       confidence_score, tokens_used, intent, product_ids, delivery_status)
                 VALUES (%(c)s, %(b)s, 'bot', %(a)s, %(t)s, %(r)s, %(l)s, %(s)s, %(n)s, %(i)s, %(p)s, 'queued')
                 ON CONFLICT (reply_to) WHERE reply_to IS NOT NULL DO NOTHING
                 RETURNING *"""


def _insert_bot(conn: psycopg.Connection, *, business_id: Any, conversation_id: Any, reply_to: Any, text: str,
                author: str, language: str | None, confidence: float | None, tokens: int, intent: str | None,
                product_ids: list[Any], touch: bool = False) -> dict[str, Any] | None:
    """The bot message (None when this message was answered already). `touch`: the conversation's
    last_message_at moves to now in the same statement when the message was stored."""
    params = {"c": conversation_id, "b": business_id, "a": author, "t": text, "r": reply_to, "l": language,
              "s": confidence, "n": tokens, "i": intent, "p": product_ids or None}
    if not touch:
        return conn.execute(_INSERT_BOT, params).fetchone()
    return conn.execute(
        f"""WITH bot AS ({_INSERT_BOT}),
                 touched AS (UPDATE conversations SET last_message_at = CURRENT_TIMESTAMP
                             WHERE id = %(c)s AND EXISTS (SELECT 1 FROM bot))
            SELECT * FROM bot""", params).fetchone()


def size_follow_up(conn: psycopg.Connection, business_id: Any, last: dict[str, Any] | None, text: str) -> str:
    """`text` as "size N" when it is a bare two-digit number ("na 46?") about the product of the bot's last answer
    that comes in numbered sizes (`bare_size`); `text` itself otherwise."""
    if not last or not last.get("product_ids") or not BARE_NUMBER.match(text.strip()):
        return text
    row = get_product(conn, business_id, last["product_ids"][0])
    size = bare_size(text, row) if row is not None else None
    return text if size is None else f"size {size}?" if "?" in text else f"size {size}"


def without_shop_name(text: str, name: str) -> str:
    """`text` without the shop's name (two or more of its words in a row, one of them a name rather than a word
    the customer could mean: "mama njeri", never "simu poa" = a good phone) the customer addressed it by; the
    text itself when that is all it says."""
    for pattern in _name_patterns(name):
        rest = pattern.sub(" ", text)
        if rest != text:
            return " ".join(rest.split()) or text
    return text


@functools.lru_cache(maxsize=4096)
def _name_patterns(name: str) -> tuple[re.Pattern[str], ...]:
    """The runs of the shop's name words `without_shop_name` removes, longest first (built once per name: it runs on
    every message)."""

    names, out = name.split(), []
    for k in range(len(names), 1, -1):
        for i in range(len(names) - k + 1):
            if all(w.lower() in WORDS or w.lower() in STOPWORDS or known_word(w.lower()) for w in names[i:i + k]):
                continue
            phrase = r"\W+".join(map(re.escape, names[i:i + k]))
            out.append(re.compile(rf"(?i)\b{phrase}\b[\s,!.:-]*"))
    return tuple(out)


def prepare_batch(texts: list[str]) -> int:
    """Language ID and ONE batched query-encoder call for messages about to be answered (the worker's
    micro-batch). `respond` then finds each message's query vector in the encoder's cache instead of
    running the model once per message. No database access, no writes. Returns how many queries."""
    from mtaabot.understanding import understand_many
    from mtaabot.understanding_model import batch_memo

    batch_memo()  # each n-gram head reads each text of the batch once (language, intent, opt-out check)
    wanted = [text for text in dict.fromkeys(texts) if text.strip() and not text.startswith("[")]
    languages = [detect_language(text) for text in wanted]
    # the query vectors are encoded in one call inside, before the intent classifier reads them
    parsed = understand_many([(text, lang.language) for text, lang in zip(wanted, languages, strict=True)])
    _batch.prepared = {text: (lang, u) for text, lang, u in zip(wanted, languages, parsed, strict=True)}
    return sum(u.query.has_content for u in parsed)


_batch = threading.local()


def _language_and_parse(text: str) -> tuple[Any, Understanding | None]:
    """detect_language(text), and understand(text, language) when this thread's batch made it already
    (both are pure functions of the text: the batch's results are the ones `respond` would compute)."""
    prepared = getattr(_batch, "prepared", None) or {}
    if text in prepared:
        return prepared[text]
    return detect_language(text), None


def _given_rows(rows: dict[str, Any], business_id: Any, conversation_id: Any,
                user_message_id: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The rows a caller already read (the worker: message, conversation locked FOR UPDATE, shop, and no
    answer yet), checked to be the ones asked about, so nothing is read twice."""
    user_msg, conv, business = rows["message"], rows["conversation"], rows["business"]
    if (user_msg is None or str(user_msg["id"]) != str(user_message_id) or user_msg["role"] != "user"
            or str(user_msg["business_id"]) != str(business_id)
            or str(user_msg["conversation_id"]) != str(conversation_id)):
        raise EngineError(f"no customer message {user_message_id} in conversation {conversation_id}")
    if conv is None or str(conv["id"]) != str(conversation_id) or str(conv["business_id"]) != str(business_id):
        raise EngineError(f"no conversation {conversation_id} for this business")
    if business is None or str(business["id"]) != str(business_id):
        raise EngineError(f"no business {business_id}")
    return user_msg, conv, business


def respond(conn: psycopg.Connection, *, business_id: uuid.UUID | str, conversation_id: uuid.UUID | str,
            user_message_id: uuid.UUID | str, rows: dict[str, Any] | None = None) -> EngineResult:
    """Answer one stored customer message (see module docstring). Does not commit.

    `rows` (the worker): {"message", "conversation", "business"} already read in this transaction, the
    conversation locked FOR UPDATE and the message known to have no answer yet; they are not read again."""
    business: dict[str, Any] | None = None
    if rows is not None:
        user_msg, conv, business = _given_rows(rows, business_id, conversation_id, user_message_id)
    else:
        user_msg = conn.execute(
            "SELECT * FROM messages WHERE id = %s AND business_id = %s AND conversation_id = %s AND role = 'user'",
            (str(user_message_id), str(business_id), str(conversation_id))).fetchone()
        if user_msg is None:
            raise EngineError(f"no customer message {user_message_id} in conversation {conversation_id}")
        # Lock the conversation row: concurrent answers for one chat are serialised.
        conv = conn.execute("SELECT * FROM conversations WHERE id = %s AND business_id = %s FOR UPDATE",
                            (str(conversation_id), str(business_id))).fetchone()
        if conv is None:
            raise EngineError(f"no conversation {conversation_id} for this business")
        if conn.execute("SELECT 1 FROM messages WHERE reply_to = %s", (user_msg["id"],)).fetchone():
            return _existing_answer(conn, user_msg, conv)

    text = user_msg["content"] or ""
    with names_kept(names_with_calendar_words(conn, business_id, text)):  # "Fresh Fri" is no Friday
        return _answer(conn, business_id, conversation_id, user_msg, conv, business, text)


def _answer(conn: psycopg.Connection, business_id: uuid.UUID | str, conversation_id: uuid.UUID | str,
            user_msg: dict[str, Any], conv: dict[str, Any], business: dict[str, Any] | None, text: str) -> EngineResult:
    """`respond` once the message, its conversation (locked) and its text are read."""
    lang, parsed = _language_and_parse(text)
    user_tokens = count_tokens(text)
    if business is None:
        business = conn.execute("SELECT * FROM businesses WHERE id = %s", (str(business_id),)).fetchone()
    if price_changes.due(business):  # the owner's "from tomorrow" price has come: this answer uses it
        price_changes.apply_due(conn, business["id"])
    phone = _owner_phone(conv)
    # The language update and the reads every answer needs (owner probe, billing gate, the bot's last answer)
    # in ONE statement. Nothing below writes what they read before using it, and none of them reads what the
    # update writes (the reads see the rows as before it; the statements after it see it done).
    gate_sql, params = gate.allowed_now_query(business_id)
    params.update(m=user_msg["id"], lang=lang.language, lc=lang.confidence, tok=user_tokens,
                  b=str(business["id"]), phone=phone, c=str(conversation_id))
    got = conn.execute(_RESPOND_READS.format(gate=gate_sql, owner=_OWNER_PROBE if phone else "NULL::boolean"),
                       params).fetchone()
    owner_row = got.pop("owner_row")
    last = {"intent": got.pop("last_intent"), "product_ids": got.pop("last_product_ids")} \
        if got.pop("last_found") else None
    lang = _chat_language(lang, got.pop("last_language"), text)
    allowed_now = gate.allowed_now_row(got if got["kind"] is not None else None)
    base = EngineResult(reply=None, language=lang.language, confidence=None, escalated=False,
                        tokens_used=0, user_message_id=user_msg["id"])
    owner = _owner_step(conn, business, conv, user_msg, text, lang.language, owner_row=owner_row)
    if owner is not None:  # the shop's owner steering the bot from their own WhatsApp
        return owner
    handover = _handover(conn, conv)  # a lapsed hand-over: the bot answers again, the owner keeps complaints
    paused = is_paused(business)
    if paused and not _silent(conv, handover):
        _while_paused(conn, business, conv, text, lang.language, parsed)
    if _silent(conv, handover) or paused:  # a paused shop keeps every message
        return base

    verdict = gate.check_ai_allowed(conn, business_id, allowed_now=allowed_now)
    if not verdict.allowed and (done := _order_past_the_gate(conn, business, conv, user_msg, text, lang.language,
                                                             parsed, last)) is not None:
        return done
    if not verdict.allowed:
        told = conn.execute("""SELECT intent FROM messages WHERE conversation_id = %s AND role = 'bot'
                               ORDER BY created_at DESC LIMIT 1""", (str(conversation_id),)).fetchone()
        if told and told["intent"] == "gate":  # the customer was told once in this lapse; the owner replies
            return base
        notice = verdict.customer_message or ReplyBuilder(language=lang.language, tone=business["tone"],
                                                          business=business).handover("gate")
        tokens = count_tokens(notice)
        row = _insert_bot(conn, business_id=business_id, conversation_id=conversation_id, reply_to=user_msg["id"],
                          text=notice, author="system", language=lang.language, confidence=None, tokens=tokens,
                          intent="gate", product_ids=[])
        # The billing gate stores its own (once-a-day) owner notice; only a gate without that does not.
        if verdict.owner_notice and getattr(verdict, "owner_notified", None) is None:
            _notify_once(conn, business_id, conversation_id, "billing", verdict.owner_notice)
        base.reply, base.tokens_used, base.intent = notice, tokens, "gate"
        base.bot_message_id = row["id"] if row else None
        return base

    if (unnamed := without_shop_name(text, business["name"])) != text:
        text, parsed = unnamed, None  # "mama njeri mnauza mchele": the shop addressed, not a thing asked for
    if (sized := size_follow_up(conn, business_id, last, text)) != text:
        text, parsed = sized, None
    u = replace(parsed, language=lang.language) if parsed is not None else understand(text, lang.language)
    if u.intent.escalate and u.intent.learned and _only_names(conn, business["id"], u.norm):
        # "scalp treatment", "book scalp treatment ... tomorrow 3pm" at a salon selling the Scalp Treatment were a
        # complaint (the learned head alone said so: "scalp" reads like "scam")
        u = replace(u, intent=Intent("booking" if parse_when(u.norm).found else "product", 0.7))
    asks_length = bool(last and last["product_ids"] and asks_how_long(u.norm)
                       and service_minutes(conn, business["id"], last["product_ids"][0]) is not None)
    # "how long?": no booking; "niletee mzigo nitalipa mwisho wa mwezi": paying later is the owner's call, no cart
    held = _held_for_when_back(conn, business, u, last)
    unlisted = None if held else _for_an_unlisted_make(conn, business, u, last)
    fixes = None if held or unlisted else _whether_it_fixes(conn, business, u, last)
    # "nimetuma 5000 RTY45UI89Q, balance baadaye": a payment with its code, the rest later, is no credit question (it
    # went to the owner as one and no payment was kept; tester s32b)
    credit = u.asks_credit and not (RECEIPT.search(text) and PAID_WORD.search(u.norm))
    ordered = None if asks_length or credit or u.asks_trade_in or held or unlisted or fixes else _order_step(
        conn, business, conv, user_msg, u, last)
    if asks_length:  # "itachukua muda gani?" with two services booked: the booking's length, not the last one's
        ordered = booking_ends(conn, business, conv, u.norm, u.language)
    if held is not None:  # "nikuwekee moja size 42 zikiingia" of boots sold out: the owner keeps one for them
        builder = ReplyBuilder(language=lang.language, tone=business["tone"], business=business, first_turn=False)
        draft = Draft(builder.hold_when_back(held), "product_question", 0.6, [held], escalate_reason="product_question")
    elif unlisted is not None:  # "my iPhone 11 screen ... how much" of a repair listed for Samsung, Tecno, Infinix
        builder = ReplyBuilder(language=lang.language, tone=business["tone"], business=business, first_turn=False)
        draft = Draft(builder.make_not_listed(*unlisted), "product_question", 0.6, [unlisted[0]],
                      escalate_reason="product_question")
    elif fixes is not None:  # "simu imekufa kabisa, screen repair itasaidia?": the owner judges the fault
        builder = ReplyBuilder(language=lang.language, tone=business["tone"], business=business, first_turn=False)
        draft = Draft(builder.handover_detail(fixes), "product_question", 0.6, [fixes],
                      escalate_reason="product_question")
    elif ordered is not None:
        draft = Draft(ordered.text, ordered.intent, ordered.confidence, ordered.hits)
    elif _READY_ASKED.search(u.norm) and order_store.latest_placed(conn, business["id"], conv["id"]) is None \
            and order_store.latest_open(conn, business["id"], conv["id"]) is None:
        # "simu yangu iko tayari?" with no order here: a repair or an order left in person, only the owner knows (it
        # was the price of a Samsung A15; s31 found-not-fixed)
        builder = ReplyBuilder(language=lang.language, tone=business["tone"], business=business, first_turn=False)
        draft = Draft(builder.ready_asked(), "order_status", 0.7, [], escalate_reason="ready_asked")
    else:
        draft = decide(conn, business, text, lang.language, previous_intent=last["intent"] if last else None,
                       previous_products=(last["product_ids"] or None) if last else None, first_turn=last is None,
                       understanding=u)
        draft = also_asked(conn, business, text, lang.language, draft)
    if handover is not None and draft.escalate_reason is None and not draft.hits and ordered is None \
            and conv.get("escalation_reason") in _STILL_THE_OWNERS and draft.intent in _NOTHING_ASKED:
        # "sasa mtanirudishia pesa ama?" after a refund went to the owner and the wait lapsed: still the owner's matter
        # (it got "Karibu ... Unataka nini leo?" and the owner no new alert; customer test s29)
        reason = conv["escalation_reason"]
        draft = Draft(ReplyBuilder(language=lang.language, tone=business["tone"], business=business).handover(reason),
                      reason, 0.8, [], reason)
    if draft.escalate_reason is None and draft.confidence < ESCALATE_BELOW:
        draft = Draft(ReplyBuilder(language=lang.language, tone=business["tone"], business=business)
                      .handover("low_confidence"), draft.intent, draft.confidence, [], "low_confidence")
    text_out = draft.text
    if draft.escalate_reason is None and draft.hits and ordered is None:
        text_out = _polish(text_out, draft.hits)
    author = "ai"
    if draft.escalate_reason:
        author = "system"
        text_out = text_out + _owner_back(business, lang.language)
        who = conv.get("customer_name") or conv["customer_phone"]
        said = text[:200] if draft.escalate_reason in ("product_question", "policy_question", "ready_asked") \
            else _said_lately(conn, conversation_id, text)
        body = handover_body(conn, business_id, who, draft.escalate_reason, said=said,  # owner's language
                             about=_talked_about(conn, business_id, draft, last))
        body += order_alerts.open_order_context(conn, business_id, conversation_id)  # what they are buying or booking
        if draft.escalate_reason in ("product_question", "policy_question", "ready_asked"):
            # the owner answers the detail; the bot keeps the rest of the chat, so "nipe moja" after it is answered
            _notify_once(conn, business_id, conversation_id, "escalation", body)
        else:
            conversations.escalate(conn, conversation_id, draft.escalate_reason, notify_body=body,
                                   again=handover is not None)
    elif draft.intent == "discount_offer" and draft.hits:
        conn.execute(
            """INSERT INTO price_offers (business_id, conversation_id, product_id, price, expires_at)
               VALUES (%s, %s, %s, %s, CURRENT_TIMESTAMP + make_interval(hours => %s))
               ON CONFLICT (conversation_id, product_id) DO UPDATE SET price = EXCLUDED.price,
                   expires_at = EXCLUDED.expires_at""",
            (str(business_id), str(conversation_id), draft.hits[0].id, prices_in(draft.text)[-1], OFFER_HOURS))
    elif draft.intent == "discount" and (business.get("haggle_policy") or "notify") == "notify":
        who = conv.get("customer_name") or conv["customer_phone"]
        body = owner_text(conn, business_id, "better_price", who=who, said=text[:200])
        if draft.hits:  # "nitalipa 2800 cash": of which thing, at what price (the owner could not tell; s29)
            body += owner_text(conn, business_id, "better_price_of", name=draft.hits[0].name,
                               price=format_price(draft.hits[0].price, draft.hits[0].currency))
        if (haggled := order_store.latest_open(conn, business_id, conversation_id)) is not None:
            # the owner can put the price they agree on this order (ODA n BEI x), so the prompt asks for it
            body += owner_text(conn, business_id, "better_price_order", number=haggled["number"],
                               total=format_price(haggled["total_kes"]))
        _notify_once(conn, business_id, conversation_id, "discount", body)
    if draft.escalate_reason is None and handover is not None and handover.untold:
        # the first answer since a hand-over nobody picked up says the owner was told, once
        text_out = ReplyBuilder(language=lang.language, tone=business["tone"], business=business).owner_told() \
            + "\n" + text_out
    tokens = count_tokens(text_out)
    row = _insert_bot(conn, business_id=business_id, conversation_id=conversation_id, reply_to=user_msg["id"],
                      text=text_out, author=author, language=lang.language, confidence=draft.confidence,
                      tokens=tokens, intent=draft.intent, product_ids=[h.id for h in draft.hits], touch=True)
    if row is None:  # a concurrent call answered first
        return _existing_answer(conn, user_msg, conv)
    return EngineResult(reply=text_out, language=lang.language, confidence=draft.confidence,
                        escalated=draft.escalate_reason is not None, products=[h.as_contract() for h in draft.hits],
                        tokens_used=tokens, intent=draft.intent, bot_message_id=row["id"],
                        user_message_id=user_msg["id"], order=ordered.order if ordered else None,
                        quantity=ordered.quantity if ordered else None)


# a chat handed over for these stays the owner's when the wait lapses and the customer asks nothing the bot can answer
_STILL_THE_OWNERS = frozenset({"complaint", "angry", "human"})
_NOTHING_ASKED = frozenset({"greeting", "unknown", "not_sold", "ack", "price_list"})

_PAST_THE_GATE = FINISHING_STEPS | {"order_status"}  # "has my order been paid?" too


class _NotPastTheGate(Exception):
    """The order step of a gated message was not one that finishes an open order: its writes are undone."""


# "simu yangu iko tayari?", "is my phone ready?", "viatu vyangu vimekamilika?": a thing of theirs the shop has
_READY_ASKED = re.compile(r"\b(?:simu|phone|laptop|viatu|kiatu|nguo|saa|watch|tv|radio|fridge|mzigo|kitu)\s+(?:yangu|changu|"
                          r"vyangu|zangu|langu|wangu)\s+(?:iko tayari|ziko tayari|viko tayari|ni tayari|imekuwa tayari|"
                          r"tayari|imekamilika|vimekamilika|imetengenezwa|vimetengenezwa|imerekebishwa|"
                          r"imeisha kutengenezwa|imeisha kurekebishwa)\b|"
                          r"\bis my (?:phone|laptop|watch|tv|item|shoe|shoes|order) (?:ready|fixed|done|repaired)\b")


def _talked_about(conn: psycopg.Connection, business_id: Any, draft: Draft, last: dict[str, Any] | None) -> str | None:
    """The product a question for the owner is about: the one it names, else (a question about the shop's ways: "ni
    original ama ni mtumba?") the one the bot had just shown (the owner's alert did not say which)."""
    if draft.escalate_reason not in ("product_question", "policy_question"):
        return None
    if draft.hits:
        return draft.hits[0].name
    shown = (last or {}).get("product_ids") or []
    return next((h.name for h in products_by_id(conn, business_id, list(shown)[:1])), None)


def _order_past_the_gate(conn: psycopg.Connection, business: dict[str, Any], conv: dict[str, Any],
                         user_msg: dict[str, Any], text: str, language: str, parsed: Understanding | None,
                         last: dict[str, Any] | None) -> EngineResult | None:
    """An order the bot already drafted or confirmed is finished when the AI replies run out mid-chat (the trial's
    300 used up, a lapsed plan): the customer's yes, cancel, payment or payment retry to it. The gate swallowed the
    "ndio" to a draft the bot had just shown, and the sale was lost. Stored as the system's, so it counts as no AI
    reply; anything else the message would do (a new thing added, a question) is undone and the gate answers."""
    order = order_store.latest_open(conn, business["id"], conv["id"])
    if order is None:
        return None
    u = replace(parsed, language=language) if parsed is not None else understand(text, language)
    try:
        with conn.transaction():  # a savepoint
            step = _order_step(conn, business, conv, user_msg, u, last)
            if step is None or step.intent not in _PAST_THE_GATE:
                raise _NotPastTheGate
    except _NotPastTheGate:
        return None
    tokens = count_tokens(step.text)
    row = _insert_bot(conn, business_id=business["id"], conversation_id=conv["id"], reply_to=user_msg["id"],
                      text=step.text, author="system", language=language, confidence=step.confidence,
                      tokens=tokens, intent=step.intent, product_ids=[h.id for h in step.hits], touch=True)
    if row is None:
        return _existing_answer(conn, user_msg, conv)
    return EngineResult(reply=step.text, language=language, confidence=step.confidence, escalated=False,
                        products=[h.as_contract() for h in step.hits], tokens_used=tokens, intent=step.intent,
                        bot_message_id=row["id"], user_message_id=user_msg["id"], order=step.order,
                        quantity=step.quantity)


def _said_lately(conn: psycopg.Connection, conversation_id: Any, text: str) -> str:
    """What the customer wrote in the last quarter hour (up to three messages, this one last) for a hand-over's alert:
    "nipatie mwenye duka basi" alone told the owner nothing of the wrong size delivered just before (customer test
    s28)."""
    rows = conn.execute("""SELECT content FROM messages WHERE conversation_id = %s AND role = 'user'
                           AND created_at > CURRENT_TIMESTAMP - interval '15 minutes'
                           ORDER BY created_at DESC, id DESC LIMIT 3""", (conversation_id,)).fetchall()
    said = [r["content"] for r in reversed(rows)] or [text]
    if said[-1] != text:
        said = [*said[-2:], text]
    joined = " / ".join(m.strip()[:200] for m in said)
    return joined if len(joined) <= 450 else "…" + joined[-449:]


def _order_step(conn: psycopg.Connection, business: dict[str, Any], conv: dict[str, Any], user_msg: dict[str, Any],
                u: Understanding, last: dict[str, Any] | None) -> FlowResult | None:
    """The cart / booking / payment step for this message, or None when it is not about ordering."""
    if user_msg["message_type"] == "order":
        return whatsapp_cart(conn, business, conv, user_msg["payload"] or {}, u.language)
    if _BARE_YES.match(u.norm) and user_msg.get("created_at") is not None \
            and (cart := order_store.latest_open(conn, business["id"], conv["id"])) is not None \
            and cart["status"] == "draft" and cart["created_at"] > user_msg["created_at"]:
        # "ndio" written before the cart it would confirm existed (sent during a pause, answered on RESUME with the
        # order it came after): shown to say yes to, never confirmed unseen (tester s32b)
        ctx = OrderContext(conn, business, conv, u.language, None, [])
        return order_result(ctx, cart, say("yes_before_cart", u.language, number=cart["number"]), "order_summary", [])
    return order_flow.handle(conn, business, conv, u.text, u.language, intent=u.intent.name,
                             last_intent=last["intent"] if last else None,
                             last_products=(last["product_ids"] or None) if last else None, understanding=u)


_BARE_YES = re.compile(r"^(?:ndio|ndiyo|yes|yeah|sawa|ok|okay|poa|confirm|thibitisha|haya)(?: (?:ndio|yes|sawa|tafadhali|"
                       r"please|confirm))?$")
# two questions in one message: "bei ya sukari na mnafunga saa ngapi?", "do you have AF1 size 43 and do you deliver
# to Rongai?": the second starts after a "?" or after "na"/"and"/"pia"/"also" followed by a question's first word
_SECOND_QUESTION = re.compile(
    r"\?+\s*|\s*[,;.]?\s+(?:na|and|pia|also|halafu|plus|then)\s+(?=(?:bei|price|how|what|what's|whats|when|where|which|"
    r"mna|una|mko|mpo|do|does|can|could|is|are|will|ni|je|mnafunga|mnafungua|mnaleta|mnadeliver|mnakubali|mnauza|"
    r"saa|nataka kujua|kama|mnafanya|mnatengeneza)\b)", re.I)
_INFO = frozenset({"hours", "location", "payment_methods", "delivery"})
# a part that asks about a thing itself: its price or whether it is there
_ASKS_OF_A_THING = re.compile(PRICE_ASKED.pattern + r"|\b(?:iko|ziko|iko\?|mko na|mna|una|do you have|have you got|"
                              r"available|in stock|inapatikana|zinapatikana)\b")


def _same_answer(one: str, other: str) -> bool:
    """Two info intents one answer covers: the place answer gives the hours, and the hours answer the place."""
    return one == other and one in _INFO or {one, other} == {"location", "hours"}


def also_asked(conn: psycopg.Connection, business: dict[str, Any], text: str, language: str, draft: Draft) -> Draft:
    """`draft` with the answers to the other questions of the message that it left out: hours, place, payment or
    delivery asked beside something else, or a product other than the ones answered. Nine such messages lost one
    question each (owner test s26), and of three questions ("AF1 ziko back? na bei ya superstar, na mnafunga saa
    ngapi leo") only the hours were answered (s27). When a thing out of stock comes back is asked of the owner beside
    the bot's answer; another part only the owner can answer adds nothing (the whole message's hand-over, if any,
    stands); a complaint or a person asked for is the whole message's business; at most two answers are added."""
    parts = [p.strip(" ,.;!") for p in _SECOND_QUESTION.split(text) if p and len(p.split()) >= 2]
    if not 2 <= len(parts) <= 3 or draft.intent not in _INFO | {"product", "not_sold", "product_question",
                                                                  "policy_question"}:
        return draft
    understood = [understand(p, language) for p in parts]  # each part parsed once, read again by `decide`
    asked = [u.intent for u in understood]
    if any(i.escalate for i in asked) and draft.escalate_reason is None:
        return draft  # a complaint or a person asked for is the whole message's business
    # the things whose price the answer gave (a hand-over, or "inachukua kama saa 4", priced nothing)
    answered = {h.id for h in draft.hits if format_price(h.price) in draft.text} if draft.escalate_reason is None \
        else set()
    said = [draft.intent]  # the answers given so far, by intent
    for part, parsed in zip(parts, understood, strict=True):
        if len(said) == 3:
            break
        if parsed.intent.name not in _INFO | {"product"} or any(_same_answer(parsed.intent.name, i) for i in said):
            continue
        # the part may be about what the first answered ("iphone 13 iko? when will it be back?")
        other = decide(conn, business, part, language, first_turn=False, understanding=parsed,
                       previous_products=[h.id for h in draft.hits[:1]])
        # when a thing out of stock comes back ("iphone 13 iko? when will it be back?") is asked of the owner, beside
        # the bot's answer (any part for the owner cost a false hand-over on held-out messages)
        asks_owner = other.escalate_reason == "product_question" and draft.escalate_reason is None \
            and bool(_BACK_WHEN.search(parsed.norm))
        if (other.escalate_reason is not None and not asks_owner) \
                or other.intent not in _INFO | {"product", "product_question"} \
                or any(_same_answer(other.intent, i) for i in said):
            continue
        if other.intent == "product" and (not other.hits or answered & {h.id for h in other.hits}):
            continue
        if other.intent == "product" and draft.intent in ("product", "not_sold") and not _ASKS_OF_A_THING.search(
                expand_sms(normalise(part))):
            continue  # "do you sell motorbikes? I want a new Boxer": the same question said again, no second one
        if draft.intent == "not_sold" and other.intent == "product" and other.hits and draft.escalate_reason is None:
            # "screen protector mna? bei gani na mnaweka bure?": the whole read as nothing sold, a part finds the thing
            # (it said "we don't sell that" and then the protector's price; customer test s28): the thing's answer
            answered = {h.id for h in other.hits if format_price(h.price) in other.text}
            said = [other.intent]
            draft = other
            continue
        seen = {h.id for h in draft.hits}
        answered |= {h.id for h in other.hits if format_price(h.price) in other.text}
        said.append(other.intent)
        draft = Draft(_joined(draft.text, other.text), draft.intent, min(draft.confidence, other.confidence),
                      draft.hits + [h for h in other.hits if h.id not in seen],
                      draft.escalate_reason or other.escalate_reason)
    return draft


def _joined(first: str, second: str) -> str:
    """Two answers one under the other, the closing line they share said once, at the end ("Jibu na idadi ukitaka
    ku-order." stood under both the warranty and the price; customer test s29)."""
    for m in reversed(list(re.finditer(r"(?:^|(?<=[.!?:])\s+|\n)", first))):
        tail = first[m.end():]
        if len(tail) >= 10 and second.endswith(tail) and first[:m.start()].strip():
            return f"{first[:m.start()].rstrip()}\n{second}"
    return f"{first}\n{second}"


def _polish(draft: str, hits: list[Hit]) -> str:
    """Optional LLM rewrite (MTAABOT_LLM_MODEL); kept only when it passes the grounding check."""
    from mtaabot.config import get_settings

    if not get_settings().llm_model:
        return draft
    from mtaabot.generation import acceptable, polish

    try:
        candidate = polish(draft)
    except Exception:  # a broken local model must never block a reply
        log.warning("LLM polish failed; sending the grounded draft", exc_info=True)
        return draft
    return candidate if acceptable(candidate, draft, hits) else draft
