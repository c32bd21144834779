"""An order's total changed by the owner (an agreed price, a delivery cost): the customer hears the new total and
pays it. A cart asks for the yes again; an order already confirmed gets a new M-Pesa prompt for the new amount (or
the till to pay). The chat goes back to the bot, so the customer's "ndio" finishes the order, and the owner's open
alerts about that chat count as answered."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import psycopg

from mtaabot import conversations
from mtaabot.owners.alerts import in_lang as _t
from mtaabot.reply_builder import format_price

# a reason meant for the customer (never "mteja amepiga simu amesema hataki", said about them)
TOLD_WHY = re.compile(r"^(?:kwa sababu|because|sababu)\b|\b(?:samahani|sorry|pole|imeisha|zimeisha|hatuna|"
                      r"out of stock|sold out)\b", re.I)


def tell_new_total(conn: psycopg.Connection, business_id: str, order: dict[str, Any], first: Callable[[str], str],
                   lang: str) -> tuple[dict[str, Any], str]:
    """Tell the customer of `order` (`first(customer_lang)` opens the message) and return (order, what the owner is
    told of the prompt, in `lang`)."""
    from mtaabot.orders import checkout, store, summary, texts

    clang = checkout.customer_language(conn, order)
    told = [first(clang), summary.summary(conn, order, clang)]
    prompt = ""
    if order["status"] == "draft":
        told.append(texts.say("ask_confirm", clang))
    else:  # confirmed at the old total: the new total is the one to pay, by a new prompt where there is one
        order = store.set_fields(conn, order, confirmed_total_kes=order["total_kes"])
        settings = checkout.payment_settings(conn, business_id)
        due = format_price(store.amount_due(order["total_kes"]))
        sent = store.money_in(conn, order)
        received = store.paid_so_far(order)
        if received > 0 and received >= store.amount_due(order["total_kes"]):
            # the owner has already received the new total (the agreed 48,000 after 48,000 came): paid, never "pay KES
            # 0 to the Paybill" with the order left waiting (owner test s31b)
            order = store.record_payment(conn, order, Decimal(0))
            told.append(texts.say("owner_price_paid", clang, number=order["number"], paid=format_price(received)))
        elif sent > 0 and settings is not None:
            # "Nimetuma pesa 1490" then ODA 1 DELIVERY 150: the 150 is left, never "pay 1,640" again (customer test
            # s29b; the customer could have paid twice)
            left = store.amount_due(max(Decimal(0), Decimal(str(order["total_kes"])) - sent))
            # "Ulisema umetuma" only of money the customer said they sent; money the owner recorded is "umeshalipa"
            # (a customer whose deposit the owner recorded was told they had said so; owner test s31b)
            key = "owner_price_left" if store.claims_of(conn, order) else "owner_price_left_received"
            # the summary's own "Umeshalipa ... baki ni ..." line says it again, just above (tester s32, s32b)
            told[1] = told[1].removesuffix("\n" + summary.paid_so_far_text(order, clang))
            told.append(texts.say(key, clang, paid=format_price(sent), amount=format_price(left),
                                  payee=checkout.payee_text(settings)))
        elif settings is not None and checkout.prompts_enabled() and order["payment_phone"]:
            checkout.queue_prompt(conn, order, order["payment_phone"])
            told.append(texts.say("owner_price_prompt", clang, amount=due,
                                  phone=checkout.display_phone(order["payment_phone"])))
            prompt = _t(lang, " Ombi jipya la M-Pesa limetumwa.", " A new M-Pesa prompt is on its way.")
        elif settings is not None:
            told.append(texts.say("owner_price_pay", clang, amount=due, payee=checkout.payee_text(settings)))
    # shown as the cart is (the customer's "sawa ndio" to it is a yes to the order)
    checkout.tell_customer(conn, order, "\n".join(told), "order_summary" if order["status"] == "draft" else "order_price")
    conversations.hand_back(conn, business_id, order["conversation_id"])  # the customer's yes finishes the order
    conn.execute("""UPDATE owner_alerts SET answered_at = coalesce(answered_at, CURRENT_TIMESTAMP)
                    WHERE business_id = %s AND conversation_id = %s""", (business_id, order["conversation_id"]))
    return order, prompt
