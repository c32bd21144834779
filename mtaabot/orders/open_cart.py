"""A message while the chat's cart holds items: a swap or removal, a cancel, a payment claim, a yes (or thanks)
to the summary just shown, a booking's time, how to pay, the total, delivery or pickup."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from mtaabot.intents import WILL_PAY, expand_sms
from mtaabot.orders import bookings, party, store
from mtaabot.orders.booking_times import ask_time, booking_time, on_asked_day
from mtaabot.orders.cart import (
    add_lines,
    companion_answer,
    companion_asked,
    companion_joins,
    services_for,
    stock_line,
)
from mtaabot.orders.cart_edits import cancelled_item, cart_line, change_wanted, exchange, line_named, remove
from mtaabot.orders.confirmed_booking import LATE, late_to
from mtaabot.orders.context import Context, FlowResult, hit_of, product_rows, result
from mtaabot.orders.fulfilment import (
    before_place,
    delivery_asked,
    note_fulfilment,
    pickup_time,
    places_after_yes,
)
from mtaabot.orders.lines import asked_for, resolve, segments
from mtaabot.orders.paid_claims import claimed_paid, claims_paid
from mtaabot.orders.patterns import (
    ADD_MARK,
    ADD_VERB,
    BARE_PRICE,
    CANCEL,
    CANCEL_ITEM,
    CHANGE_THIS_TO,
    COMMA,
    CONFIRM,
    CONFIRM_AT_END,
    EXPLICIT_CONFIRM,
    FILLER_ONLY,
    LEAVE_AFTER,
    MORE,
    NOT_THAT,
    NOT_WANTED,
    ORDER_VERB,
    PAID_WORD,
    PICKUP,
    PROMPT_ASK,
    REMOVE,
    REMOVE_AFTER,
    RETRY,
    STATUS_Q,
    SUMMARY_INTENTS,
    SWAP,
    THANKS_ONLY,
    THATS_ALL,
    TOTAL_Q,
    TURNED_DOWN,
    WHOLE_ORDER,
    YES_TAIL,
)
from mtaabot.orders.paying import cancel, confirm, how_to_pay
from mtaabot.orders.quantities import NUMBER_WORDS, UNITS, find_quantities
from mtaabot.orders.sizes import merged_variant, variant_only
from mtaabot.orders.summary import line_label, summary
from mtaabot.orders.texts import say
from mtaabot.orders.when import NAIROBI, When, parse_when, without_when
from mtaabot.reply_builder import fits_size, format_price
from mtaabot.understanding import PRICE_ASKED
from mtaabot.vocabulary import normalise, words

# "aah wacha, sitaki chochote tena": nothing at all (it was "'sitaki chochote tena' is not in your order")
_GIVING_UP = FILLER_ONLY | frozenset("""tena aah ah aa aii ai aki wacha acha hapana no sorry pole hmm eeh bro msee chochote
kitu vitu anything everything yote zote vyote kabisa""".split())
_LEFT = re.compile(r"\b(?:wacha|acha|achana|forget|leave|nevermind|never mind)\b")
# "ngoja", "wait", "let me think", "nitakuambia": the customer is not ready to say yes
_NOT_YET = re.compile(r"\b(?:ngoja|ngojea|subiri|wait|hold on|not yet|nifikirie|nifikiria|nitafikiria|"
                      # "poa poa, nitarudi baadaye" confirmed KES 6,700 (customer test s28)
                      r"nitarudi (?:baadaye|later|tena|kesho)|nitakurudia|i'?ll (?:come|be) back|"
                      r"let me (?:think|check|"
                      r"see|confirm)|nicheki|nichekie|nitacheki|nitakuambia|nitakujulisha|nitakuconfirmia|i'?ll let you "
                      r"know|i'?ll get back|i'?ll think)\b")
# "ok 9 then", "9 basi", "make it 10", "sawa saa tatu basi": a lone hour, said in the first clause
_LONE_HOUR = re.compile(r"^(?:(?:ok|okay|sawa|basi|poa|fine|then|actually|sorry|aki|make it|fanya|ama|or|at|saa)\s+)*"
                        r"(?P<n>\d{1,2}|\w+)(?:\s*(?:am|pm|o'?clock|asubuhi|jioni|mchana|usiku))?"
                        r"(?:\s+(?:then|basi|instead|badala yake|ndio poa|sawa))*\s*[?.!]?$")


def _another_hour(ctx: Context, text: str) -> bool:
    """The first clause of the message is only an hour ("ok 9 then") and the customer's message before gave a time of
    day ("can I collect at 8am?"): the time again, not a count."""
    first = normalise(re.split(COMMA + r"|[;\n]|\.(?=\s|$)", text)[0]).strip()
    m = _LONE_HOUR.match(first)
    if m is None:
        return False
    said = find_quantities(m.group("n").split())
    if len(said) != 1 or said[0].unit is not None or not 1 <= said[0].amount <= 12:
        return False
    before = ctx.said_before()
    return bool(before) and parse_when(before, ctx.now).at is not None


# the bot's answers beside an open cart that offer nothing new to say yes to: a yes after one is a yes to the cart
_THAT_ONE = re.compile(r"^(?:hiyo|hizo|hio|hii|hizi|that one|this one|that|ile|hiyo hiyo)\W+")
# a delivery said after the yes ("ndio. delivery Upper Hill", "sawa, mniletee Kasarani", "ndio, niko Ruaka")
_BRINGS = re.compile(r"\b(?:delivery|deliver|m?niletee|leteni|mtaleta|mnaleta|mniletea|niletewe|tuletee|peleka|m?nitumie|"
                     r"bring|send it|niko|nipo|i'?m at|am at|i am in|i'?m in)\b")


# "jumla kwa zote mbili?": both of them, no count (it was "we don't sell that"; s31 found-not-fixed)
_ALL_OF_THEM = re.compile(r"\b(?:zote|hizo|hizi|both|all|the)\s+(?:mbili|tatu|nne|two|three|four|2|3|4)\b")


def _said_after_yes(text: str, yes_word: str) -> str:
    """The words as written after the yes that opens a message ("ndio. delivery Upper Hill" -> "delivery Upper Hill")."""
    m = re.search(r"\b" + re.escape(yes_word) + r"\b[\s,.!;:-]*", text, re.I)
    return text[m.end():].strip() if m else ""


_ASIDES = ("product_question", "policy_question", "discount", "hours", "location", "payment_methods", "delivery",
           # "ndio" after "we don't do that" or a word of thanks, with the draft waiting: the yes to it ("Poa, tuko
           # pamoja" and the booking stayed a draft the owner never saw; customer test s28)
           "not_sold", "unknown", "thanks", "ack",
           # the owner's word that money came while the customer changes the order (paid cash, then "ndio")
           "order_part_paid")


# what delivery costs, asked: "delivery ni pesa ngapi", "ni ngapi kuleta", "how much is delivery"
_COST_ASKED = re.compile(r"\b(?:delivery|kuleta|uletaji|usafiri|transport|rider|boda)\b.{0,20}\b(?:ngapi|pesa gani|bei gani|how "
                         r"much|cost|charge|fee)\b|\b(?:ngapi|how much|what does it cost)\b.{0,20}\b(?:delivery|kuleta|"
                         r"kuniletea|uletaji|transport)\b")


# "moja iwe size 34", "sorry, size ya pili ni 37", "pair ya pili iwe size 40", "one of them should be 44": one pair of a
# line of several, in another size
_ONE_OF_THEM = re.compile(r"\b(?:(?:pair|jozi|kiatu|shoe|size|saizi) ya pili|ya pili|(?:the )?second(?: pair| one)?|"
                          r"the other(?: pair| one)?|one of them|moja wapo|moja yao|(?:moja|one|one pair|pair moja|jozi moja)"
                          r"(?: (?:size|saizi))? (?:iwe|ni|be|should be|to be))\b")
_MORE_OF_IT = re.compile(r"\b(?:zaidi|ongeza|niongezee|add|more|another|extra|ingine|nyingine|pia|too|also)\b")


_OTHER_STAYS = re.compile(r"\s*(?:na\s+|and\s+)?(?:ingine|nyingine|the other(?: one)?|other one)\s+(?:ibaki|ikae|ibaki kuwa|"
                          r"iwe|stays?|remains?|is still|bado)\s+(?:size\s+)?(\d{2})\b")


_COMING_NOW = re.compile(r"\b(?:nakuja|tunakuja|nitakuja|nitafika|i'?m coming|i am coming|coming|tunafika)\s+"
                         r"(?:sasa|sahii|saa hii|sai|now|right now|immediately)\b|\b(?:niko|tuko) njiani\b|"
                         r"\bon my way\b")


_ONLY_THAT = re.compile(r"\b(?:just|only) (?:the|a) \w+")


def _one_in_another_size(ctx: Context, order: dict[str, Any], norm: str) -> FlowResult | None:
    """One of the pairs of a line of two or more, in the one size said, when one line can be meant (the size went on
    the cleaning kit, "size ya pili ni 37" made 37 kits, "moja iwe size 34" left one pair of two; customer test
    s29)."""
    # "superstar moja iwe size 41, ingine ibaki 40": the other stays as it is (that pair was dropped; s30)
    stays = _OTHER_STAYS.search(norm)
    norm = _OTHER_STAYS.sub("", norm) if stays else norm
    if not _ONE_OF_THEM.search(norm) or _MORE_OF_IT.search(norm):
        return None
    sizes = re.findall(r"\b(\d{2})\b", norm)
    if len(sizes) != 1:
        return None
    rows = [r for r in store.items(ctx.conn, order)
            if r["quantity"] >= 2 and (r["variant"] or "").startswith("size ") and r["variant"] != f"size {sizes[0]}"]
    products = {p["id"]: p for p in product_rows(ctx.conn, ctx.business["id"], [r["product_id"] for r in rows])}
    fitting = [r for r in rows if fits_size(hit_of(products[r["product_id"]]), Decimal(sizes[0]))]
    if len(fitting) != 1 or (stays and fitting[0]["variant"] != f"size {stays.group(1)}"):
        return None
    row, product = fitting[0], products[fitting[0]["product_id"]]
    try:
        store.change_line(ctx.conn, order, product, row["id"], row["quantity"] - 1, row["variant"])
        store.set_item(ctx.conn, order, product, Decimal(1), add=True,
                       variant=merged_variant(row["variant"], f"size {sizes[0]}"))
    except store.OrderError:
        return None
    order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
    return result(ctx, order, summary(ctx.conn, order, ctx.lang) + "\n" + say("ask_confirm", ctx.lang), "order",
                  [hit_of(product)])


def draft_turn(ctx: Context, order: dict[str, Any], text: str, norm: str, *, intent: str,
               n_words: int) -> FlowResult | None:
    """What a message does to the chat's draft order that has items; None when it is none of the steps here (the
    dispatcher reads it on: new lines, a paid claim with no order, ...)."""
    conn, business, conv, lang = ctx.conn, ctx.business, ctx.conv, ctx.lang
    last_intent, now = ctx.last_intent, ctx.now
    if (swap := SWAP.match(norm)) is not None:
        rows = store.items(conn, order)
        if swap.group("new3") and len(rows) > 1:  # "nipe maziwa 2 badala" with sugar and eggs: instead of which
            return result(ctx, order, say("instead_which", lang, names=", ".join(map(line_label, rows))), "order", [])
        return exchange(ctx, order, swap.group("old") or swap.group("old2") or "hiyo",
                        swap.group("new") or swap.group("new2") or swap.group("new3"))
    if (turned := _turned_down_then_add(ctx, order, text)) is not None:
        return turned
    if (named := CHANGE_THIS_TO.match(norm)) is not None and not variant_only(named.group("new")) \
            and [w for w in named.group("new").split() if w not in NUMBER_WORDS and not w.isdigit()] \
            and isinstance(line_named(ctx, order, named.group("old")), dict):  # ("badilisha sukari iwe 2": a count)
        return exchange(ctx, order, named.group("old"), named.group("new"))
    if (becomes := change_wanted(ctx, order, norm)) is not None:
        return exchange(ctx, order, "hiyo", becomes)
    if (recounted := _counts_set(ctx, order, text) or _count_becomes(ctx, order, norm)
            or _count_said_before(ctx, order, norm)) is not None:
        return recounted
    if (split := _one_in_another_size(ctx, order, norm)) is not None:
        return split
    unwanted = NOT_WANTED.match(norm)  # "sitaki maziwa tena", "mayai sitaki tena": that item out
    if unwanted and set((unwanted.group(1) or unwanted.group(2)).split()) <= _GIVING_UP:
        return cancel(ctx, order)  # "aah wacha, sitaki tena": the whole order ("aah wacha haipo kwenye oda yako")
    if unwanted and not set((unwanted.group(1) or unwanted.group(2)).split()) <= FILLER_ONLY | {"tena"}:
        return remove(ctx, order, unwanted.group(1) or unwanted.group(2))
    if (no := NOT_THAT.match(norm)) is not None and not set(no.group(1).split()) <= FILLER_ONLY \
            and not variant_only(no.group(1)) \
            and isinstance(cart_line(ctx, store.items(ctx.conn, order), no.group(1)), dict):
        return remove(ctx, order, no.group(1))  # "akala hapana": the akala out
    if (left := LEAVE_AFTER.match(norm)) is not None and not set(left.group(1).split()) <= FILLER_ONLY \
            and not ORDER_VERB.search(left.group(1)) and line_named(ctx, order, left.group(1)):
        return remove(ctx, order, left.group(1))  # "hapana size 40 wacha": that pair out (it was "not sold")
    one = REMOVE_AFTER.match(norm) or cancelled_item(text)
    if one and not ORDER_VERB.search(one.group(1)) \
            and not (one.re is CANCEL_ITEM and WHOLE_ORDER.search(one.group(1))) \
            and (one.re is REMOVE_AFTER or not set(one.group(1).split()) <= FILLER_ONLY):
        return remove(ctx, order, one.group(1))
    if CANCEL.search(norm):
        return cancel(ctx, order)
    if order["kind"] != "booking" and _another_hour(ctx, text):
        # "can I collect at 8am?" then "ok 9 then. keep them": the hour, never nine power banks (KES 26,400 confirmed)
        note = f"{order.get('customer_note') or ctx.said_before(as_written=True)} / {text.strip()}"
        store.set_fields(conn, order, customer_note=note[:300])
        order = store.get_order(conn, business["id"], order["id"])
        return result(ctx, order, summary(conn, order, lang) + "\n" + say("ask_confirm", lang), "order_summary", [])
    if order["kind"] == "booking" and party.joins(text):  # "nitakuja na dada yangu, anataka the same"
        return companion_joins(ctx, order)
    if order["kind"] == "booking" and (people := party.corrected(norm)) is not None:
        # "nimesema watoto wawili": each service of the booking for that many (it was "we don't do that")
        return services_for(ctx, order, people)
    if order["kind"] == "booking" and party.only_people(norm):  # "mimi na rafiki yangu": what does she have?
        return companion_asked(ctx, order)
    if order["kind"] == "booking" and last_intent == "booking_companion" \
            and (joined := companion_answer(ctx, order, text, norm)) is not None:
        return joined
    if claims_paid(intent, text, norm) and not RETRY.search(norm):  # "nimelipa" before saying yes
        return claimed_paid(ctx, order, text)
    # "ok what about monday 11am?" moves the booking; it is no yes to the time asked before
    timed = bookings.with_clocks(text, norm)  # "6:30 then?": the minutes as typed
    asked = bookings.move_asked(timed, now) or parse_when(timed, now)  # "can we move it to 12?"
    if not asked.found and order["kind"] == "booking" and order["booking_at"] is not None and LATE.search(norm) \
            and (later := late_to(ctx, order, timed)) is not None:
        asked = later  # "aki push by an hour, tutachelewa" of a booking not yet confirmed ("we don't do that"; s30b)
    if not asked.found and order["kind"] == "booking" and order["booking_at"] is None and _COMING_NOW.search(norm):
        # "sawa nakuja sasa" to "which day and time?": now, the next quarter hour (asked again; customer test s30);
        # out of hours, the booking's check says when the shop opens
        soon = (now or datetime.now(NAIROBI)).astimezone(NAIROBI) + timedelta(minutes=15)
        soon -= timedelta(minutes=soon.minute % 15, seconds=soon.second, microseconds=soon.microsecond)
        asked = When(soon.date(), soon.time().replace(tzinfo=None))
    moves = order["kind"] == "booking" and asked.found
    if PROMPT_ASK.search(norm) and not PAID_WORD.search(norm) and not CANCEL.search(norm):
        return confirm(ctx, order)  # "nitumie mpesa prompt": a yes, and the prompt it brings
    if THATS_ALL.match(norm) or (STATUS_Q.search(norm) and "?" in text
                                 and not find_quantities(re.sub(r"\b(?:order|oda) #?\d+", " ", norm).split())):
        # "ni hayo tu": the order as it is, to say yes to; "order 20 iko wapi?" of a cart: it waits for the yes
        # (it was "we don't sell that")
        return result(ctx, order, summary(conn, order, lang) + "\n" + say("ask_confirm", lang), "order_summary", [])
    if THANKS_ONLY.match(norm) and last_intent in SUMMARY_INTENTS:
        return result(ctx, order, say("yes_to_order", lang, number=order["number"]), "order_summary", [])
    # a question is no yes: "sawa ni pesa ngapi zote?", "ok so total?" confirmed the order
    asks = "?" in text or bool(TOTAL_Q.search(norm) or PRICE_ASKED.search(expand_sms(norm)))
    if (that := _THAT_ONE.match(norm)) is not None and CONFIRM.match(norm[that.end():]):
        norm = norm[that.end():]  # "hiyo, ndio": that one, yes (it was "Poa, tuko pamoja", nothing confirmed; s32b)
    yes = CONFIRM.match(norm)
    if yes and _LEFT.search(norm[yes.end():]):  # "sawa wacha" (ok, leave it) confirmed the order
        yes = None
    if (yes and _NOT_YET.search(norm[yes.end():]) or _NOT_YET.match(norm)) and last_intent in SUMMARY_INTENTS \
            and not find_quantities(norm.split()) and "?" not in text:
        # "ok ngoja kwanza nicheki doh", "sawa ngoja nifikirie": not yet (each confirmed the order and alerted the
        # owner; customer test s28); the order waits for the yes
        return result(ctx, order, say("not_yet", lang, number=order["number"]), "order_summary", [])
    # "sawa hizo za nusu nipe 2", "ok nipe 3": a change said after the ok, not a yes to what was shown
    after = norm[yes.end():].split() if yes else []
    # "sawa, na ongeza cleaning kit": something more, said after the ok (it confirmed the order without the kit)
    changes = bool(find_quantities(after)) or bool(MORE.search(" ".join(after))) or (
        bool(ADD_MARK.match(" ".join(after))) and len(after) > 1) or (bool(ORDER_VERB.search(" ".join(after))) and not set(
        w for w in after if not ORDER_VERB.fullmatch(w)) <= FILLER_ONLY | YES_TAIL) \
        or bool(REMOVE.match(" ".join(after))) or bool(_ONLY_THAT.search(" ".join(after)))
    # ("ok ondoa earphones, just the charger" confirmed the order with a line not asked for; customer test s30b)
    if yes and order["kind"] != "booking" and not moves and (said_after := _said_after_yes(text, yes.group(1))) \
            and _BRINGS.search(after_norm := normalise(said_after)) \
            and not find_quantities(before_place(after_norm).split()) \
            and (place := places_after_yes(ctx, said_after)) is not None:
        # "ndio. delivery Upper Hill", "ok ndio, leteni Upper Hill, Britam Tower": the yes, to that place (confirmed
        # as a pickup the owner never heard was to be brought, or "we don't have 'leteni upper hill'"; tester s32)
        store.set_fields(conn, order, fulfilment="delivery", delivery_location=place)
        return confirm(ctx, store.get_order(conn, business["id"], order["id"]))
    if yes and changes and order["kind"] == "booking" and (people := party.only_people(" ".join(after))) is not None:
        # "yes 3 of us" to a booking for three: the yes (it was "we don't sell that"); for another number, the count
        if all(r["quantity"] == people for r in store.items(conn, order)):
            changes = False
        else:
            return services_for(ctx, order, people)
    if yes and n_words <= 6 and not moves and not asks and not changes \
            and (last_intent in SUMMARY_INTENTS + ("order_remove", "order_problem") + _ASIDES
                 or EXPLICIT_CONFIRM.search(norm)):
        # also after an aside that offered nothing new (a question passed to the owner, "our prices are as listed"):
        # "ndio book", "ok nimekubali ndio" were "Poa, tuko pamoja" and the booking never made (customer test s27)
        return confirm(ctx, order)
    if not yes and _POLITE_YES.match(text.strip().lower()) and last_intent in SUMMARY_INTENTS:
        # "samahani nilichelewa kujibu, ndio", "asante sana dear, ndio": a yes after an apology or thanks (they were a
        # complaint and a thank-you, and the order stayed a draft; customer test s25)
        return confirm(ctx, order)
    if yes and n_words <= 6 and not moves and not asks and not changes and order["kind"] != "booking" \
            and set(w for w in after if not ORDER_VERB.fullmatch(w)) <= YES_TAIL | FILLER_ONLY:
        # a yes to something other than the order ("bei?" -> the price -> "sawa ndio"): what was just offered
        # joins the order, else the order is shown to say yes to (it was "ok, karibu tena" and the cart was lost)
        shown = ctx.last_products[:1] if last_intent == "product" and len(ctx.last_products) == 1 else []
        if shown and shown[0] not in {r["product_id"] for r in store.items(conn, order)}:
            added = add_lines(ctx, "hiyo", order, booking=False)
            if added is not None:
                return added
        return result(ctx, order, summary(conn, order, lang) + "\n" + say("ask_confirm", lang), "order_summary", [])
    m = REMOVE.match(norm)
    if m and not ORDER_VERB.search(m.group(1)):
        return remove(ctx, order, m.group(1))
    if m and (verb := ORDER_VERB.search(m.group(1))) is not None \
            and (swapped := _remove_then_add(ctx, order, m.group(1)[:verb.start()], m.group(1)[verb.start():])) is not None:
        return swapped
    if order["kind"] == "booking":  # a time said now sets the booking's time, or changes it
        when = on_asked_day(ctx, order, bookings.same_time(conn, business["id"], conv["id"], norm, asked))
        if when.at is not None or (when.day is not None and order["booking_at"] is None):
            order = store.get_order(conn, business["id"], order["id"])
            if when.moment() is None:
                return result(ctx, order, ask_time(ctx, order), "booking", [])
            problem = booking_time(ctx, order, when)
            order = store.get_order(conn, business["id"], order["id"])
            if order["booking_at"] is not None and (more := _service_added_beside(ctx, order, text)) is not None:
                # "tufanye Friday saa nane mchana. Pia niongeze pedicure": moved, and the pedicure too (it was
                # dropped; customer test s29b)
                more.text = (problem + "\n" if problem else "") + more.text
                return more
            text_out = (problem + "\n" if problem else "") + summary(conn, order, lang) + "\n" + \
                (ask_time(ctx, order) if order["booking_at"] is None else say("ask_confirm", lang))
            return result(ctx, order, text_out, "booking", [])
    if intent == "payment_methods":
        # "nitalipa na mpesa" right after the order was shown is a yes to it; asked later, or as a question
        # ("nilipe vipi?"), it gets the way to pay and the order to say yes to
        if last_intent in SUMMARY_INTENTS and WILL_PAY.search(norm) and "?" not in text:
            note_fulfilment(ctx, order, text, norm)  # "ni sawa, nitalipa on delivery, niko ruaka": Ruaka too
            return confirm(ctx, store.get_order(conn, business["id"], order["id"]))
        return result(ctx, order, "\n".join([how_to_pay(ctx), summary(conn, order, lang),
                                               say("ask_confirm", lang)]), "order_summary", [])
    # "how much is it?" right after the bot showed the order is the order's price
    asks_total = TOTAL_Q.search(norm) or (last_intent in SUMMARY_INTENTS and BARE_PRICE.fullmatch(norm))
    if asks_total and not find_quantities(_ALL_OF_THEM.sub(" ", norm).split()):
        # "ni ngapi zote?" with an earlier order still to pay: that one too, and both together (only the cart was
        # shown, and the customer paid one order's money for two; tester s32)
        owed = [o for o in store.open_orders(conn, business["id"], conv["id"])
                if o["status"] == "awaiting_payment" and o["id"] != order["id"]]
        also = [say("to_pay", lang, number=o["number"], total=format_price(store.balance_due(o))) for o in owed]
        if owed:
            also.append(say("to_pay_all", lang, total=format_price(
                sum(store.balance_due(o) for o in owed) + store.amount_due(order["total_kes"]))))
        return result(ctx, order, "\n".join([summary(conn, order, lang), *also, say("ask_confirm", lang)]),
                      "order_summary", [])
    if note_fulfilment(ctx, order, text, norm) and not find_quantities(without_when(before_place(norm)).split()):
        order = store.get_order(conn, business["id"], order["id"])
        noted = say("pickup_noted", lang, where=business.get("location") or business.get("name")) + "\n" \
            if order["fulfilment"] == "pickup" and PICKUP.search(norm) else ""
        if noted and (hours := pickup_time(ctx, text, norm)):  # "naweza kuja kuchukua saa tatu usiku?"
            noted = noted.rstrip("\n") + " " + hours + "\n"
        if order["fulfilment"] == "delivery" and order["delivery_fee_kes"] is None and _COST_ASKED.search(norm):
            # "mnaleta hadi Kahawa West? delivery ni pesa ngapi": the cost is the owner's to say (it went unanswered)
            noted = say("delivery_asked", lang) + "\n"
        # "I'll pick them up tomorrow, yes confirm"; "ndio, nitapitia dukani saa kumi" to the order just shown (it was
        # shown again for a second yes; owner test s26)
        if "?" not in text and (CONFIRM_AT_END.search(norm) or (
                _YES_FIRST.match(norm) and last_intent in SUMMARY_INTENTS)):
            done = confirm(ctx, order)
            done.text = noted + done.text
            return done
        return result(ctx, order, noted + summary(conn, order, lang) + "\n" + say("ask_confirm", lang),
                      "order_summary", [])
    if intent == "delivery" and order["kind"] != "booking":  # "mnaleta Kawangware?"
        return delivery_asked(ctx, order, text, norm)
    return None


def _service_added_beside(ctx: Context, order: dict[str, Any], text: str) -> FlowResult | None:
    """A sentence of its own adding to a booking whose time the message also moves ("Pia niongeze pedicure"): that
    added at the booking's time, or None."""
    for clause in re.split(r"[.!?;\n]+|,\s*(?=(?:pia|na|and|also|plus)\b)", text)[1:]:
        said = normalise(clause)
        if said and (ADD_VERB.search(said) or ADD_MARK.match(said)) and not parse_when(said, ctx.now).found:
            return add_lines(ctx, clause, order, booking=True)
    return None


