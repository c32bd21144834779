"""The customer's yes and what follows it: prices and stock re-checked, the owner told, the M-Pesa prompt (or
how to pay); cancelling, asking for the prompt again, and where an order is.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from mtaabot.orders import checkout, store
from mtaabot.orders.booking_times import ask_time, booking_time, taken
from mtaabot.orders.context import Context, FlowResult, hit_of, named_as_booking, product_rows, result
from mtaabot.orders.patterns import PHONE
from mtaabot.orders.summary import paid_so_far_text, summary, when_text
from mtaabot.orders.texts import STATE, say
from mtaabot.orders.when import NAIROBI, When
from mtaabot.owners import order_alerts
from mtaabot.reply_builder import ReplyBuilder, format_price, sizes_of


def cancel(ctx: Context, order: dict[str, Any]) -> FlowResult:
    """The customer cancels `order`; one they say they paid stays, and the owner, who holds the money, is asked (a
    paid Superstar order was cancelled for good, and the owner told "no such order"; owner test s26)."""
    if store.payment_claimed(ctx.conn, order):
        order_alerts.cancel_after_paying(ctx.conn, order, ctx.written or ctx.message)
        return result(ctx, order, say("cancel_paid", ctx.lang, number=order["number"]), "order_cancel", [])
    view = store.set_status(ctx.conn, ctx.business["id"], order["id"], "cancelled", actor="customer")
    order_alerts.cancelled_by_customer(ctx.conn, order)
    # a booking is called one ("Sawa, order #40 imecancelliwa" of a salon booking; customer test s28)
    return FlowResult(named_as_booking(order, say("cancelled", ctx.lang, number=order["number"])), "order_cancel", 0.95,
                      [], view)


def restore(ctx: Context, cancelled: dict[str, Any], head: str = "restored") -> FlowResult:
    """"sorry nilikosea, nataka order hiyo" right after cancelling: the cancelled order's lines (and delivery) in a new
    cart to say yes to again, at today's prices and stock (it was a new order of one of the last product). `head`
    "repeated": a regular's "kama ya last time" of an earlier order."""
    cart = store.create_cart(ctx.conn, ctx.business["id"], ctx.conv["id"], kind=cancelled["kind"])
    problems = []
    rows = store.items(ctx.conn, cancelled)
    products = {str(p["id"]): p for p in product_rows(ctx.conn, ctx.business["id"], [r["product_id"] for r in rows])}
    for r in rows:
        try:  # order lines keep their product (foreign key): one made unavailable since is sold out
            store.set_item(ctx.conn, cart, products[str(r["product_id"])], r["quantity"], add=False,
                           variant=r["variant"])
        except store.OrderError:
            problems.append(say("sold_out", ctx.lang, name=r["name"]))
    store.set_fields(ctx.conn, cart, fulfilment=cancelled["fulfilment"],
                     delivery_location=cancelled["delivery_location"])
    cart = store.get_order(ctx.conn, ctx.business["id"], cart["id"])
    if not store.items(ctx.conn, cart):
        return result(ctx, cart, " ".join(problems) + " " + say("cart_empty", ctx.lang), "order_problem", [])
    said = [say(head, ctx.lang, number=cancelled["number"]), *problems]
    return result(ctx, cart, "\n".join(said + [summary(ctx.conn, cart, ctx.lang), say("ask_confirm", ctx.lang)]),
                  "order", [])


