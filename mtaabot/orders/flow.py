"""The order conversation: what a customer's message does to their cart, booking or payment.

`handle` is called by the engine before its question-answering path. It returns None when the
message is not about ordering (a price question, a greeting...), so the rest of the engine answers;
otherwise a `FlowResult` whose every name, price and total was read from the database.

A cart grows over several messages ("na mkate moja pia"), items come out ("toa sukari"), "hiyo" /
"that one" is the product the bot last talked about, and "ndio" after a summary confirms: prices are
re-read (a change is shown before any payment), stock is re-checked, the owner is told, and an M-Pesa
prompt for exactly the total is queued to the shop's own till or paybill (or the customer is told
how to pay when the shop has none).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import psycopg

from mtaabot.intents import WILL_PAY, expand_sms
from mtaabot.orders import bookings, store
from mtaabot.orders.booking_times import ask_time, booking_ends, booking_time, on_asked_day
from mtaabot.orders.cart import add_lines
from mtaabot.orders.cart_edits import change_wanted, exchange, remove
from mtaabot.orders.confirmed_booking import confirmed_booking
from mtaabot.orders.context import Context, FlowResult, product_rows, result
from mtaabot.orders.fulfilment import before_place, delivery_asked, note_fulfilment
from mtaabot.orders.lines import MAX_LINE_QUANTITY
from mtaabot.orders.paid_claims import claimed_paid, claims_paid, paid_without_order
from mtaabot.orders.patterns import (
    ADD_MARK,
    AMOUNT_OFFERED,
    ASKS,
    BARE_PRICE,
    BOOKING,
    CANCEL,
    CANCEL_BOOKING,
    CANCEL_ITEM,
    CANCEL_WORDS,
    CONFIRM,
    CONFIRM_AT_END,
    DELIVERY,
    EXPLICIT_CONFIRM,
    FILLER_ONLY,
    GIVE_LAST,
    GIVE_NOW,
    INFO_ASKED,
    MONEY_WORD,
    NOT_WANTED,
    ORDER_VERB,
    PAID_WORD,
    PICKUP,
    PRICE_Q,
    PROMPT_ASK,
    REFERENCE,
    REMOVE,
    REMOVE_AFTER,
    RETRY,
    SET_MARK,
    STATUS_Q,
    SUMMARY_INTENTS,
    SWAP,
    TAKE,
    THANKS_ONLY,
    TOTAL_Q,
    VARIANT,
    VISIT,
    WHOLE_ORDER,
    YES_TAIL,
)
from mtaabot.orders.paying import cancel, confirm, how_to_pay, phone_in, retry_payment, status
from mtaabot.orders.quantities import (
    find_quantities,
    price_range,
    sizes_in_digits,
)
from mtaabot.orders.sizes import variant_only
from mtaabot.orders.summary import summary
from mtaabot.orders.texts import say
from mtaabot.orders.when import parse_when, without_when
from mtaabot.owners import order_alerts
from mtaabot.understanding import PRICE_ASKED
from mtaabot.vocabulary import normalise


def _pays_the_price(ctx: Context, norm: str) -> bool:
    """The amount said ("nipe moja kwa 180") is no less than the listed price of the thing just shown."""
    said = AMOUNT_OFFERED.search(norm)
    product = product_rows(ctx.conn, ctx.business["id"], ctx.last_products[:1]) if said and ctx.last_products else []
    return bool(product) and Decimal(said.group(1).replace(",", "")) >= product[0]["price"]


def handle(conn: psycopg.Connection, business: dict[str, Any], conv: dict[str, Any], text: str, lang: str, *,
           intent: str, last_intent: str | None, last_products: list[Any] | None,
           now: datetime | None = None, understanding: Any = None) -> FlowResult | None:
    """What an order-related message does; None when the message is not about ordering.

    `understanding` (mtaabot.understanding.Understanding) carries the parse the engine already made."""
    ctx = Context(conn, business, conv, lang, last_intent, list(last_products or []), now)
    text = sizes_in_digits(text)  # "size ni 43", "size arobaini na mbili": the size, never a count
    norm = sizes_in_digits(understanding.norm if understanding is not None else normalise(text))
    n_words = len(norm.split())
    if (ends := booking_ends(conn, business, conv, norm, lang)) is not None:
        return ends
    order = store.latest_open(conn, business["id"], conv["id"])
    has_items = False
    if order is not None:
        has_items = bool(store.items(conn, order))
        if order["status"] == "draft" and has_items:
            if (swap := SWAP.match(norm)) is not None:
                return exchange(ctx, order, swap.group("old") or swap.group("old2"), swap.group("new") or swap.group("new2"))
            if (becomes := change_wanted(ctx, order, norm)) is not None:
                return exchange(ctx, order, "hiyo", becomes)
            unwanted = NOT_WANTED.match(norm)  # "sitaki maziwa tena", "mayai sitaki tena": that item out
            if unwanted and not set((unwanted.group(1) or unwanted.group(2)).split()) <= FILLER_ONLY | {"tena"}:
                return remove(ctx, order, unwanted.group(1) or unwanted.group(2))
            one = REMOVE_AFTER.match(norm) or CANCEL_ITEM.match(norm)
            if one and not ORDER_VERB.search(one.group(1)) \
                    and not (one.re is CANCEL_ITEM and WHOLE_ORDER.search(one.group(1))) \
                    and (one.re is REMOVE_AFTER or not set(one.group(1).split()) <= FILLER_ONLY):
                return remove(ctx, order, one.group(1))
            if CANCEL.search(norm):
                return cancel(ctx, order)
            if claims_paid(intent, text, norm) and not RETRY.search(norm):  # "nimelipa" before saying yes
                return claimed_paid(ctx, order, text)
            # "ok what about monday 11am?" moves the booking; it is no yes to the time asked before
            timed = bookings.with_clocks(text, norm)  # "6:30 then?": the minutes as typed
            asked = bookings.move_asked(timed, now) or parse_when(timed, now)  # "can we move it to 12?"
            moves = order["kind"] == "booking" and asked.found
            if PROMPT_ASK.search(norm) and not PAID_WORD.search(norm) and not CANCEL.search(norm):
                return confirm(ctx, order)  # "nitumie mpesa prompt": a yes, and the prompt it brings
            if THANKS_ONLY.match(norm) and last_intent in SUMMARY_INTENTS:
                return result(ctx, order, say("yes_to_order", lang, number=order["number"]), "order_summary", [])
            # a question is no yes: "sawa ni pesa ngapi zote?", "ok so total?" confirmed the order
            asks = "?" in text or bool(TOTAL_Q.search(norm) or PRICE_ASKED.search(expand_sms(norm)))
            yes = CONFIRM.match(norm)
            # "sawa hizo za nusu nipe 2", "ok nipe 3": a change said after the ok, not a yes to what was shown
            after = norm[yes.end():].split() if yes else []
            changes = bool(find_quantities(after)) or (bool(ORDER_VERB.search(" ".join(after))) and not set(
                w for w in after if not ORDER_VERB.fullmatch(w)) <= FILLER_ONLY | YES_TAIL)
            if yes and n_words <= 6 and not moves and not asks and not changes \
                    and (last_intent in SUMMARY_INTENTS + ("order_remove", "order_problem") or EXPLICIT_CONFIRM.search(norm)):
                return confirm(ctx, order)
            if yes and n_words <= 6 and not moves and not asks and not changes and order["kind"] != "booking" \
                    and set(after) <= YES_TAIL | FILLER_ONLY:
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
            if order["kind"] == "booking":  # a time said now sets the booking's time, or changes it
                when = on_asked_day(ctx, order, bookings.same_time(conn, business["id"], conv["id"], norm, asked))
                if when.at is not None or (when.day is not None and order["booking_at"] is None):
                    order = store.get_order(conn, business["id"], order["id"])
                    if when.moment() is None:
                        return result(ctx, order, ask_time(ctx, order), "booking", [])
                    problem = booking_time(ctx, order, when)
                    order = store.get_order(conn, business["id"], order["id"])
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
            if asks_total and not find_quantities(norm.split()):
                return result(ctx, order, summary(conn, order, lang) + "\n" + say("ask_confirm", lang), "order_summary",
                              [])
            if note_fulfilment(ctx, order, text, norm) and not find_quantities(without_when(before_place(norm)).split()):
                order = store.get_order(conn, business["id"], order["id"])
                noted = say("pickup_noted", lang, where=business.get("location") or business.get("name")) + "\n" \
                    if order["fulfilment"] == "pickup" and PICKUP.search(norm) else ""
                if CONFIRM_AT_END.search(norm) and "?" not in text:  # "I'll pick them up tomorrow, yes confirm"
                    done = confirm(ctx, order)
                    done.text = noted + done.text
                    return done
                return result(ctx, order, noted + summary(conn, order, lang) + "\n" + say("ask_confirm", lang),
                              "order_summary", [])
            if intent == "delivery" and order["kind"] != "booking":  # "mnaleta Kawangware?"
                return delivery_asked(ctx, order, text, norm)
        elif order["status"] in ("awaiting_payment", "payment_failed"):
            phone = phone_in(text)
            if CANCEL.search(norm) or (order["kind"] == "booking" and CANCEL_BOOKING.search(norm)):
                return cancel(ctx, order)
            if order["kind"] != "booking" and (becomes := change_wanted(ctx, order, norm)) is not None:
                # confirmed, not paid: changed back to a cart, and the new one is said yes to (its own prompt)
                store.set_status(conn, business["id"], order["id"], "draft", actor="customer")
                return exchange(ctx, store.get_order(conn, business["id"], order["id"]), "hiyo", becomes)
            if order["kind"] == "booking" and (step := confirmed_booking(ctx, order, text, norm)) is not None:
                return step
            if RETRY.search(norm) or (PROMPT_ASK.search(norm) and not PAID_WORD.search(norm)) \
                    or (phone and last_intent in ("order_confirm", "order_retry")):
                return retry_payment(ctx, order, phone)
            if claims_paid(intent, text, norm):
                return claimed_paid(ctx, order, text)
            if STATUS_Q.search(norm):
                return status(ctx, order)
    # "nimelipa 500" with no order in play ("nimelipa QAB… lakini sijapata mzigo!" stays a complaint for the owner)
    if (order is None or order["status"] == "draft" and not has_items) and claims_paid(intent, text, norm) \
            and intent not in ("human", "complaint", "angry"):
        return paid_without_order(ctx, text)
    if order is None and CANCEL.search(norm) and intent not in ("human", "complaint", "angry") \
            and not ORDER_VERB.search(CANCEL_WORDS.sub(" ", CANCEL.sub(" ", norm))):
        # "cancel hiyo order", "I want to cancel my booking": a paid one is the owner's to give the money back
        placed = store.latest_placed(conn, business["id"], conv["id"])
        if placed is not None and placed["status"] == "paid":
            order_alerts.cancel_after_paying(conn, placed, text)
            return result(ctx, placed, say("cancel_paid", lang, number=placed["number"]), "order_cancel", [])
        return result(ctx, None, say("nothing_to_cancel", lang), "order_cancel", [])
    if STATUS_Q.search(norm) and (order is None or order["status"] == "draft" and not has_items):
        # "order yangu iko wapi?" after it was paid, fulfilled or cancelled (by the owner too): say where it is
        placed = store.latest_placed(conn, business["id"], conv["id"])
        if placed is not None:
            return status(ctx, placed)
    if (order is None or order["status"] != "draft") and last_intent == "product" and len(ctx.last_products) == 1 \
            and (yes := CONFIRM.match(norm)) and set(norm[yes.end():].split()) <= YES_TAIL and "?" not in text:
        # "ndio" to "AF1 iko, KES 3,500 ... Ukitaka nikuwekee, niambie tu!": that one, in the size asked before
        product = product_rows(conn, business["id"], ctx.last_products)
        if product and product[0]["is_available"]:
            return add_lines(ctx, "hiyo", None, booking=bool(product[0].get("is_service")
                                                              or product[0].get("duration_minutes")))
    takes_it = bool(ctx.last_products) and bool(ORDER_VERB.search(norm)) and bool(REFERENCE.search(norm)) \
        or bool(TAKE.search(norm) and DELIVERY.search(norm))  # "ok I will take the A15, can you deliver to Thika?"
    if intent == "discount" and ORDER_VERB.search(norm) and _pays_the_price(ctx, norm):
        intent = "order"  # "basi nipe moja kwa 180" after the sugar at KES 180: the price itself, no haggling
    if intent == "discount" and has_items and order["status"] == "draft" and SET_MARK.search(norm) \
            and (said := find_quantities(norm.split())) and all(q.amount <= MAX_LINE_QUANTITY for q in said) \
            and not AMOUNT_OFFERED.search(norm) and not MONEY_WORD.search(norm):
        intent = "order"  # "ah ni mingi sana, fanya 3": too many, make it three; no price was offered
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
    if INFO_ASKED.search(norm) and not find_quantities(norm.split()):
        return None  # "nipe details za gesi", "nitumie picha ya unga": about the thing, not an order for it
    draft = order if order is not None and order["status"] == "draft" else None
    counted = understanding.counted if understanding is not None else bool(find_quantities(norm.split()))
    budget = understanding.budget if understanding is not None else price_range(norm)
    wants = (intent == "order" or booking or bool(ORDER_VERB.search(norm) and counted)
             or (counted and "?" not in text and not PRICE_Q.search(expand_sms(norm)) and not ASKS.search(norm)
                 and (intent in ("product", "unknown") or intent == "ack" and bool(ctx.last_products)))  # "sawa 2 pairs"
             or (draft is not None and (SET_MARK.search(norm) or variant_only(norm))
                 and VARIANT.search(norm))  # "change to size 42", "size 46 basi"
             or (draft is not None and (ADD_MARK.search(norm) or counted)
                 and not (PRICE_ASKED.search(expand_sms(norm)) and not ORDER_VERB.search(norm)))
             or takes_it or visiting
             or ((GIVE_NOW.match(norm) is not None or GIVE_LAST.search(norm) is not None) and "?" not in text and not PRICE_ASKED.search(expand_sms(norm))
                 and not INFO_ASKED.search(norm)))
    if not wants or (budget is not None and intent != "order"):
        return None
    if intent in ("price_list", "location", "hours") and not booking:
        return None
    return add_lines(ctx, text, draft, booking=booking)