# "ongeza sukari moja iwe tatu", "mchele toa moja, iwe kilo mbili tu": the count the line is to become, said last
_BECOMES = re.compile(r"\b(?:iwe|ziwe|kiwe|viwe|make it|make them|so it'?s|to make it|should be|should only be)\s+"
                      # "milk should be 2 not 4": the count it is not said after (customer test s28b)
                      r"(?P<count>.+?)(?:\s+tu| only| total)?(?:\s+(?:not|si|sio|siyo)\s+\w+)?$")
_EDIT_WORDS = frozenset("toa ondoa ongeza punguza add remove take out reduce less more moja zaidi sorry samahani pole actually "
                         "no hapana aki".split())


def _count_becomes(ctx: Context, order: dict[str, Any], norm: str) -> FlowResult | None:
    """A cart line named and the count it is to become ("sukari ... iwe tatu"): that count, whatever else was said
    on the way (one sugar was left of two, and a kilo of rice plus one flour less of the rest; customer test s26).
    None unless the words before the count name one line and the count is all that follows."""
    said = _BECOMES.search(norm)
    if said is None or not find_quantities(said.group("count").split()) \
            or [t for t in said.group("count").split() if t not in NUMBER_WORDS and t not in UNITS and not t.isdigit()]:
        return None
    named = [t for t in norm[:said.start()].split() if t not in _EDIT_WORDS and t not in FILLER_ONLY
             and t not in NUMBER_WORDS and not t.isdigit()]
    problem = _set_count(ctx, order, named, said.group("count"))
    return None if problem is None else _recounted(ctx, order, [problem])


