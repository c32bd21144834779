"""The owner says an order was NOT paid: "order 14 has not paid", "order 12 not paid yet", "oda 6 haijalipwa",
"nimekosea, oda 6 hajalipa", "sijapokea pesa ya oda 4".

Found by testing as an owner (s32): "order 14 has not paid" read the word "paid", marked the order paid and told the
customer their payment was confirmed, and nothing could undo it ("undo", "nimekosea, oda 6 haijalipwa" got the help).
Now such words never mark anything paid. An order still waiting stays as it is; one the owner marked paid by mistake
(no M-Pesa receipt, not yet handed over) waits for payment again, its items back in stock, and its customer is told.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import psycopg

from mtaabot.orders.patterns import money_amounts
from mtaabot.owners.alerts import in_lang as _t
from mtaabot.reply_builder import format_price

NOT_PAID = re.compile(
    r"\b(?:has not|hasn'?t|have not|haven'?t|did not|didn'?t|is not|isn'?t|was not|wasn'?t|still not|not)\s+"
    r"(?:yet\s+)?(?:been\s+)?(?:paid|pay)\b|\bunpaid\b|"
    r"\b(?:hajalipa|hakulipa|haijalipwa|haikulipwa|hajanilipa|hajatuma pesa|hajaleta pesa|bado kulipa)\b|"
    r"\b(?:sijapokea|sijapata|hatujapokea|hatujapata|haven'?t received|have not received|didn'?t receive|"
    r"did not receive|not received)\s+(?:\w+\s+)?(?:pesa|malipo|payment|money|doh|chochote|anything)\b", re.I)
_ORDER = re.compile(r"\b(?:oda|order|booking|miadi)\s*(?:no\.?\s*|namba\s*)?#?(\d{1,6})\b|#(\d{1,6})\b", re.I)


# the part received said again: "oda 13 amelipa 200 sio 300", "nimekosea oda 13, alilipa 200 sio 300", "oda 13
# haijalipwa 300, ni 200 tu" (the help, or "nothing changed"; tester s32b)
_PART_CORRECTED = re.compile(
    r"\b(?:oda|order)\s*#?(?P<number>\d{1,6})\b[,.]?\s+(?:(?:mteja\s+)?(?:amelipa|alilipa|ametuma|alituma|paid|has paid)\s+"
    r"(?:ksh\.?\s*|kes\s*)?(?P<right>\d[\d,]*)\s*(?:tu\s*)?,?\s*(?:si|sio|siyo|not|badala ya|instead of)\s+"
    r"(?:ksh\.?\s*|kes\s*)?(?P<wrong>\d[\d,]*)|haijalipwa\s+(?:ksh\.?\s*|kes\s*)?(?P<wrong2>\d[\d,]*)\s*[,.]?\s*"
    r"(?:ni|ila|but|only)\s+(?:ksh\.?\s*|kes\s*)?(?P<right2>\d[\d,]*)(?:\s+tu)?)\b", re.I)


def part_said_again(text: str) -> tuple[str, Decimal] | None:
    """(order number, the amount really received) when the owner corrects a part recorded wrongly; else None."""
    if (m := _PART_CORRECTED.search(text)) is None:
        return None
    return m.group("number"), Decimal((m.group("right") or m.group("right2")).replace(",", ""))


def correct_part(conn: psycopg.Connection, business_id: str, number: str, amount: Decimal, lang: str) -> str:
    """The part received for an order waiting for the rest is `amount`, not what was recorded; the customer is told
    what they have paid and what is left. What the owner is told."""
    from mtaabot.orders import checkout, store, texts

    order = store.get_order(conn, business_id, number, lock=True)
    if order is None:
        return _t(lang, f"Hakuna oda #{number}.", f"There is no order #{number}.")
    n, total = order["number"], Decimal(order["total_kes"])
    if order["status"] not in ("awaiting_payment", "payment_failed") or not 0 < amount < total:
        return _t(lang, f"Oda #{n}: kiasi hicho hakiwezi kuwa sehemu iliyopokelewa (jumla {format_price(total)}). "
                        "Hakuna kilichobadilika.",
                  f"Order #{n}: that amount cannot be the part received (total {format_price(total)}). Nothing "
                  "changed.")
    store.keep_received(conn, order, amount)
    fields = {"number": n, "paid": format_price(amount), "total": format_price(total),
              "balance": format_price(total - amount)}
    checkout.tell_customer(conn, order, texts.say("owner_part_corrected", checkout.customer_language(conn, order),
                                                  **fields), "order_part_paid")
    return _t(lang, f"Oda #{n}: imerekebishwa, umepokea {fields['paid']} kati ya {fields['total']}; baki "
                    f"{fields['balance']}. Mteja ameambiwa.",
              f"Order #{n}: corrected, {fields['paid']} of {fields['total']} received; {fields['balance']} left. "
              "The customer was told.")


def said(text: str) -> tuple[str, Decimal | None] | None:
    """(the number of the order the owner says was not paid, the amount said not received if any), or None when the
    words say no such thing about one order ("oda zipi hazijalipwa?" asks for a list)."""
    if NOT_PAID.search(text) is None or (number := _ORDER.search(text)) is None:
        return None
    amounts = money_amounts(text[number.end():])
    return number.group(1) or number.group(2), (amounts[0] if amounts else None)


def not_paid(conn: psycopg.Connection, business_id: str, number: str, lang: str,
             amount: Decimal | None = None) -> str:
    """Carry out "order `number` has not paid" (inside the caller's transaction); what the owner is told."""
    from mtaabot.orders import store, texts

    order = store.get_order(conn, business_id, number, lock=True)
    if order is None:
        return _t(lang, f"Hakuna oda #{number}.", f"There is no order #{number}.")
    n = order["number"]
    if order["status"] in ("awaiting_payment", "payment_failed") and store.paid_so_far(order) > 0 \
            and amount != store.paid_so_far(order):
        # "oda 20 haijalipwa" with a part recorded may mean the rest: the part stays unless its amount is said
        part, left = store.paid_so_far(order), format_price(store.balance_due(order))
        return _t(lang, f"Sawa: oda #{n} bado inasubiri {left} ({format_price(part)} imerekodiwa). Kama hiyo "
                        f"{format_price(part)} haikupokelewa, tuma: oda {n} haijalipwa {part.normalize():f}. Hakuna "
                        "kilichobadilika.",
                  f"Right: order #{n} still waits for {left} ({format_price(part)} recorded). If that "
                  f"{format_price(part)} never came, send: order {n} has not paid {part.normalize():f}. Nothing "
                  "changed.")
    if order["status"] in ("awaiting_payment", "payment_failed") and store.paid_so_far(order) > 0:
        # a part recorded by mistake ("THIBITISHA 20 100" of money never received): taken off, the customer told
        part = format_price(store.paid_so_far(order))
        store.keep_received(conn, order, None)
        total = _tell_not_paid(conn, store.get_order(conn, business_id, order["id"]))
        return _t(lang, f"Oda #{n}: {part} iliyorekodiwa imeondolewa; inasubiri malipo ya {total}. Mteja ameambiwa. "
                        f"Ukipokea sehemu, tuma THIBITISHA {n} <kiasi>.",
                  f"Order #{n}: the {part} recorded is taken off; it waits for {total}. The customer was told. If you "
                  f"receive part of it, send CONFIRM {n} <amount>.")
    if order["status"] in ("draft", "awaiting_payment", "payment_failed"):
        left = format_price(store.balance_due(order))
        return _t(lang, f"Sawa: oda #{n} bado inasubiri malipo ({left}). Hakuna kilichobadilika.",
                  f"Right: order #{n} is still waiting for payment ({left}). Nothing changed.")
    if order["status"] == "paid" and order["mpesa_receipt_number"]:
        return _t(lang, f"Oda #{n} ililipwa kwa M-Pesa ({order['mpesa_receipt_number']}), Safaricom ilithibitisha. "
                        "Angalia ujumbe wa M-Pesa wa till yako. Hakuna kilichobadilika.",
                  f"Order #{n} was paid on M-Pesa ({order['mpesa_receipt_number']}), confirmed by Safaricom. Check "
                  "your till's M-Pesa messages. Nothing changed.")
    if order["status"] != "paid":
        state = texts.state_in(order["status"], lang)
        return _t(lang, f"Oda #{n} ni {state}: haibadiliki tena. Hakuna kilichobadilika.",
                  f"Order #{n} is {state}: it can no longer change. Nothing changed.")
    total = _tell_not_paid(conn, store.unmark_paid(conn, order))
    return _t(lang, f"Oda #{n} imerudishwa: inasubiri malipo ya {total}. Mteja ameambiwa. (Kama ulipokea sehemu, "
                    f"tuma THIBITISHA {n} <kiasi>.)",
              f"Order #{n} is back to waiting for payment of {total}. The customer was told. (If you received part "
              f"of it, send CONFIRM {n} <amount>.)")


def _tell_not_paid(conn: psycopg.Connection, order: dict[str, Any]) -> str:
    """Tell the customer their payment for `order` has not reached the owner and what to pay; that amount."""
    from mtaabot.orders import checkout, store, texts

    total = format_price(store.amount_due(order["total_kes"]))
    checkout.tell_customer(conn, order, texts.say("owner_not_paid", checkout.customer_language(conn, order),
                                                  number=order["number"], total=total), "order_not_paid")
    return total
