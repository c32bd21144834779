"""The owner says an order was NOT paid: "order 14 has not paid", "order 12 not paid yet", "oda 6 haijalipwa",
"nimekosea, oda 6 hajalipa", "sijapokea pesa ya oda 4".

Found by testing as an owner (s32): "order 14 has not paid" read the word "paid", marked the order paid and told the
customer their payment was confirmed, and nothing could undo it ("undo", "nimekosea, oda 6 haijalipwa" got the help).
Now such words never mark anything paid. An order still waiting stays as it is; one the owner marked paid by mistake
(no M-Pesa receipt, not yet handed over) waits for payment again, its items back in stock, and its customer is told.
"""

from __future__ import annotations

import re

import psycopg

from mtaabot.owners.alerts import in_lang as _t
from mtaabot.reply_builder import format_price

NOT_PAID = re.compile(
    r"\b(?:has not|hasn'?t|have not|haven'?t|did not|didn'?t|is not|isn'?t|was not|wasn'?t|still not|not)\s+"
    r"(?:yet\s+)?(?:been\s+)?(?:paid|pay)\b|\bunpaid\b|"
    r"\b(?:hajalipa|hakulipa|haijalipwa|haikulipwa|hajanilipa|hajatuma pesa|hajaleta pesa|bado kulipa)\b|"
    r"\b(?:sijapokea|sijapata|hatujapokea|hatujapata|haven'?t received|have not received|didn'?t receive|"
    r"did not receive|not received)\s+(?:\w+\s+)?(?:pesa|malipo|payment|money|doh|chochote|anything)\b", re.I)
_ORDER = re.compile(r"\b(?:oda|order|booking|miadi)\s*(?:no\.?\s*|namba\s*)?#?(\d{1,6})\b|#(\d{1,6})\b", re.I)


def said(text: str) -> str | None:
    """The number of the order the owner says was not paid, or None when the words say no such thing about one
    order ("oda zipi hazijalipwa?" asks for a list)."""
    if NOT_PAID.search(text) is None or (number := _ORDER.search(text)) is None:
        return None
    return number.group(1) or number.group(2)


def not_paid(conn: psycopg.Connection, business_id: str, number: str, lang: str) -> str:
    """Carry out "order `number` has not paid" (inside the caller's transaction); what the owner is told."""
    from mtaabot.orders import checkout, store, texts

    order = store.get_order(conn, business_id, number, lock=True)
    if order is None:
        return _t(lang, f"Hakuna oda #{number}.", f"There is no order #{number}.")
    n = order["number"]
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
        state = texts.STATE.get(order["status"], {}).get(lang, order["status"])
        return _t(lang, f"Oda #{n} ni {state}: haibadiliki tena. Hakuna kilichobadilika.",
                  f"Order #{n} is {state}: it can no longer change. Nothing changed.")
    order = store.unmark_paid(conn, order)
    total = format_price(store.amount_due(order["total_kes"]))
    checkout.tell_customer(conn, order, texts.say("owner_not_paid", checkout.customer_language(conn, order),
                                                  number=n, total=total), "order_not_paid")
    return _t(lang, f"Oda #{n} imerudishwa: inasubiri malipo ya {total}. Mteja ameambiwa. (Kama ulipokea sehemu, "
                    f"tuma THIBITISHA {n} <kiasi>.)",
              f"Order #{n} is back to waiting for payment of {total}. The customer was told. (If you received part "
              f"of it, send CONFIRM {n} <amount>.)")
