""""Nimelipa" / "I've paid": a claim to have paid, with an open order or none, passed to the owner with the
amount and M-Pesa code said.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg

from mtaabot.orders import store
from mtaabot.orders.context import Context, FlowResult, result
from mtaabot.orders.patterns import PAID_WORD, PROMPT_ASK, RECEIPT, money_amounts
from mtaabot.orders.paying import status
from mtaabot.orders.summary import paid_so_far_text
from mtaabot.orders.texts import say
from mtaabot.orders.when import NAIROBI
from mtaabot.owners import order_alerts
from mtaabot.reply_builder import ReplyBuilder, format_price
from mtaabot.vocabulary import normalise

# a bare M-Pesa code ("RHG7TY6UI8"): the customer's payment, sent as its code alone (was "which product?")
_CODE_ONLY = re.compile(r"^\s*(?=[A-Z0-9]{10}\b)(?=[A-Z0-9]*\d)[A-Z]{2}[A-Z0-9]{8}\s*[.!]?\s*$")


# "nimeongeza 310 code SLM9K2PQ7X", "nimemalizia": the rest of a part, sent with its code (it was "not sold")
_PAID_MORE = re.compile(r"\b(?:nimeongeza|nimemalizia|nimemaliza|nimekamilisha|nimeweka|i'?ve added|topped up)\b")


# an amount said not to be the one ("400 si 420", "400 not 420") and words that correct what was said before
_NOT_THIS = re.compile(r"\b(?:si|sio|siyo|not|and not|badala ya|instead of)\s+(?:ksh\.?|kes|sh\.?)?\s*\d[\d,]*(?:\.\d+)?k?\b",
                       re.I)
_CORRECTS = re.compile(r"\b(?:nilikosea|nimekosea|nilikose|i meant|correction|nilimaanisha|my mistake|"
                       r"typo|sorry it was)\b")


_ORDER_NAMED = re.compile(r"\b(?:order|oda|booking|miadi)\s*(?:no\.?\s*|namba\s*)?#?(\d{1,6})\b|#(\d{1,6})\b")
# a payment for every order of the chat: "kwa zote mbili", "for both", "for all of them"
# ("nimetuma 390 ya hizo oda mbili" drafted two bags of sugar; tester s32b)
_FOR_ALL = re.compile(r"\b(?:(?:kwa|ya|za) (?:hizo |hizi )?(?:oda |order |orders )?(?:zote|zote mbili|mbili|mbili zote)|"
                      r"(?:for|of) (?:both|all|the two|all of them|both orders|all my orders|the two orders)|zote mbili)\b")


def claims_paid(intent: str, text: str, norm: str) -> bool:
    if PROMPT_ASK.search(norm) and not PAID_WORD.search(norm):
        return False
    return intent == "payment" or bool(RECEIPT.search(text) and (PAID_WORD.search(norm) or _PAID_MORE.search(norm))) \
        or bool(_CODE_ONLY.match(text)) \
        or bool(PAID_WORD.search(norm) and _FOR_ALL.search(norm) and money_amounts(text))  # "nimetuma 390 ya hizo oda"


def claimed_paid(ctx: Context, order: dict[str, Any], text: str = "") -> FlowResult:
    """"nimelipa" / "I've paid" with an open order: a draft becomes the customer's order (no M-Pesa prompt: they
    paid already) and the owner is told which order and how much to look for, not only "someone says they paid"."""
    if (named := _ORDER_NAMED.search(normalise(text))) is not None \
            and int(number := named.group(1) or named.group(2)) != order["number"] \
            and (other := next((o for o in store.open_orders(ctx.conn, ctx.business["id"], ctx.conv["id"])
                                if o["number"] == int(number)
                                and o["status"] in ("awaiting_payment", "payment_failed")), None)) is not None:
        # "nimelipa 2200 ya order 11" with #12 in the cart: #11's payment (it went on #12, which it confirmed without
        # a yes; tester s32b)
        order = other
    if order["status"] == "draft":
        order, _ = store.refresh_prices(ctx.conn, order)
        store.set_fields(ctx.conn, order, confirmed_total_kes=order["total_kes"])
        store.set_status(ctx.conn, ctx.business["id"], order["id"], "awaiting_payment", actor="customer")
        order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
        # paid without the yes: the owner still hears of the order (what, where, when), not only of a payment
        order_alerts.order_confirmed(ctx.conn, order)
    if _FOR_ALL.search(normalise(text)) and (every := [
            o for o in store.open_orders(ctx.conn, ctx.business["id"], ctx.conv["id"])
            if o["status"] in ("awaiting_payment", "payment_failed")]) and len(every) > 1 \
            and (said := _amount_said(text)) in (None, sum(store.balance_due(o) for o in every)):
        # "nimetuma 1500 kwa zote mbili": every order still to pay, each for what it has left (the 1,500 went on the
        # newest order; the other stayed unpaid; tester s32)
        order_alerts.payment_claimed_for_all(ctx.conn, every, text)
        numbers = ", ".join(f"#{o['number']}" for o in every)
        return result(ctx, order, say("paid_claim_all", ctx.lang, numbers=numbers, amount=format_price(
            sum(store.balance_due(o) for o in every))), "payment_claim", [])
    due = store.balance_due(order)  # after a part the owner recorded: what is left
    said = _amount_said(_NOT_THIS.sub(" ", text))  # "nimelipa 400 si 420": 400
    code = order_alerts.claimed_code(text)
    if code and order_alerts.code_given_for(ctx.conn, order, code):
        # the same code again: one payment, said twice (the owner was alerted twice and could count it twice)
        return result(ctx, order, say("paid_claim_again", ctx.lang, number=order["number"], code=code),
                      "payment_claim", [])
    wrong = [a for m in _NOT_THIS.finditer(text) for a in money_amounts(m.group(0))]
    corrects = bool(_CORRECTS.search(normalise(text)))
    if said is not None and (wrong or corrects) and (
            before := order_alerts.claim_corrected(ctx.conn, order, text, said, wrong, corrects)) is not None:
        # "sorry nimelipa 400 si 420": the claim before said again, not a second payment (tester s32)
        total = store.amount_due(order["total_kes"])
        sent = store.money_in(ctx.conn, order)
        left = say("claimed_so_far", ctx.lang, paid=format_price(sent), total=format_price(total),
                   balance=format_price(total - sent)) if sent < total else ""
        return result(ctx, order, say("paid_claim_corrected", ctx.lang, number=order["number"],
                                      amount=format_price(said), wrong=format_price(before)) + (" " + left if left else ""),
                      "payment_claim", [])
    order_alerts.payment_claimed(ctx.conn, order, text, said)  # kept for ODA; a code given for another order is flagged
    if said is not None and said != due:  # "nimelipa deposit ya 1000": that much, not the whole order's total
        total = store.amount_due(order["total_kes"])
        sent = store.money_in(ctx.conn, order)  # with this claim
        so_far = "\n" + paid_so_far_text(order, ctx.lang) if store.paid_so_far(order) > 0 else ""
        if sent > said + store.paid_so_far(order):  # "nimeongeza 310" after "nimetuma 500": what they add up to
            so_far = "\n" + (say("claimed_all", ctx.lang, paid=format_price(sent), total=format_price(total))
                             if sent >= total else
                             say("claimed_so_far", ctx.lang, paid=format_price(sent), total=format_price(total),
                                 balance=format_price(total - sent)))
        return result(ctx, order, say("paid_claim_part", ctx.lang, number=order["number"], amount=format_price(said),
                                      total=format_price(total)) + so_far, "payment_claim", [])
    return result(ctx, order, say("paid_claim", ctx.lang, number=order["number"], amount=format_price(due)),
                  "payment_claim", [])


def claim_while_owner_has_the_chat(conn: psycopg.Connection, conv: dict[str, Any], text: str) -> bool:
    """"sawa nimetuma 670, code SLK4H7TQ2P" while the owner has the chat (JIBU ODA): the claim is kept on the
    customer's order waiting for payment, as it is when the bot answers, and the owner gets the payment alert (order,
    amount, code). It was only forwarded as text and ODA showed no code (owner test s26). False: no claim, or no
    such order."""
    if not (order_alerts.claimed_code(text) and PAID_WORD.search(normalise(text))) and not _CODE_ONLY.match(text):
        return False
    order = conn.execute(
        """SELECT * FROM orders WHERE business_id = %s AND conversation_id = %s
           AND status IN ('awaiting_payment', 'payment_failed') ORDER BY updated_at DESC LIMIT 1""",
        (conv["business_id"], conv["id"])).fetchone()
    if order is None:
        return False
    order_alerts.payment_claimed(conn, order, text, _amount_said(text))
    return True


RECENT_PAID_DAYS = 3  # "nimelipa" about an order paid or delivered this recently is about that order (as an open one)


def paid_without_order(ctx: Context, text: str) -> FlowResult:
    """"nimelipa 500" / "I paid, where is my order?" with no order in play. An order of the last days already paid
    or delivered: where it is. Otherwise none was found for this number: the customer is told so, and the owner gets
    the claim (amount, M-Pesa code) to check on M-Pesa and answers from the alert; the chat stays with the bot."""
    placed = store.latest_placed(ctx.conn, ctx.business["id"], ctx.conv["id"])
    if placed is not None and placed["status"] in ("paid", "fulfilled") \
            and placed["updated_at"] > datetime.now(NAIROBI) - timedelta(days=RECENT_PAID_DAYS):
        return status(ctx, placed)
    amount = _amount_said(text)
    if placed is not None and placed["status"] == "cancelled" \
            and placed["updated_at"] > datetime.now(NAIROBI) - timedelta(days=RECENT_PAID_DAYS):
        # paid for an order since cancelled: that order's money, for the owner to refund (was "no order of theirs")
        order_alerts.paid_after_cancel(ctx.conn, placed, text, amount)
        said = f" ({format_price(amount)})" if amount is not None else ""
        return result(ctx, placed, say("paid_cancelled", ctx.lang, number=placed["number"], amount=said), "payment", [])
    who = ctx.conv.get("customer_name") or ctx.conv["customer_phone"]
    order_alerts.paid_without_order(ctx.conn, ctx.business["id"], ctx.conv["id"], who, text, amount)
    builder = ReplyBuilder(language=ctx.lang, tone=ctx.business.get("tone") or "mtaa", business=ctx.business,
                           first_turn=False)
    return result(ctx, None, builder.paid_no_order(amount), "payment", [])


def _amount_said(text: str) -> Decimal | None:
    said = money_amounts(RECEIPT.sub(" ", text))
    return said[0] if said else None
