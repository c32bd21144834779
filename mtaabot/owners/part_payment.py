"""Part of an order's money received: "THIBITISHA 32 200", "CONFIRM 32 1,500", "oda 32 imelipwa 200 cash" (a deposit
for a booking, a first part paid in cash or on M-Pesa). The part is kept on the order, the customer hears what they
have paid and what is left, and the order becomes paid when the rest comes (THIBITISHA 32, or the rest's amount).
Before, the owner could only mark the whole order paid or leave it as if nothing had been paid.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import psycopg

from mtaabot.orders.patterns import money_amounts
from mtaabot.owners.alerts import in_lang as _t
from mtaabot.reply_builder import format_price

_ORDER_NUMBER = re.compile(r"\s*#?\d{1,6}(?!\w)")


def amount_received(rest: str) -> Decimal | None:
    """The money after the order number in "32 200", "#32 amelipa 200 cash", "32 KES 1,500", "32 1.5k"; None when
    the owner gave only the number (the whole order)."""
    number = _ORDER_NUMBER.match(rest)
    if number is None:
        return None
    said = money_amounts(rest[number.end():])
    return said[0] if said and said[0] >= 10 else None  # "THIBITISHA 7 2": no money (a slip), the order as usual


def record_part(conn: psycopg.Connection, order: dict[str, Any], amount: Decimal, lang: str) -> str | None:
    """Keep `amount` as received for `order` and tell its customer; the owner's answer in `lang`. None when the amount
    covers what is left (the caller marks the order paid) or the order is not waiting for payment (the caller says
    why it cannot be confirmed)."""
    from mtaabot.orders import checkout, store, texts

    if order["status"] not in ("awaiting_payment", "payment_failed") or amount >= store.balance_due(order):
        return None
    order = store.record_payment(conn, order, amount)
    fields = {"number": order["number"], "amount": format_price(amount),
              "paid": format_price(store.paid_so_far(order)), "total": format_price(order["total_kes"]),
              "balance": format_price(store.balance_due(order))}
    clang = checkout.customer_language(conn, order)
    checkout.tell_customer(conn, order, texts.say("owner_part_paid", clang, **fields), "order_part_paid")
    n = order["number"]
    return _t(lang, f"Oda #{n}: umepokea {fields['amount']} (jumla {fields['paid']} kati ya {fields['total']}). "
                    f"Baki {fields['balance']}. Mteja ameambiwa. Akimaliza kulipa, tuma THIBITISHA {n}.",
              f"Order #{n}: {fields['amount']} received ({fields['paid']} of {fields['total']} so far). "
              f"{fields['balance']} left to pay. The customer was told. Once they pay the rest, send CONFIRM {n}.")


def record_while_changing(conn: psycopg.Connection, order: dict[str, Any], amount: Decimal | None, lang: str) -> str:
    """Money received for an order its customer said yes to and is now changing (a draft again until their next yes):
    `amount`, or else what the total they said yes to leaves, is kept on the order and the customer is told; their
    next yes asks only for what is left. The owner's answer in `lang`."""
    from mtaabot.orders import checkout, store, texts

    n = order["number"]
    before = Decimal(order.get("paid_amount_kes") or 0)
    if amount is None:
        amount = Decimal(order["confirmed_total_kes"] or order["total_kes"]) - before
    if amount <= 0:
        return _t(lang, f"Oda #{n}: {format_price(before)} ilishapokelewa. Mteja anaibadilisha oda; akikubali, "
                        "utaona baki yake.",
                  f"Order #{n}: {format_price(before)} was already received. The customer is changing the order; "
                  "once they say yes, you will see what is left.")
    received = before + amount
    store.keep_received(conn, order, received)
    total = Decimal(order["total_kes"])
    balance = max(Decimal(0), total - received)
    fields = {"number": n, "amount": format_price(amount), "paid": format_price(received),
              "total": format_price(total), "balance": format_price(balance)}
    clang = checkout.customer_language(conn, order)
    checkout.tell_customer(conn, order, texts.say("owner_part_paid", clang, **fields) + "\n"
                           + texts.say("ask_confirm", clang), "order_part_paid")
    return _t(lang, f"Oda #{n}: umepokea {fields['amount']}. Mteja anaibadilisha oda (sasa {fields['total']}, bado "
                    f"hajakubali): akikubali, baki ni {fields['balance']}. Mteja ameambiwa.",
              f"Order #{n}: {fields['amount']} received. The customer is changing the order (now {fields['total']}, "
              f"not yet said yes to): once they do, {fields['balance']} is left. The customer was told.")