def _set_count(ctx: Context, order: dict[str, Any], named: list[str], count: str) -> str | None:
    """The one cart line `named` set to `count`: the stock problem said ("" for none), or None when `named` names
    no single line, or the count reads as no count of it."""
    rows = store.items(ctx.conn, order)
    row = cart_line(ctx, rows, " ".join(named)) if named else None
    if not isinstance(row, dict) or len([r for r in rows if r["product_id"] == row["product_id"]]) > 1:
        return None
    line = resolve(ctx, f"{' '.join(named)} {count}", [])
    if line is None or line.product is None or line.product["id"] != row["product_id"] or not line.quantity:
        return None
    return stock_line(ctx, order, line, add=False, variant=row["variant"]) or ""


def _recounted(ctx: Context, order: dict[str, Any], problems: list[str]) -> FlowResult:
    order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
    return result(ctx, order, "\n".join(p for p in [*problems, summary(ctx.conn, order, ctx.lang),
                                                      say("ask_confirm", ctx.lang)] if p), "order", [])


# "I said 3 pairs", "nimesema jozi tatu": the count the customer says they gave ("We don't have 'said'"; s28)
_I_SAID = re.compile(r"^(?:(?:hapana|no|sorry|pole|aki|eeh|boss|bro|but|lakini)\W+)*(?:i said|i meant|i asked for|"
                     r"i wanted|nimesema|nilisema|nimekwambia|nimekuambia|nilimaanisha|niliomba|nilitaka)\s+(?P<rest>.+)$")