def confirm(ctx: Context, cart: dict[str, Any]) -> FlowResult:
    order, changed = store.refresh_prices(ctx.conn, cart)
    problems = []
    wanted: dict[Any, Decimal] = {}  # a product's sizes together against its stock
    rows = store.items(ctx.conn, order)
    for r in rows:
        wanted[r["product_id"]] = wanted.get(r["product_id"], Decimal(0)) + r["quantity"]
    held = store.held_stock(ctx.conn, ctx.business["id"], order["id"]) if any(
        r["current_stock"] is not None for r in rows) else {}
    for r in {r["product_id"]: r for r in rows}.values():
        left = None if r["current_stock"] is None else max(0, r["current_stock"] - held.get(r["product_id"], 0))
        if not r["current_available"] or r["current_stock"] == 0 or left == 0:
            store.remove_item(ctx.conn, order, r["product_id"])
            problems.append(say("sold_out", ctx.lang, name=r["name"]))
        elif left is not None and wanted[r["product_id"]] > left:
            # the rest is held by other customers' yeses (three phones were sold from two)
            problems.append(say("no_stock", ctx.lang, name=r["name"], left=int(left)))
    order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
    if problems or changed:
        if not store.items(ctx.conn, order):
            return result(ctx, order, " ".join(problems) + " " + say("cart_empty", ctx.lang), "order_problem", [])
        head = problems + ([say("prices_changed", ctx.lang)] if changed else [])
        store.set_fields(ctx.conn, order, confirmed_total_kes=None)
        return result(ctx, order, "\n".join(head + [summary(ctx.conn, order, ctx.lang), say("ask_confirm", ctx.lang)]),
                      "order_summary", [])
    if order["kind"] == "booking" and order["booking_at"] is not None \
            and taken(ctx, order, order["booking_at"], order["booking_minutes"]):  # taken since it was offered
        problem = booking_time(ctx, order, When(order["booking_at"].astimezone(NAIROBI).date(),
                                                order["booking_at"].astimezone(NAIROBI).time()))
        order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
        follow = ask_time(ctx, order) if order["booking_at"] is None else say("ask_confirm", ctx.lang)
        return result(ctx, order, "\n".join([problem or "", summary(ctx.conn, order, ctx.lang), follow]).strip(),
                      "booking", [])
    if order["kind"] == "booking" and order["booking_at"] is None:
        return result(ctx, order, summary(ctx.conn, order, ctx.lang) + "\n" + ask_time(ctx, order), "booking", [])
    if order["fulfilment"] == "delivery" and not order["delivery_location"]:  # the owner needs a place to deliver to
        return result(ctx, order, say("ask_where", ctx.lang), "order_summary", [])
    if (unsized := _without_a_size(ctx, rows)) is not None:  # "open sandals moja" -> "ndio": which size to pack?
        name, sizes = unsized
        return result(ctx, order, say("which_size", ctx.lang, name=name, sizes=sizes) + "\n"
                      + summary(ctx.conn, order, ctx.lang), "order_summary", [])
    store.set_fields(ctx.conn, order, confirmed_total_kes=order["total_kes"])
    store.set_status(ctx.conn, ctx.business["id"], order["id"], "awaiting_payment", actor="customer")
    order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
    order_alerts.order_confirmed(ctx.conn, order)  # new, moved or confirmed again: the owner's language
    told = _payment_step(ctx, order)
    if order["kind"] != "booking" and order["fulfilment"] == "delivery" and order["delivery_fee_kes"] is None:
        # "Lipa KES 1,470" for a delivery whose cost nobody had set: the customer paid and the owner could not add it
        # (customer test s28); the customer hears the cost is still to come
        told += "\n" + say("delivery_cost_apart", ctx.lang, place=order["delivery_location"] or "")
    return result(ctx, order, told, "order_confirm", [])


def _without_a_size(ctx: Context, rows: list[dict[str, Any]]) -> tuple[str, str] | None:
    """(name, sizes) of the first line of goods made in numbered sizes that has no size said; the owner cannot pack
    a pair of sandals in no size, and the customer paid for one that may not fit."""
    products = {str(p["id"]): p for p in product_rows(ctx.conn, ctx.business["id"], [r["product_id"] for r in rows])}
    for r in rows:
        product = products.get(str(r["product_id"]))
        if product is None or product.get("is_service") or "size " in (r["variant"] or ""):
            continue
        sizes = sizes_of(hit_of(product))
        if sizes and re.search(r"\d", sizes):
            return r["name"], sizes
    return None


def how_to_pay(ctx: Context) -> str:
    """The shop's way to pay, and (when the shop takes prompts) that saying yes brings the M-Pesa prompt."""
    settings = checkout.payment_settings(ctx.conn, ctx.business["id"])
    builder = ReplyBuilder(language=ctx.lang, tone=ctx.business.get("tone") or "mtaa", business=ctx.business,
                           first_turn=False)
    how = builder.payment_methods(checkout.payee_text(settings) if settings else None)
    return how + " " + say("prompt_on_confirm", ctx.lang) if settings and checkout.prompts_enabled() else how


