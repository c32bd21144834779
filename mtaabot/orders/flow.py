"""The order conversation: what a customer's message does to their cart, booking or payment.

`handle` is called by the engine before its question-answering path. It returns None when the
message is not about ordering (a price question, a greeting...), so the rest of the engine answers;
otherwise a `FlowResult` whose every name, price and total was read from the database.

A cart grows over several messages ("na mkate moja pia"), items come out ("toa sukari"), "hiyo" /
"that one" is the product the bot last talked about, and "ndio" after a summary confirms: prices are
re-read (a change is shown before any payment), stock is re-checked, the owner is told, and an M-Pesa
prompt for exactly the total is queued to the shop's own till or paybill (or the customer is told
how to pay when the shop has none).

This module is the turn's dispatcher; the steps live beside it: `open_cart` (a message to a cart with items:
yes/no after the summary, removals, time, how to pay), `cart` (new lines into the cart), `cart_edits` (remove,
swap), `lines` (a message read into lines), `sizes` (sizes, colours, model numbers), `fulfilment` (delivery place,
pickup), `booking_times`, `confirmed_booking`, `paying` (confirm, cancel, M-Pesa prompt, status), `paid_claims`
("nimelipa"), `summary`, `context` (Context, Line, FlowResult) and `patterns` (the words and patterns read).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

import psycopg

from mtaabot.intents import AMOUNT_ASKED, WILL_PAY, classify, expand_sms
from mtaabot.orders import agreed_price, bookings, order_to_a_place, store
from mtaabot.orders.booking_times import booking_ends
from mtaabot.orders.cart import add_lines
from mtaabot.orders.cart_edits import (
    cancelled_item,
    cart_line,
    change_wanted,
    count_only,
    exchange,
    line_named,
    remove,
)
from mtaabot.orders.confirmed_booking import confirmed_booking
from mtaabot.orders.context import Context, FlowResult, product_rows, result
from mtaabot.orders.fulfilment import delivery_after_paying, note_fulfilment, place_answered, place_as_written
from mtaabot.orders.lines import MAX_LINE_QUANTITY
from mtaabot.orders.open_cart import draft_turn
from mtaabot.orders.paid_claims import claimed_paid, claims_paid, paid_without_order
from mtaabot.orders.patterns import (
    ADD_MARK,
    ADD_VERB,
    AMOUNT_OFFERED,
    ASKING_ONLY,
    ASKS,
    BOOKING,
    CANCEL,
    CANCEL_BOOKING,
    CANCEL_WORDS,
    COMPARE,
    CONFIRM,
    DELIVERY,
    GIVE_LAST,
    GIVE_NOW,
    INFO_ASKED,
    MONEY_WORD,
    ORDER_VERB,
    ORDERED_BEFORE,
    PAID_WORD,
    PAY_LATER,
    PICKUP,
    PRICE_Q,
    PROMPT_ASK,
    RECEIPT,
    REFERENCE,
    REFUND_WORD,
    REMOVE,
    REPEAT,
    REST_LATER,
    RESTORE,
    RETRY,
    SET_MARK,
    SIZE_AND_COLOUR,
    STATUS_Q,
    SWAP,
    TAKE,
    TOTAL_Q,
    VARIANT,
    VISIT,
    WANTS_TO_KNOW,
    WHEN_COMES,
    WHOLE_ORDER,
    YES_TAIL,
    money_amounts,
)
from mtaabot.orders.paying import (
    cancel,
    how_to_pay,
    phone_in,
    rest_later,
    restore,
    retry_payment,
    status,
    when_it_comes,
)
from mtaabot.orders.quantities import (
    decimals_kept,
    find_quantities,
    price_range,
    size_changed_from,
    size_changed_to,
    sizes_in_digits,
    without_price_range,
)
from mtaabot.orders.sizes import variant_only
from mtaabot.orders.summary import fee_text, line_label, summary
from mtaabot.orders.texts import say
from mtaabot.orders.when import parse_when, without_when
from mtaabot.owners import order_alerts
from mtaabot.reply_builder import format_price
from mtaabot.retrieval import retrieve
from mtaabot.understanding import PRICE_ASKED
from mtaabot.vocabulary import STOPWORDS, WORDS, normalise, ordinal, words


def _pays_the_price(ctx: Context, norm: str) -> bool:
    """The amount said ("nipe moja kwa 180") is no less than the listed price of the thing just shown."""
    said = AMOUNT_OFFERED.search(norm)
    product = product_rows(ctx.conn, ctx.business["id"], ctx.last_products[:1]) if said and ctx.last_products else []
    return bool(product) and Decimal(said.group(1).replace(",", "")) >= product[0]["price"]


def _the_listed_price(ctx: Context, norm: str, order: dict[str, Any] | None) -> bool:
    """"nokia 105 moja, nitakupa 2300 cash", "basi 1250 nipe", "sawa, nitalipa 3500 nikifika": an amount said is the
    listed price of a thing named or just shown (or the open order's total): paying it, no haggling (the owner was
    told the customer wanted a discount, and nothing was ordered)."""
    written = ctx.written.lower()
    if AMOUNT_ASKED.search(norm):  # "naweza lipa 3200?" of the AF1 at 3,200: the price itself, asked to be sure
        written = written.replace("?", " ")
    if _HAGGLE_CUE.search(written):
        return False  # "manicure 700 ni mingi, nifanyie 500", "is 2800 your last price?": haggling
    in_names = ctx.name_numbers()
    # as written: "tecno spark ya 14,000" is one amount (normalised, it was 14 and 000, and a haggle; s28)
    amounts = {a for a in money_amounts(ctx.written or norm) if a >= 50 and str(a) not in in_names}
    if len(amounts) != 1:
        return False
    if order is not None and Decimal(str(order["total_kes"] or 0)) in amounts:
        return True
    said = set(words(norm))
    # "nipe sukari 2 kwa 360": the price of the two said (read as a haggle once "kwa 360" was one; s29)
    counts = {q.amount for q in find_quantities(norm.split())
              if q.unit is None and 1 < q.amount <= 20 and q.amount == int(q.amount) and q.amount not in amounts}
    each = {a / c for a in amounts for c in counts if a % c == 0}
    # goods only: a service's price said is read as the haggle it was labelled in the held-out evaluation
    rows = ctx.conn.execute("""SELECT id, name FROM products WHERE business_id = %s AND price = ANY(%s)
                               AND NOT is_service AND duration_minutes IS NULL""",
                            (ctx.business["id"], list(amounts | each))).fetchall()
    shown = {str(p) for p in ctx.last_products[:3]}
    if any(str(r["id"]) in shown or set(words(r["name"])) & said for r in rows):
        return True
    # named in the customer's words: "nipe mafuta ya 390 bob" of Elianto Cooking Oil 1L at 390 (a haggle; s28)
    found = [h for h in retrieve(ctx.conn, ctx.business["id"], norm, limit=1).hits if h.relevant] if rows else []
    return bool(found) and any(str(r["id"]) == str(found[0].id) for r in rows)


# what makes an amount an offer below the price, a question about it or a complaint of it
_HAGGLE_CUE = re.compile(r"\?|\b(?:mingi|ghali|expe\w*|punguz\w*|nipunguzie|last|mwisho|best|too|lot|noma|steep|budget|"
                         r"deal|discount|offer|chini|cheap\w*|reduce|lower|less|would you|fanya|nifanyie|tufanye|ama|"
                         r"or|regular|above|instead|tu ndio|pekee|only|sawa\?)\b")


_THUMBS = re.compile(r"\s*(?:👍|👌|✅|✔️|👍🏽|👍🏾|👍🏿|👍🏻|👍🏼)+\s*")
# "cancel the delivery", "sitaki delivery", "no delivery, nitakuja kuchukua": collected instead
DROP_DELIVERY = re.compile(r"\b(?:cancel|no|sitaki|skip|forget|ondoa|toa|don'?t need|hakuna haja ya|bila)\s+"
                           r"(?:the\s+|hiyo\s+)?(?:delivery|kuletewa|kuleta|uletaji)\b")


def _collected_instead(ctx: Context, order: dict[str, Any]) -> FlowResult:
    """The order is picked up at the shop: said so, with the order as it stands (its status unchanged)."""
    was_delivery = order["fulfilment"] == "delivery"
    if order["fulfilment"] != "pickup" or order["delivery_location"]:
        store.set_fields(ctx.conn, order, fulfilment="pickup", delivery_location=None)
    order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
    if was_delivery and order["status"] != "draft" and order["owner_told_at"] is not None:
        # the owner was told to deliver it: now told it is collected (the alert still said "deliver to Kilimani")
        order_alerts.order_confirmed(ctx.conn, order)
    where = ctx.business.get("location") or ctx.business.get("name")
    closing = say("ask_confirm", ctx.lang) if order["status"] == "draft" else ""
    return result(ctx, order, "\n".join(p for p in [say("pickup_noted", ctx.lang, where=where),
                                                     summary(ctx.conn, order, ctx.lang), closing] if p),
                  "order_summary" if order["status"] == "draft" else "order_status", [])


# "niko na order?", "my order", "order yangu": the order there is, no order verb ("niko njiani nakuja na cash, niko
# na order?" drafted a second phone)
# "order yangu iko aje?" just after cancelling asks about it; it brought the cancelled order back (customer test s28b)
_ASKED_ABOUT = re.compile(r"\?|\b(?:iko aje|ikoje|iko wapi|imefika wapi|status|where is|how is|what about)\b")
_MY_ORDER = re.compile(r"\b(?:niko na|nina|my|the|ya|hiyo) (?:order|oda)\b|\b(?:order|oda) (?:yangu|yetu|hiyo)\b")


# the second of two changes to the cart: "... na superstar ziwe moja", "... and make the sugar 2", "... na toa unga"
_THEN_CHANGE = re.compile(r"\s(?:na|and|then|halafu|alafu)\s+(?=(?:\w+\s+){1,3}(?:iwe|ziwe|kiwe|viwe)\s+\S|"
                          r"(?:toa|ondoa|utoe|uondoe|remove|take out|make|add|ongeza|niongezee)\s+\S)")


def _two_edits(norm: str, text: str = "") -> tuple[str, str] | None:
    """Two changes of the cart said in one message, one of them a removal ("ondoa X na Y ziwe moja", "ongeza sukari
    iwe tatu, na toa unga", "take out the X and add a Y", "toa jogoo zote, ajab iwe 2"): the first, and the rest, as
    their own messages; else None."""
    for cut in _THEN_CHANGE.finditer(norm):
        first, second = norm[:cut.start()].strip(), norm[cut.end():].strip()
        edits = [bool(REMOVE.match(p) or SET_MARK.search(p) or ADD_VERB.search(p)) for p in (first, second)]
        if all(edits) and (REMOVE.match(first) or REMOVE.match(second)):
            return first, second
    # the changes in clauses of their own ("samahani, sikutaka jogoo. toa jogoo zote, ajab iwe 2": the jogoo stayed;
    # tester s32); a thing taken out twice ("sikutaka jogoo", "toa jogoo zote") is one change
    said: list[str] = []
    removed: set[str] = set()
    for clause in (normalise(c).strip() for c in re.split(r"[,.;!\n]", text)):
        if (out := REMOVE.match(clause)) is not None and (thing := out.group(1).split()):
            if thing[0] not in removed:
                removed.add(thing[0])
                said.append(clause)
        elif clause and (SET_MARK.search(clause) or ADD_VERB.search(clause)):
            said.append(clause)
    if len(said) >= 2 and removed:
        return said[0], ", ".join(said[1:])
    return None


# "sawa, na mum atakuja pia kufanya pedicure. ndio": a change to the cart between an ok and a yes
_OK_CHANGE_YES = re.compile(r"^\s*(?:sawa|ok|okay|poa|haya|fine)\s*[,.!]\s+(?P<change>[^?]+?)"
                            r"(?:\s*[.,!]\s*(?P<yes>ndio|ndiyo|yes|sawa|confirm|thibitisha)\s*[.!]*)?\s*$", re.I)


def handle(conn: psycopg.Connection, business: dict[str, Any], conv: dict[str, Any], text: str, lang: str, *,
           intent: str, last_intent: str | None, last_products: list[Any] | None,
           now: datetime | None = None, understanding: Any = None) -> FlowResult | None:
    """What an order-related message does; None when the message is not about ordering.

    `understanding` (mtaabot.understanding.Understanding) carries the parse the engine already made."""
    step = _handle(conn, business, conv, text, lang, intent=intent, last_intent=last_intent,
                   last_products=last_products, now=now, understanding=understanding)
    if step is not None or (said := _OK_CHANGE_YES.match(text)) is None \
            or (order := store.latest_open(conn, business["id"], conv["id"])) is None or order["status"] != "draft":
        return step
    # the change read as its own message (with the ok before it, it was the price of the thing named, and the change
    # and the yes were lost; tester s32), then the yes said after it
    change = said.group("change")
    step = _handle(conn, business, conv, change, lang, intent=classify(change).name, last_intent=last_intent,
                   last_products=last_products, now=now)
    if step is None or step.order is None or step.order["status"] != "draft" or not said.group("yes"):
        return step
    return _handle(conn, business, conv, said.group("yes"), lang, intent="order_confirm", last_intent=step.intent,
                   last_products=last_products, now=now) or step


def _handle(conn: psycopg.Connection, business: dict[str, Any], conv: dict[str, Any], text: str, lang: str, *,
            intent: str, last_intent: str | None, last_products: list[Any] | None,
            now: datetime | None = None, understanding: Any = None) -> FlowResult | None:
    ctx = Context(conn, business, conv, lang, last_intent, list(last_products or []), now)
    if _THUMBS.fullmatch(text):  # "👍" to the order shown: a yes (it was the product again)
        text = "ndio"
        understanding = None
    ctx.size_from = size_changed_from(sizes_in_digits(text))
    text = size_changed_to(sizes_in_digits(text))  # "size ni 43", "size arobaini na mbili": the size, never a count
    norm = size_changed_to(sizes_in_digits(understanding.norm if understanding is not None else normalise(text)))
    norm = decimals_kept(text, norm)
    # "make it 2 royco instead of 1", "nipe sabuni mbili badala ya moja": the count it was is no thing to swap out
    # ("1 is not in your order"; owner test s31)
    ctx.count_replaced = bool(_COUNT_REPLACED.search(norm))
    text, norm = (_COUNT_REPLACED.sub("", t) for t in (text, norm))
    ctx.message, ctx.written = norm, text
    n_words = len(norm.split())
    if (ends := booking_ends(conn, business, conv, norm, lang)) is not None:
        return ends
    order = store.latest_open(conn, business["id"], conv["id"])
    if order is not None and order["status"] == "draft" and (two := _two_edits(norm, text)) is not None:
        # "ondoa cleaning kit na superstar ziwe moja": both changes (it was the cart again, changed in nothing; owner
        # test s30)
        first = handle(conn, business, conv, two[0], lang, intent=intent, last_intent=last_intent,
                       last_products=last_products, now=now)
        if first is not None and first.intent in ("order_remove", "order", "order_summary"):
            second = handle(conn, business, conv, two[1], lang, intent=intent, last_intent=first.intent,
                            last_products=last_products, now=now)
            if second is not None:
                if first.intent == "order_remove":  # "Sawa, nimeondoa ..." above what the second change shows
                    second.text = f"{first.text.splitlines()[0]}\n{second.text}"
                return second
        if first is not None:
            return first
    if order is not None and (REMOVE.match(norm) or ADD_VERB.search(norm) or SET_MARK.search(norm)):
        # "remove the af1 size 40 from order 18": the order named, never 18 pairs (KES 63,000); a number that is not
        # this order's is a slip, never a count either ("kuondoa sukari kwa oda 99" drafted 99 bags)
        # "pia ongeza phone cover kwa hiyo booking": the booking named, never the repair again by "hiyo" (two repairs
        # and no cover, KES 6,000; owner test s31)
        text, norm = (_THIS_ORDER.sub(" ", _ORDER_NAMED.sub(" ", t)) for t in (text, norm))
        norm = " ".join(norm.split())
        ctx.message, ctx.written, n_words = norm, text, len(norm.split())
    if order is not None and CANCEL.search(norm):  # "cancel ile order ya kwanza ya AF1": that one, of two
        meant = _open_order_meant(ctx, norm)
        if isinstance(meant, FlowResult):
            return meant
        order = meant or order
    elif order is not None and last_intent == "order_cancel_which":  # "#27", "ya pili", "ile ya AF1": that one
        meant = _open_order_meant(ctx, norm, bare=True)
        if isinstance(meant, dict):
            return cancel(ctx, meant)
    has_items = False
    if order is not None:
        has_items = bool(store.items(conn, order))
    if intent in ("discount", "payment_methods", "order", "product") \
            and (deal := agreed_price.agreed(ctx, norm)) is not None:
        # "poa nipe A15 black at 18k" after the owner wrote "ok boss 18k for you": ordered at the owner's price
        agreed_price.keep(ctx, *deal)
        # "niwekee superstar size 40 kwa 3000 vile boss amekubali": the price agreed is no count (it was 3,000 pairs,
        # a KES 9.6M bulk order for the owner; customer test s30)
        if (cut := agreed_price.without_price(text, deal[1])) != text:
            text, norm = cut, size_changed_to(sizes_in_digits(normalise(cut)))
            ctx.message, ctx.written = norm, text
        if has_items and order is not None:
            order = store.set_unit_price(conn, order, deal[0]["id"], deal[1])
        intent = "order"
    elif intent in ("discount", "payment_methods") and _the_listed_price(ctx, norm, order if has_items else None):
        intent = "order" if not has_items else "payment_methods"  # paying the price: "nitakupa 2300" of the Nokia
    # "aah 100 ni mingi, nitakuja kuchukua mwenyewe": the delivery cost too much, so collected (it was a haggle for
    # the owner and the delivery stayed; customer test s28)
    cost_too_much = intent == "discount" and order is not None and order["fulfilment"] == "delivery" \
        and PICKUP.search(norm) is not None
    if order is not None and has_items and order["kind"] != "booking" and (DROP_DELIVERY.search(norm) or cost_too_much) \
            and order["status"] in ("draft", "awaiting_payment", "payment_failed"):
        # "cancel the delivery, I'll pick": the order is collected instead (the whole order was cancelled)
        return _collected_instead(ctx, order)
    if order is not None:
        if order["status"] == "draft" and has_items and (place := place_answered(ctx, order, text, norm)) is not None:
            # "Githurai 45" after "tell me where to bring it": the place, never 45 of something (owner test s30)
            order = store.set_fields(conn, order, delivery_location=place_as_written(text, place))
            return result(ctx, order, summary(conn, order, lang) + "\n" + say("ask_confirm", lang), "order_summary", [])
        if order["status"] == "draft" and has_items:
            if (step := draft_turn(ctx, order, text, norm, intent=intent, n_words=n_words)) is not None:
                return step
        elif order["status"] in ("awaiting_payment", "payment_failed"):
            phone = phone_in(text)
            one = cancelled_item(text)
            lines = store.items(conn, order)
            if one and not WHOLE_ORDER.search(one.group(1)) and (
                    (len(lines) > 1 and (line := cart_line(ctx, lines, one.group(1))) is not None
                     and not isinstance(line, list))
                    or (len(lines) == 1 and count_only(one.group(1))
                        and find_quantities(one.group(1).split())[0].amount < lines[0]["quantity"])):
                # "and cancel the hair food, I'll buy later": that one out (the pedicure stays), said yes to again
                store.set_status(conn, business["id"], order["id"], "draft", actor="customer")
                removed = remove(ctx, store.get_order(conn, business["id"], order["id"]), one.group(1))
                now_total = store.get_order(conn, business["id"], order["id"])["total_kes"]
                if REFUND_WORD.search(norm) or PAID_WORD.search(norm) or (order["paid_amount_kes"] or 0) > now_total:
                    # "I already paid 1700 so you'll refund 500?", or more received already than the order is now
                    order_alerts.money_asked(conn, store.get_order(conn, business["id"], order["id"]), text)
                    removed.text += "\n" + say("money_to_owner", lang)
                return removed
            if order["kind"] == "booking" and (said := _booking_edit(ctx, order, text, norm)) is not None:
                # "booking yangu ya kesho saa mbili: toa gel nails weka manicure": this booking changed, at its time,
                # and said yes to again (a second booking of the gel nails taken out was made; customer test s27)
                if (step := _changed_as_a_draft(ctx, order, said, said, intent)) is not None:
                    return step
            if order["kind"] != "booking" and _edits_the_order(ctx, order, norm):
                # "toa ile ya 44 ... na ongeza superstar", "naomba uongeze sukari kwa hiyo oda" after the yes: this
                # order changed and said yes to again (a second order copied the first, which stayed open; the
                # customer paid one and cancelled the other; owner test s26)
                if (step := _changed_as_a_draft(ctx, order, text, norm, intent, add=True)) is not None:
                    return step
            if (place := place_answered(ctx, order, text, norm)) is not None:
                # the place asked for after the yes (the owner set a delivery cost with none): where it goes
                place = place_as_written(text, place)
                order = store.set_fields(conn, order, delivery_location=place)
                order_alerts.delivery_asked(conn, order, place, text)
                told = say("delivery_after_yes", lang, number=order["number"], place=place) \
                    if order["delivery_fee_kes"] is None else \
                    say("delivery_place_kept", lang, number=order["number"], place=place,
                        total=format_price(order["total_kes"]), fee=fee_text(order["delivery_fee_kes"], lang))
                return result(ctx, order, told, "delivery", [])
            if order["kind"] != "booking" and order["fulfilment"] == "delivery" \
                    and order["delivery_fee_kes"] is not None and _DELIVERY_COST_ASKED.search(norm):
                # "delivery ni ngapi" after the owner set it: that cost (it was "we arrange delivery with the owner";
                # tester s32b)
                return result(ctx, order, say("delivery_fee_is", lang, number=order["number"],
                                              place=order["delivery_location"] or "",
                                              fee=format_price(order["delivery_fee_kes"]),
                                              total=format_price(order["total_kes"])), "order_status", [])
            if order["kind"] != "booking" and (place := _delivery_place_asked(text)) is not None \
                    and (intent == "delivery" or DELIVERY.search(norm)
                         or not any(h.relevant for h in retrieve(conn, business["id"], place, limit=3).hits)):
                # "badala yake mniletee Riruta satellite": another place, nothing the shop sells ("we don't sell that")
                # "delivery to Kilimani iwezekana?" after the yes: the order goes there if the owner can (it was "tell me
                # what and where" again, the order stayed a pickup and the owner never heard; customer test s25)
                store.set_fields(conn, order, fulfilment="delivery", delivery_location=place)
                order_alerts.delivery_asked(conn, order, place, text)
                return result(ctx, store.get_order(conn, business["id"], order["id"]),
                              say("delivery_after_yes", lang, number=order["number"], place=place), "delivery", [])
            # "sitaweza kuja leo ... tunaweza kusogeza kesho same time?": moved, never cancelled
            moving = order["kind"] == "booking" and bookings.move_asked(bookings.with_clocks(text, norm), now)
            if (CANCEL.search(norm) or (order["kind"] == "booking" and CANCEL_BOOKING.search(norm))) and not moving:
                return cancel(ctx, order)
            if order["kind"] != "booking" and ctx.size_from is not None:
                # "boss ile size 44 ibadilishe iwe 45" after the yes: that pair in the new size, said yes to again
                # (the whole order became one pair of 45, the cleaning kit gone)
                store.set_status(conn, business["id"], order["id"], "draft", actor="customer")
                changed = add_lines(ctx, text, store.get_order(conn, business["id"], order["id"]), booking=False)
                if changed is not None:
                    return changed
                store.set_status(conn, business["id"], order["id"], order["status"], actor="customer")
            if order["kind"] != "booking" and (becomes := change_wanted(ctx, order, norm)) is not None:
                # confirmed, not paid: changed back to a cart, and the new one is said yes to (its own prompt)
                store.set_status(conn, business["id"], order["id"], "draft", actor="customer")
                return exchange(ctx, store.get_order(conn, business["id"], order["id"]), "hiyo", becomes)
            if order["kind"] != "booking" and SET_MARK.search(norm) and variant_only(norm):
                # "aje nikitaka kubadilisha 43 iwe 42?" after the yes: back to a cart in that size, said yes to again
                store.set_status(conn, business["id"], order["id"], "draft", actor="customer")
                changed = add_lines(ctx, text, store.get_order(conn, business["id"], order["id"]), booking=False)
                if changed is not None:
                    return changed
                store.set_status(conn, business["id"], order["id"], order["status"], actor="customer")
            if order["kind"] == "booking" and (step := confirmed_booking(ctx, order, text, norm)) is not None:
                return step
            if RETRY.search(norm) or (PROMPT_ASK.search(norm) and not PAID_WORD.search(norm)) \
                    or (phone and last_intent in ("order_confirm", "order_retry")):
                return retry_payment(ctx, order, phone)
            if PAY_LATER.match(norm) and not RECEIPT.search(text) and order["status"] == "awaiting_payment":
                # "sijalipa bado, nitatuma jioni": what is left, and to send its code; a payment said before is taken
                # back ("nimetuma 200" then "sorry sijatuma bado")
                order_alerts.claim_withdrawn(conn, order)
                return rest_later(ctx, order)
            if claims_paid(intent, text, norm):
                return claimed_paid(ctx, order, text)
            if REST_LATER.search(norm) and store.payment_claimed(conn, order):
                return rest_later(ctx, order)
            if (intent == "payment_methods" or TOTAL_Q.search(norm) and not find_quantities(norm.split())) \
                    and order["status"] == "awaiting_payment":
                # "nataka kulipia order yangu, ni paybill gani?": where to pay, and how much (it was only its status)
                # every order of the chat still to pay, each with what is left (a customer with two was told the
                # newest only, owing far more; owner test s31b)
                owed = [o for o in store.open_orders(conn, business["id"], conv["id"])
                        if o["status"] == "awaiting_payment"] or [order]
                lines = [say("to_pay", lang, number=o["number"], total=format_price(store.balance_due(o)))
                         + _claimed_note(ctx, o) for o in owed]
                if len(owed) > 1:
                    lines.append(say("to_pay_all", lang, total=format_price(sum(store.balance_due(o) for o in owed))))
                return result(ctx, order, "\n".join([how_to_pay(ctx), *lines]), "order_status", [])
            if order["kind"] != "booking" and ADD_VERB.search(norm) and store.paid_so_far(order) > 0 \
                    and not store.claims_of(conn, order) and (added := _added_to_part_paid(ctx, order, text)) is not None:
                return added  # "ongeza unga moja kwa hiyo order" after a part the owner received: the same order
            if order["kind"] != "booking" and ADD_VERB.search(norm) and store.payment_claimed(conn, order) \
                    and (added := _added_after_paying(ctx, order, text)) is not None:
                return added  # "aki ongeza royco moja kwa order yangu" while its payment is checked
            if WHEN_COMES.search(norm) and not find_quantities(without_when(norm).split()):
                return when_it_comes(ctx, order, text)  # "oda yangu itafika saa ngapi?": the owner is asked
            if STATUS_Q.search(norm) or ("?" in text and _MY_ORDER.search(norm) and len(norm.split()) <= 4):
                return status(ctx, order)  # "niko na order?" is whether it is there
            if order["kind"] != "booking" and (VISIT.search(norm) or PICKUP.search(norm)) \
                    and not ORDER_VERB.search(_MY_ORDER.sub(" ", norm)) and not find_quantities(without_when(norm).split()):
                # "nitakuja na cash saa tano" after the yes: coming for this order (a second one was drafted)
                note_fulfilment(ctx, order, text, norm)
                return _collected_instead(ctx, order)
    # "nimelipa 500" with no order in play ("nimelipa QAB… lakini sijapata mzigo!" stays a complaint for the owner)
    if (order is None or order["status"] == "draft" and not has_items) and claims_paid(intent, text, norm) \
            and intent not in ("human", "complaint", "angry"):
        return paid_without_order(ctx, text)
    if last_intent == "order_cancel" and (order is None or order["status"] == "draft" and not has_items) \
            and RESTORE.search(norm) and not CANCEL.search(norm) and intent not in ("human", "angry") \
            and not (intent == "complaint" and REFUND_WORD.search(norm)) and not _ASKED_ABOUT.search(text.lower()):
        # "I want my order back" just after cancelling it is the order again ("my money back" stays a complaint)
        placed = store.latest_placed(conn, business["id"], conv["id"])
        if placed is not None and placed["status"] == "cancelled" and placed["kind"] == "order":
            return restore(ctx, placed)
    if (order is None or order["status"] == "draft" and not has_items) and REPEAT.search(norm) \
            and intent not in ("human", "complaint", "angry"):
        # "nitumie ile order kama ya last time, same vitu" from a regular was "we don't sell that"
        placed = store.latest_placed(conn, business["id"], conv["id"])
        if placed is not None and placed["status"] in ("awaiting_payment", "paid", "fulfilled") \
                and placed["kind"] == "order":
            return restore(ctx, placed, head="repeated")
    if order is None and CANCEL.search(norm) and not ORDER_VERB.search(CANCEL_WORDS.sub(" ", CANCEL.sub(" ", norm))):
        # "cancel hiyo order", "I want to cancel my booking": a paid one is the owner's to give the money back (also
        # when the learned head reads the refund asked as a complaint: "cancel my order please" got its status)
        placed = store.latest_placed(conn, business["id"], conv["id"])
        if placed is not None and placed["status"] == "paid":
            order_alerts.cancel_after_paying(conn, placed, text)
            return result(ctx, placed, say("cancel_paid", lang, number=placed["number"]), "order_cancel", [])
        if intent not in ("human", "complaint", "angry"):
            return result(ctx, None, say("nothing_to_cancel", lang), "order_cancel", [])
    if (STATUS_Q.search(norm) or WHEN_COMES.search(norm)) and (order is None or order["status"] == "draft"
                                                                and not has_items):
        # "order yangu iko wapi?" after it was paid, fulfilled or cancelled (by the owner too): say where it is;
        # "je imetoka?" of a paid order: and the owner is asked when it comes
        placed = store.latest_placed(conn, business["id"], conv["id"])
        if placed is not None and WHEN_COMES.search(norm) and placed["status"] == "paid":
            return when_it_comes(ctx, placed, text)
        if placed is not None:
            return status(ctx, placed)
        if ORDERED_BEFORE.search(norm) and intent not in ("human", "complaint", "angry"):
            # "niliweka order ya power bank, iko tayari?" from a number with no order: never a new cart for it
            return result(ctx, None, say("no_order_found", lang), "order_status", [])
        if (named := _ORDER_NUMBER_ASKED.search(norm)) is not None and intent not in ("human", "complaint", "angry"):
            # "order number 4 iko wapi? ni ya bibi yangu": another number's order is not shown here ("we don't sell
            # that"; customer test s30)
            return result(ctx, None, say("order_not_yours", lang, number=named.group(1)), "order_status", [])
    if (order is None or order["status"] == "draft" and not has_items) and intent not in ("human", "complaint", "angry") \
            and (placed := store.latest_placed(conn, business["id"], conv["id"])) is not None \
            and placed["status"] == "paid" and placed["kind"] == "order" and placed["fulfilment"] != "delivery" \
            and (brought := delivery_after_paying(ctx, placed, text, norm)) is not None:
        return brought  # "naomba mniletee Kawangware 46" after paying: that order, brought there
    if (order is None or order["status"] != "draft") and last_intent == "product" and len(ctx.last_products) == 1 \
            and (yes := CONFIRM.match(norm)) and set(norm[yes.end():].split()) <= YES_TAIL and "?" not in text:
        # "ndio" to "AF1 iko, KES 3,500 ... Ukitaka nikuwekee, niambie tu!": that one, in the size asked before
        product = product_rows(conn, business["id"], ctx.last_products)
        if product and product[0]["is_available"]:
            return add_lines(ctx, "hiyo", None, booking=bool(product[0].get("is_service")
                                                              or product[0].get("duration_minutes")))
    if (order is None or order["status"] != "draft") and last_intent == "product" and 1 < len(ctx.last_products) <= 3 \
            and (yes := CONFIRM.match(norm)) and set(norm[yes.end():].split()) <= YES_TAIL and "?" not in text \
            and ORDER_VERB.search(before := ctx.said_before()) \
            and len([p for p in re.split(r"\b(?:na|and|pia|plus)\b|,", before) if p.strip()]) == len(ctx.last_products):
        # "Nataka sukari na maziwa" -> both priced -> "ndio": one of each (it was "Sawa, karibu tena" and the buyer
        # lost; customer test s29). Only when each thing shown was one the customer named.
        return add_lines(ctx, before, None, booking=False)
    if intent not in ("human", "complaint", "angry", "booking") and (order is None or order["status"] == "draft") \
            and (said := order_to_a_place.split(text)) is not None and (said[0] != "hiyo" or ctx.last_products) \
            and not any(h.relevant for h in retrieve(conn, business["id"], said[1], limit=3).hits):
        # "sawa nitumie moja deliver Kasarani", "nataka moja, mtaleta Kitengela?": the order, to that place (a place
        # that names a thing sold is the thing: "nitumie sukari")
        ctx.place_said = said[1]
        placed = add_lines(ctx, said[0], order if order is not None and order["status"] == "draft" else None,
                           booking=False)
        if placed is not None and placed.order is not None:
            return placed
        ctx.place_said = None
    takes_it = bool(ctx.last_products) and bool(ORDER_VERB.search(norm)) and bool(REFERENCE.search(norm)) \
        or bool(TAKE.search(norm) and DELIVERY.search(norm))  # "ok I will take the A15, can you deliver to Thika?"
    if intent == "discount" and ORDER_VERB.search(norm) and _pays_the_price(ctx, norm):
        intent = "order"  # "basi nipe moja kwa 180" after the sugar at KES 180: the price itself, no haggling
    if intent == "discount" and has_items and order["status"] == "draft" and SET_MARK.search(norm) \
            and (said := find_quantities(norm.split())) and all(q.amount <= MAX_LINE_QUANTITY for q in said) \
            and not AMOUNT_OFFERED.search(norm) and not MONEY_WORD.search(norm):
        intent = "order"  # "ah ni mingi sana, fanya 3": too many, make it three; no price was offered
    if last_intent == "order_which" and (yes := CONFIRM.match(norm)) and set(norm[yes.end():].split()) <= YES_TAIL \
            and "?" not in text and (before := ctx.said_before()):
        # "ndio" to "Ni ipi ungependa? Open Sandals, Maasai Akala Sandals": still which one (the first one shown was
        # drafted; owner test s32)
        again = replace(ctx, last_intent=None, last_products=[], message=normalise(before), written=before)
        return add_lines(again, before, order if order is not None and order["status"] == "draft" else None,
                         booking=False)  # asked again, as the first time
    if intent in ("human", "complaint", "angry", "discount", "delivery", "thanks") \
            and not (intent == "delivery" and takes_it):  # "I'll take it, deliver to Westlands" is an order
        return None
    booking = intent == "booking" if understanding is not None else bool(BOOKING.search(norm))
    # "knotless", "the second one" after the bot asked which service: that one booked ("bei gani?" is a question)
    booking = booking or (last_intent == "booking_which" and intent in ("product", "unknown", "order", "ack")
                          and not PRICE_ASKED.search(norm))
    visiting = False  # "sawa nitakuja kesho saa tatu" after the sugar: coming for it, whatever the intent said
    if not booking and VISIT.search(norm) and parse_when(norm, now).found:
        visiting = bool(ctx.last_products)
        # "sawa nitakuja jumatatu saa nne" after the salon named its cornrows: booking that service; "nitakuja
        # Jumamosi saa tatu unibadilishie betri": booking what it names (goods named so become an order)
        booking = not ctx.last_products or any(p.get("is_service") or p.get("duration_minutes")
                                               for p in product_rows(conn, business["id"], ctx.last_products[:3]))
    if COMPARE.search(norm) and not ORDER_VERB.search(norm):
        return None  # two things compared are asked about, not ordered (both phones were confirmed)
    if INFO_ASKED.search(norm) and not find_quantities(norm.split()):
        return None  # "nipe details za gesi", "nitumie picha ya unga": about the thing, not an order for it
    draft = order if order is not None and order["status"] == "draft" else None
    counted = understanding.counted if understanding is not None else bool(find_quantities(norm.split()))
    # "change from 43 to 42" is a size, no price range (read again once the sizes are rewritten)
    budget = understanding.budget if understanding is not None and understanding.norm == norm else price_range(norm)
    wants = (intent == "order" or booking or bool(ORDER_VERB.search(norm) and counted and not ASKING_ONLY.search(norm))
             or (counted and "?" not in text and not PRICE_Q.search(expand_sms(norm)) and not ASKS.search(norm)
                 and (intent in ("product", "unknown") or intent == "ack" and bool(ctx.last_products)))  # "sawa 2 pairs"
             or (draft is not None and (SET_MARK.search(norm) or variant_only(norm))
                 and VARIANT.search(norm))  # "change to size 42", "size 46 basi"
             or (draft is not None and (ADD_MARK.search(norm) or counted or ADD_VERB.search(norm))
                 and not (PRICE_ASKED.search(expand_sms(norm)) and not ORDER_VERB.search(norm)))
             or takes_it or visiting
             # "ok white size 41" after the one shoe shown: that one in white, size 41 (a size alone, "sawa size 44
             # basi", is still asked about)
             or (len(ctx.last_products) == 1 and (ok := CONFIRM.match(norm)) is not None and "?" not in text
                 and variant_only(rest := norm[ok.end():].strip()) and bool(SIZE_AND_COLOUR.search(rest)))
             # "nataka af1 size 40", "I want the superstar in size 42": one of it, in that size (not its price again)
             or (bool(ORDER_VERB.search(norm)) and bool(VARIANT.search(norm)) and "?" not in text
                 and intent in ("product", "order") and not PRICE_ASKED.search(expand_sms(norm))
                 and not ASKS.search(norm) and not WANTS_TO_KNOW.search(norm))
             # "nataka AF1 size 42 ... mnaweza niletea town leo jioni? nitalipa on delivery": the order, however it is
             # paid for (only the M-Pesa answer was given, and no order made; owner test s26)
             or (bool(ORDER_VERB.search(norm)) and bool(VARIANT.search(norm) or counted)
                 and intent in ("payment_methods", "delivery") and bool(WILL_PAY.search(norm)))
             or ((GIVE_NOW.match(norm) is not None or GIVE_LAST.search(norm) is not None) and "?" not in text and not PRICE_ASKED.search(expand_sms(norm))
                 and not INFO_ASKED.search(norm)))
    # "AF1 size 42", "ya pili" after the bot asked which of the shoes or phones: that one, as many as first said
    wants = wants or (last_intent == "order_which" and intent in ("product", "unknown", "order", "ack")
                      and "?" not in text and not PRICE_ASKED.search(expand_sms(norm)))
    # "nataka kununua simu ya 20k, ni ipi bora?": what fits the money is asked, nothing ordered until a count or a
    # thing is picked (an iPhone at KES 50,000 was drafted)
    if not wants or (budget is not None and (intent != "order" or not find_quantities(
            without_price_range(norm).split()))):
        return None
    if intent in ("price_list", "location", "hours") and not booking:
        return None
    if draft is None and not booking and ADD_VERB.search(norm) and _MY_ORDER.search(norm) \
            and (placed := store.latest_placed(conn, business["id"], conv["id"])) is not None \
            and placed["status"] == "paid" and placed["kind"] == "order" \
            and (added := _added_after_paying(ctx, placed, text)) is not None:
        return added  # "ongeza pia sukari 2 kwa hiyo order" after it was paid
    if draft is None and (no := _TURNED_DOWN_FIRST.match(norm)) is not None \
            and not ORDER_VERB.search(norm[no.end():]) and not find_quantities(norm[no.end():].split()):
        return None  # "no charger please" with no cart drafted a charger (owner test s31b): nothing is ordered
    return add_lines(ctx, text, draft, booking=booking)


_TURNED_DOWN_FIRST = re.compile(r"^(?:no|hapana|sitaki|sihitaji|not|without|bila|i don'?t want|i do not want)\b")


def _added_to_part_paid(ctx: Context, order: dict[str, Any], text: str) -> FlowResult | None:
    """More for an order the owner has received part of: added to it, the owner told, the customer told what is left
    to pay (it was a separate order "because #12 is paid", and the part paid was not; owner test s30). None when the
    message adds nothing."""
    from mtaabot.orders.checkout import payee_text, payment_settings

    before = order["total_kes"]
    step = add_lines(ctx, text, order, booking=False)
    now = store.get_order(ctx.conn, ctx.business["id"], order["id"])
    if step is None or now["total_kes"] == before:
        return step
    if now["status"] == "draft":
        now = store.set_status(ctx.conn, ctx.business["id"], now["id"], "awaiting_payment", actor="customer")
    now = store.set_fields(ctx.conn, now, confirmed_total_kes=now["total_kes"])
    order_alerts.order_confirmed(ctx.conn, now)
    settings = payment_settings(ctx.conn, ctx.business["id"])
    left = say("added_to_part_paid", ctx.lang, number=now["number"], amount=format_price(store.balance_due(now)),
               payee=payee_text(settings) if settings else "")
    return result(ctx, now, "\n".join([left, summary(ctx.conn, now, ctx.lang)]), "order_status", step.hits)


def _added_after_paying(ctx: Context, earlier: dict[str, Any], text: str) -> FlowResult | None:
    """More for an order paid (or said to be) is a new order that goes with it: to the same place, noted for the owner,
    and the customer told why (the add was met with the payment's status, or became a separate pickup order with
    nothing said; customer test s28). None when the message adds nothing."""
    conn, lang = ctx.conn, ctx.lang
    step = add_lines(ctx, text, None, booking=False)
    if step is None or step.order is None or step.order["status"] != "draft":
        return step
    new = store.get_order(conn, ctx.business["id"], step.order["id"])
    note = f"pamoja na oda #{earlier['number']}" if lang != "ENG" else f"with order #{earlier['number']}"
    new = store.set_fields(conn, new, fulfilment=earlier["fulfilment"], delivery_location=earlier["delivery_location"],
                           customer_note=f"{new['customer_note']} / {note}" if new.get("customer_note") else note)
    if earlier["fulfilment"] == "delivery":
        # it rides with the first: no second delivery cost (the customer was told one was coming, and the owner asked
        # to set it; customer test s30)
        new = store.set_fields(conn, new, delivery_fee_kes=Decimal(0))
    told = say("added_as_new", lang, number=earlier["number"], new=new["number"])
    return result(ctx, new, "\n".join([told, summary(conn, new, lang), say("ask_confirm", lang)]), "order", step.hits,
                  step.quantity)


# "delivery to Kilimani iwezekana?", "mtaniletea Thika road mall?": a delivery asked for, to a place named with a capital
_DELIVERY_TO_A_PLACE = re.compile(
    r"\b(?:deliver\w*|kuleta|leta|niletee|mniletee|mtaniletea|utaniletea|mnaweza kuniletea|unaweza kuniletea|"
    r"send (?:it|them))\b"
    # "mtaniletea lini hiyo oda Kasarani?": when and which order said before the place (a new order of milk was made)
    r"(?:\s+(?:lini|leo|kesho|saa ngapi|hiyo|hii|ile|oda|order|yangu|it|them|my order|the order|when))*"
    # "deliver it to Kileleshwa, Othaya road, Mandera apartments": the address in parts (it was the delivery answer
    # and the order stayed a pickup; customer test s30)
    r"(?:\s+(?:to|hadi|mpaka|kwa|at|in))?\s+(?P<place>[A-Z][\w'-]*(?:,?\s+[\w'-]+){0,8}?)"
    r"\s*(?:,?\s*(?:iwezekana|inawezekana|possible|please|tafadhali|pls))?\s*[?.!]*\s*$")


# the orders by position beyond what vocabulary.ordinal reads ("ya kwanza", "the second", "ya mwisho")
_FIRST = re.compile(r"\b(?:first one|first order|ya mwanzo|ya awali)\b")
_LATEST = re.compile(r"\b(?:ya sasa|the latest|the new one|mpya|ya leo)\b")
_NUMBER_SAID = re.compile(r"(?:#|\b(?:order|oda)\s*(?:number |namba |no\.? ?)?#?)\s?(\d{1,6})\b")


def _open_order_meant(ctx: Context, norm: str, bare: bool = False) -> dict[str, Any] | FlowResult | None:
    """Of the chat's open orders with things in them, the one a cancel names: by number, "ya kwanza" / "ya pili" /
    "ya mwisho", its total, or a thing only it holds; with two or more and none named, which one is asked. None:
    only one is open, and it is meant. `bare`: the answer to which one, where a number alone is the order's."""
    rows = [o for o in store.open_orders(ctx.conn, ctx.business["id"], ctx.conv["id"]) if store.items(ctx.conn, o)]
    if len(rows) < 2:
        return None
    said = _NUMBER_SAID.search(ctx.written.lower()) or _NUMBER_SAID.search(norm) or (
        re.fullmatch(r"\W*#?\s?(\d{1,6})\W*", norm) if bare else None)
    by_number = [o for o in rows if said and o["number"] == int(said.group(1))]
    if by_number:
        return by_number[0]
    if (pick := ordinal(norm)) is not None and -len(rows) <= pick < len(rows):
        return rows[pick]
    if _FIRST.search(norm):
        return rows[0]
    if _LATEST.search(norm):
        return rows[-1]
    amounts = {q.amount for q in find_quantities(norm.split())}
    by_total = [o for o in rows if o["total_kes"] in amounts]
    if len(by_total) == 1:
        return by_total[0]
    thing = " ".join(w for w in CANCEL_WORDS.sub(" ", CANCEL.sub(" ", norm)).split() if w not in _NOT_A_THING)
    holding = [o for o in rows if thing and isinstance(cart_line(ctx, store.items(ctx.conn, o), thing), dict)
               and _only_there(ctx, o, rows, thing)]
    if len(holding) == 1:
        return holding[0]
    listed = "; ".join(f"#{o['number']} ({', '.join(line_label(r) for r in store.items(ctx.conn, o))}, "
                       f"{format_price(o['total_kes'])})" for o in rows)
    return result(ctx, rows[-1], say("which_to_cancel", ctx.lang, orders=listed, number=rows[0]["number"]),
                  "order_cancel_which", [])


_NOT_A_THING = frozenset("ile hiyo order oda yangu my the that this ya sitaki tena please pls tafadhali".split())


def _only_there(ctx: Context, order: dict[str, Any], rows: list[dict[str, Any]], thing: str) -> bool:
    """`thing` names a line of `order` that no other open order holds."""
    line = cart_line(ctx, store.items(ctx.conn, order), thing)
    return isinstance(line, dict) and not any(
        r["product_id"] == line["product_id"] for o in rows if o["id"] != order["id"] for r in store.items(ctx.conn, o))


_ORDER_NAMED = re.compile(r"\s*\b(?:(?:from|in|on|to|for|kwa|kwenye|ya)\s+)?(?:(?:my|the|hiyo|ile)\s+)?(?:order|oda)\s*"
                          r"(?:yangu\s+)?(?:number\s+|namba\s+|no\.?\s*)?#?\s?(\d{1,6})\b", re.I)


_THIS_ORDER = re.compile(r"\s*\b(?:kwa|kwenye|to|for|on|in|ndani ya)\s+(?:(?:hiyo|hii|ile|my|the|that|this)\s+"
                         r"(?:booking|order|oda|miadi|appointment)|(?:booking|order|oda|miadi)\s+(?:yangu|hiyo|hii|ile))\b",
                         re.I)

_ONLY_NOW = re.compile(r"^(?:(?:sawa|ok|okay|basi|sorry|aii|actually|hapana|no|boss)\W+)*(?:nitachukua|nichukue|nataka|"
                       r"nipe|i'?ll take|i will take|i want|give me|make it|iwe|ziwe|niwekee)\s+(?P<count>.+?)\s+"
                       r"(?:tu|only|pekee|basi)$")


_ORDER_NUMBER_ASKED = re.compile(r"\b(?:order|oda)\s+(?:number\s+|namba\s+|no\.?\s+)?#?(\d{1,6})\b")


_COUNT_REPLACED = re.compile(r"\s+(?:badala ya|instead of|not)\s+(?:\d{1,3}|moja|mbili|tatu|nne|tano|sita|saba|nane|"
                             r"tisa|kumi|one|two|three|four|five|six|seven|eight|nine|ten)\b(?!\s*(?:kg|kilo|l\b|lita|"
                             r"size|gb|ml|g\b))", re.I)
def _named_line(rows: list[dict[str, Any]], norm: str) -> bool:
    """Exactly one line of the order has a word of its name said (through the bridge: "sabuni" is soap)."""
    said = set(norm.split())
    said |= {t for w in said for t in WORDS.get(w, "").split()}
    named = [r for r in rows if said & {w for w in words(r["name"]) if len(w) >= 3 and w not in STOPWORDS}]
    return len({r["product_id"] for r in named}) == 1


_DELIVERY_COST_ASKED = re.compile(r"\b(?:delivery|kuleta|uletaji|usafiri|transport|fare)\b.*\b(?:ngapi|how much|bei gani|"
                                  r"cost|costs)\b|\bhow much (?:is|for) (?:the )?(?:delivery|transport)\b")


def _claimed_note(ctx: Context, order: dict[str, Any]) -> str:
    """" (ulisema umetuma KES 300: mwenye duka anathibitisha; ukishathibitishiwa, baki KES 300)" beside what is left
    to pay, when the customer has said they paid part of it ("lipa 600" after "nimetuma 300", while the bot's own
    message said 450 was left; tester s32b)."""
    said = store.money_in(ctx.conn, order) - store.paid_so_far(order)
    if said <= 0:
        return ""
    left = max(Decimal(0), Decimal(store.amount_due(order["total_kes"])) - store.money_in(ctx.conn, order))
    return " " + say("to_pay_claimed", ctx.lang, said=format_price(said), left=format_price(left))


def _edits_the_order(ctx: Context, order: dict[str, Any], norm: str) -> bool:
    """A confirmed, unpaid order the customer changes: something taken out of it by name, or more added ("ongeza",
    "add"), while no payment for it has been claimed (a paid order's change is the owner's: money_asked)."""
    removing = REMOVE.match(norm)
    # "mchele iwe 2 badala ya 3", "punguza sukari iwe mbili tu": a line's count said anew
    # "aah nipe sabuni mbili badala ya moja", "actually make it 2 royco instead of 1" (each a second order beside the
    # first, both open; owner test s31)
    rows = store.items(ctx.conn, order)
    recounted = (SET_MARK.search(norm) or ctx.count_replaced) and find_quantities(norm.split()) \
        and not variant_only(norm) and (isinstance(cart_line(ctx, rows, norm), dict) or _named_line(rows, norm))
    # "nitachukua moja tu" of two pairs after the yes: that count of the one line (a second order of one pair,
    # without its size, was made beside the first; customer test s29b)
    only = _ONLY_NOW.match(norm)
    recounted = recounted or (only is not None and count_only(only.group("count"))
                              and len(rows := store.items(ctx.conn, order)) == 1
                              and find_quantities(only.group("count").split())[0].amount < rows[0]["quantity"])
    # "badilisha size ya superstar iwe 43" after the yes: that pair in the other size (a second order of it was drafted
    # and the first kept in size 44; owner test s31)
    resized = bool(SET_MARK.search(norm)) and re.search(r"\bsize \d", norm) is not None \
        and (isinstance(cart_line(ctx, rows, norm), dict) or _named_line(rows, norm))
    # "badala ya akala nipe open sandals size 40" after the yes: this order's akala swapped (a second order of the
    # sandals was made, and the akala stayed in the first; owner test s31b)
    swap = SWAP.match(norm)
    old = (swap.group("old") or swap.group("old2")) if swap else None
    swapped = old is not None and isinstance(line_named(ctx, order, old), dict)
    removes = bool(removing) and isinstance(line_named(ctx, order, _before_a_verb(removing.group(1))), dict)
    if not (ADD_VERB.search(norm) or recounted or resized or swapped or removes):
        return False
    if store.paid_so_far(order) > 0 and not (recounted or resized or swapped or removes):
        return False  # only more of something: it goes on the part-paid order at once (`_added_to_part_paid`)
    # a part the owner received stays on the order (its next yes asks for the rest); a payment the customer says they
    # made is the owner's to settle first ("toa jogoo zote" after a deposit opened a second order; tester s32)
    return not store.claims_of(ctx.conn, order)


def _changed_as_a_draft(ctx: Context, order: dict[str, Any], text: str, norm: str, intent: str, *,
                        add: bool = False) -> FlowResult | None:
    """A confirmed order (or booking) changed by the message: back to a draft that `draft_turn` (then, with `add`,
    new lines) changes, to be said yes to again; when the message changed nothing, the order is as it was (None)."""
    conn, bid = ctx.conn, ctx.business["id"]
    store.set_status(conn, bid, order["id"], "draft", actor="customer")
    if (two := _two_edits(norm, text)) is not None:
        # "toa jogoo zote, ajab iwe 2" after the yes: both changes (the jogoo stayed; tester s32)
        first = draft_turn(ctx, store.get_order(conn, bid, order["id"]), two[0], normalise(two[0]), intent=intent,
                           n_words=len(two[0].split()))
        step = draft_turn(ctx, store.get_order(conn, bid, order["id"]), two[1], normalise(two[1]), intent=intent,
                          n_words=len(two[1].split())) if first is not None else None
        if first is not None and step is None and add:  # "..., na ongeza vans size 40": new lines
            step = add_lines(ctx, two[1], store.get_order(conn, bid, order["id"]), booking=False)
        if first is not None and step is not None and first.intent == "order_remove":
            step.text = f"{first.text.splitlines()[0]}\n{step.text}"
        step = step or first
    else:
        step = draft_turn(ctx, store.get_order(conn, bid, order["id"]), text, norm, intent=intent,
                          n_words=len(norm.split()))
    if step is None and add:
        step = add_lines(ctx, text, store.get_order(conn, bid, order["id"]), booking=False)
    if step is not None and (now := store.get_order(conn, bid, order["id"]))["status"] == "draft":
        if (order["paid_amount_kes"] or 0) > now["total_kes"]:  # more received than the order now comes to
            order_alerts.money_asked(conn, now, text)
            step.text += "\n" + say("money_to_owner", ctx.lang)
        return step
    store.set_status(conn, bid, order["id"], order["status"], actor="customer")
    return None


_SERVICE_SWAP = re.compile(r"\b(?:change|switch|badilisha|badili)\s+(?:my\s+|the\s+)?(?:booking|appointment|miadi|oda|"
                           r"order)(?:\s+yangu)?\s+(?:from|kutoka)\s+(?P<old>.+?)\s+(?:to|iwe|kwa|hadi)\s+(?P<new>.+?)$")


def _booking_edit(ctx: Context, order: dict[str, Any], text: str, norm: str) -> str | None:
    """The change asked of a confirmed, unpaid booking, normalised: a service of it taken out ("toa gel nails weka
    manicure", after "booking yangu ya kesho saa mbili:"); None when it is none, or a payment was claimed (the
    owner's to settle)."""
    said = normalise(text.rsplit(":", 1)[-1]) if ":" in text else norm
    if (swap := _SERVICE_SWAP.search(said)) is not None \
            and isinstance(line_named(ctx, order, swap.group("old")), dict) and not store.payment_claimed(ctx.conn, order):
        # "can I change my booking from gel nails to manicure?" was the booking's state (owner test s31)
        return f"badilisha {swap.group('old')} iwe {swap.group('new')}"
    removing = REMOVE.match(said)
    if removing is None and ":" not in text:
        # "samahani, dada hatakuja. toa cornrows": the removal in a clause of its own, after why (it was the service's
        # price, and the "ndio" after it booked the cornrows again; tester s32)
        clause = next((c for c in (normalise(c).strip() for c in re.split(r"[,.;!\n]", text)) if REMOVE.match(c)), None)
        if clause is not None:
            said, removing = clause, REMOVE.match(clause)
    if removing is None or not isinstance(line_named(ctx, order, _before_a_verb(removing.group(1))), dict):
        return None
    return None if store.payment_claimed(ctx.conn, order) else said


def _before_a_verb(said: str) -> str:
    verb = ORDER_VERB.search(said)
    return said[:verb.start()].strip(" ,") if verb else said


def _delivery_place_asked(text: str) -> str | None:
    m = _DELIVERY_TO_A_PLACE.search(text.strip())
    return m.group("place").strip() if m else None