_PAIR_WORDS = frozenset("pairs pair jozi pieces piece vipande pcs only tu basi".split())


def _count_said_before(ctx: Context, order: dict[str, Any], norm: str) -> FlowResult | None:
    """"I said 3 pairs" of a one-thing cart (or "nimesema sukari tatu" of a line named): that line at that count."""
    said = _I_SAID.match(norm)
    if said is None:
        return None
    toks = said.group("rest").split()
    counts = find_quantities(toks)
    if len(counts) != 1 or counts[0].unit not in (None, "piece", "pack", "pair"):
        return None
    at = range(*counts[0].words)
    named = [t for i, t in enumerate(toks) if i not in at and t not in _PAIR_WORDS and t not in FILLER_ONLY]
    rows = store.items(ctx.conn, order)
    if not named and len({r["product_id"] for r in rows}) == 1 and len(rows) == 1:
        named = words(rows[0]["name"])
    problem = _set_count(ctx, order, named, " ".join(toks[i] for i in at)) if named else None
    return None if problem is None else _recounted(ctx, order, [problem])


# "power bank moja tu, na cover iwe 2": each clause one line and its new count (the order was shown unchanged)
_CLAUSE = re.compile(COMMA + r"|;|\s(?:na|and|halafu|then)\s")
_JUST = re.compile(r"\b(?:tu|only|just|iwe|ziwe|kiwe|viwe|make it|make them)\b")