def _payment_step(ctx: Context, order: dict[str, Any], phone: str | None = None) -> str:
    """Queue the M-Pesa prompt when the shop can take one; else tell the customer how to pay (what is left of it,
    after a part the owner recorded)."""
    amount = format_price(store.balance_due(order))
    received = store.paid_so_far(order)
    if received and received >= store.amount_due(order["total_kes"]):
        # one of two taken out after a part was received: what was received pays it all (it said "Lipa KES 0")
        store.record_payment(ctx.conn, order, Decimal(0))
        over = received - Decimal(str(order["total_kes"]))
        return say("covered_already" if over > 0 else "covered_exactly", ctx.lang, number=order["number"], total=format_price(order["total_kes"]),
                   paid=format_price(received), over=format_price(over))
    settings = checkout.payment_settings(ctx.conn, ctx.business["id"])
    if settings is None:
        if order["kind"] == "booking":
            return say("booking_confirmed", ctx.lang, number=order["number"], when=when_text(order["booking_at"]))
        return say("pay_on_delivery", ctx.lang, number=order["number"], amount=amount)
    payee = checkout.payee_text(settings)
    booked = order["kind"] == "booking" and order["booking_at"] is not None
    when = when_text(order["booking_at"]) if booked else ""
    if not checkout.prompts_enabled():
        return say("pay_manual_booking" if booked else "pay_manual", ctx.lang, number=order["number"], amount=amount,
                   payee=payee, when=when)
    msisdn = phone or checkout.customer_msisdn(ctx.conv)
    if msisdn is None:
        return say("need_phone", ctx.lang, number=order["number"], amount=amount)
    checkout.queue_prompt(ctx.conn, order, msisdn)
    return say("stk_sent_booking" if booked else "stk_sent", ctx.lang, number=order["number"], amount=amount,
               phone=checkout.display_phone(msisdn), payee=payee, when=when)


def retry_payment(ctx: Context, order: dict[str, Any], phone: str | None = None) -> FlowResult:
    if order["status"] == "payment_failed":
        store.set_status(ctx.conn, ctx.business["id"], order["id"], "awaiting_payment", actor="customer")
        order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
    order, changed = store.refresh_prices(ctx.conn, order)
    if changed:  # never ask for money the customer has not seen
        store.set_status(ctx.conn, ctx.business["id"], order["id"], "draft", actor="customer")
        order = store.get_order(ctx.conn, ctx.business["id"], order["id"])
        return result(ctx, order, "\n".join([say("prices_changed", ctx.lang), summary(ctx.conn, order, ctx.lang),
                                             say("ask_confirm", ctx.lang)]), "order_summary", [])
    if phone:
        store.set_fields(ctx.conn, order, payment_phone=phone)
    return result(ctx, order, _payment_step(ctx, order, phone or order.get("payment_phone")), "order_retry", [])


def rest_later(ctx: Context, order: dict[str, Any]) -> FlowResult:
    """"nitamalizia iliyobaki jioni" on an order paid in part: what is left to pay, and to send its code."""
    left = max(0, store.amount_due(order["total_kes"]) - int(store.money_in(ctx.conn, order)))
    return result(ctx, order, say("rest_later", ctx.lang, number=order["number"], balance=format_price(left)),
                  "order_status", [])


def phone_in(text: str) -> str | None:
    m = PHONE.search(text)
    if not m:
        return None
    try:
        from mtaabot.phones import normalize_ke_msisdn

        return normalize_ke_msisdn(re.sub(r"\s", "", m.group(0)))
    except ValueError:
        return None


def when_it_comes(ctx: Context, order: dict[str, Any], text: str) -> FlowResult:
    """"oda yangu itafika saa ngapi?", "je imetoka?": where the order is, and the owner asked when it comes."""
    order_alerts.when_asked(ctx.conn, order, text)
    told = status(ctx, order).text + "\n" + say("when_asked", ctx.lang, number=order["number"])
    return result(ctx, order, told, "order_status", [])


def status(ctx: Context, order: dict[str, Any]) -> FlowResult:
    text = say("status", ctx.lang, number=order["number"], state=STATE[order["status"]][ctx.lang])
    if order["status"] == "awaiting_payment" and store.paid_so_far(order) == 0 \
            and (claimed := store.money_in(ctx.conn, order)) > 0:
        # "Oda #9: inasubiri malipo" to a customer who had just sent the code read as "you have not paid"
        text = say("payment_being_checked", ctx.lang, number=order["number"], amount=format_price(claimed))
    if store.paid_so_far(order) > 0:
        text += " " + paid_so_far_text(order, ctx.lang)
    elif order["status"] in ("awaiting_payment", "payment_failed") and store.money_in(ctx.conn, order) == 0:
        # "order yangu ni pesa ngapi?" got "Order #12: inangoja malipo." with no amount (customer test s28)
        text += " " + say("left_to_pay", ctx.lang, total=format_price(store.balance_due(order)))
    if order["kind"] == "booking" and order["booking_at"] is not None and order["status"] not in ("cancelled",
                                                                                                  "fulfilled"):
        text += "\n" + say("booking_when", ctx.lang, number=order["number"], when=when_text(order["booking_at"]))
    elif order["status"] == "paid":
        if order["fulfilment"] == "delivery" and order["delivery_location"]:
            text += " " + say("to_deliver", ctx.lang, place=order["delivery_location"])
        else:
            text += " " + say("to_collect", ctx.lang,
                              where=ctx.business.get("location") or ctx.business.get("name"))
    return result(ctx, order, text, "order_status", [])