def _counts_set(ctx: Context, order: dict[str, Any], text: str) -> FlowResult | None:
    """Several lines each given a new count in one message, one clause each, with "tu"/"iwe"/"only" said: those
    counts; None unless every clause names one line of the cart and one count."""
    clauses = [normalise(c) for c in _CLAUSE.split(text) if normalise(c).strip()]
    if len(clauses) < 2 or not _JUST.search(normalise(text)) or ADD_VERB.search(normalise(text)):
        return None
    plans = []
    for clause in clauses:
        toks = [t for t in clause.split() if t not in ("na", "and")]
        counts = find_quantities(toks)
        if len(counts) != 1 or counts[0].unit not in (None, "piece", "pack"):
            return None
        at = range(*counts[0].words)
        named = [t for i, t in enumerate(toks) if i not in at and t not in _EDIT_WORDS and t not in FILLER_ONLY
                 and t not in ("tu", "only", "just", "iwe", "ziwe", "kiwe", "viwe", "make", "it", "them")]
        if not isinstance(cart_line(ctx, store.items(ctx.conn, order), " ".join(named)), dict):
            return None
        plans.append((named, " ".join(toks[i] for i in at)))
    problems = [_set_count(ctx, order, named, count) for named, count in plans]
    return _recounted(ctx, order, [p for p in problems if p])


_YES_FIRST = re.compile(r"^(?:ndio|ndiyo|yes|yeah|yep|confirm|thibitisha)\b")
_POLITE_YES = re.compile(r"^(?:samahani|pole|sorry|asante|thanks|thank you|ok|okay|sawa|poa)\b[^?]{0,60}?[,.!]\s*"
                         r"(?:ndio|ndiyo|yes|yeah|yep)(?:\s+(?:nataka|please|pls|tafadhali|confirm))?[\s.!]*$")


def _turned_down_then_add(ctx: Context, order: dict[str, Any], text: str) -> FlowResult | None:
    """"acha sukari, niletee unga 2kg", "cancel ile tecno, nichukue A15": the line turned down in the first clause out,
    then what the rest asks for in (the sugar stayed beside the flour, KES 520 for 340; the A15 was lost and the order
    left empty; customer test s28). None unless the first clause turns down a line of the cart and more follows."""
    # ("Sikuagiza charger! nataka tu screen protector mbili": the "!" ends the clause turned down; the protectors were
    # taken out and the charger kept, customer test s29b)
    head, _, rest = re.split("(" + COMMA + r"|;|[!?]|\.(?=\s))", text, maxsplit=1) \
        if re.search(COMMA + r"|;|[!?]|\.(?=\s)", text) else (text, "", "")
    gone = TURNED_DOWN.match(normalise(head))
    if gone is None or not rest.strip():
        return None
    return _remove_then_add(ctx, order, gone.group("what"), rest)


_FOR_LATER = re.compile(r"\b(?:another day|another time|next time|some other time|later|siku nyingine|baadaye|"
                        r"wakati mwingine|next week|wiki ijayo)\b")


def _remove_then_add(ctx: Context, order: dict[str, Any], gone: str, wanted: str) -> FlowResult | None:
    """"toa sukari, weka mafuta elianto moja": the sugar out, then the oil in (the oil was added and the sugar kept,
    and the customer confirmed KES 1,270 for KES 890; customer test s25). None when `gone` names no line of the
    cart."""
    gone = gone.strip(" ,")
    if not gone or not isinstance(line_named(ctx, order, gone), dict):
        return None
    removed = remove(ctx, order, gone)
    # "remove the wig, I'll buy it another day. just the wash": what is for later is not wanted now (the wig was put
    # back as "it", after "Done, I removed Human Hair Wig"; customer test s30)
    wanted = ", ".join(p for p in segments(wanted) if not _FOR_LATER.search(p))
    left = store.items(ctx.conn, store.get_order(ctx.conn, ctx.business["id"], order["id"]))
    if left and all(isinstance(cart_line(ctx, left, piece), dict) for piece in segments(wanted)
                    if asked_for(piece).strip()):
        # "ondoa pedicure ..., nitafanya manicure na braids tu": what stays, named (the knotless braids), is no new
        # service (Box Braids was added, KES 6,500 for 4,000, and the time moved; customer test s28)
        return removed
    added = add_lines(ctx, wanted, store.get_order(ctx.conn, ctx.business["id"], order["id"]), booking=False)
    if added is None:
        return removed
    # "Nimetoa Kabras Sugar 1kg." (without "your order is empty" when it was the only line)
    first = removed.text.split("\n")[0].replace(" " + say("cart_empty", ctx.lang), "")
    return FlowResult(first + "\n" + added.text, added.intent, added.confidence, added.hits, added.order,
                      added.quantity)
