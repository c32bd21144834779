"""ODA 25 DELIVERY 200: the owner puts the delivery cost on one customer's order.

Before, the bot told a customer who asked for delivery that the owner would confirm the cost, and the owner could
only say it by JIBU: the order's total and the M-Pesa prompt stayed at the goods alone, so the rider's fare was
collected apart, or not at all. Now the cost is part of the order (orders.delivery_fee_kes, counted while the order
is a delivery): the customer sees it in the summary and pays goods and delivery in one payment.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import psycopg

from mtaabot.orders.texts import state_in
from mtaabot.owners.alerts import in_lang as _t
from mtaabot.owners.order_total import tell_new_total
from mtaabot.owners.prices import SURE
from mtaabot.reply_builder import format_price

_DELIVERY = r"(?:delivery|deliver|usafiri|kuleta|kuletea|kumletea|uletaji|rider|transport|fare|nauli|shipping)"
_FREE = r"(?:bure|free|0)"
_AMOUNT = r"(?:ksh\.?|kes|sh\.?)?\s*(?P<amount>\d[\d,]*(?:\.\d+)?)\s*(?P<k>k|thao)?\s*(?:/=|bob|ksh|kes)?"
_FILLER = r"(?:\s+(?:fee|cost|charges?|gharama|ya|ni|is|=|:|-))*"
# "25 DELIVERY 200", "#25 usafiri ni 150", "25 delivery fee 300", "25 delivery bure", "25 delivery free"
ORDER_DELIVERY = re.compile(rf"^#?(?P<number>\d{{1,9}})\s+{_DELIVERY}{_FILLER}\s*(?:(?P<free>{_FREE}\b)|{_AMOUNT})"
                            r"(?P<rest>\s+.*)?\s*[.!]*$", re.I)
# "delivery ya oda 25 ni 200", "delivery fee for order 25 is 300", "usafiri wa oda 25 ni bure"
DELIVERY_FOR_ORDER = re.compile(rf"^{_DELIVERY}(?:\s+(?:fee|cost|charges?|gharama))?\s+(?:ya|wa|of|for)?\s*"
                                r"(?:oda|order)\s*#?(?P<number>\d{1,9})\s+(?P<rest>.+)$", re.I)

# "delivery ya Rongai ni 250", "delivery to Kahawa West is 200": the cost to a place, for the orders going there
DELIVERY_TO_PLACE = re.compile(rf"^{_DELIVERY}(?:\s+(?:fee|cost|charges?|gharama))?\s+(?:ya|wa|to|kwa|for|hadi|mpaka)\s+"
                               rf"(?!(?:oda|order)\b)(?P<place>[^\d,:]+?)\s*(?:ni|is|=|:|-)?\s*(?:(?P<free>{_FREE}\b)|"
                               rf"{_AMOUNT})\s*[.!]*$", re.I)

# the place first: "Githurai delivery 250", "kwa Rongai delivery ni 300" (the whole help; owner test s30)
PLACE_THEN_DELIVERY = re.compile(rf"^(?:(?:kwa|to|ya)\s+)?(?!(?:oda|order|the|bei|price|gharama|cost)\b)"
                                 rf"(?P<place>[a-z][^\d,:]{{1,40}}?)\s+{_DELIVERY}(?:\s+(?:fee|cost|charges?|gharama))?"
                                 rf"\s*(?:ni|is|=|:|-)?\s*(?:(?P<free>{_FREE}\b)|{_AMOUNT})\s*[.!]*$", re.I)

# "delivery ya Rongai ni 300 kwa order 2": the cost, for that order (the whole help; s30)
PLACE_FOR_ORDER = re.compile(rf"^{_DELIVERY}(?:\s+(?:fee|cost|charges?|gharama))?\s+(?:ya|to|kwa|wa|hadi|mpaka)\s+"
                             rf"(?!(?:oda|order)\b)[^\d,:]+?\s*(?:ni|is|=|:|-)?\s*(?P<cost>(?:{_FREE}\b)|"
                             r"(?:ksh\.?|kes|sh\.?)?\s*\d[\d,]*(?:\.\d+)?\s*(?:k|thao)?)\s*,?\s*(?:kwa|for|ya|of)\s+"
                             r"(?:oda|order)\s*#?(?P<number>\d{1,9})\s*[.!]*$", re.I)

REPRICED = ("draft", "awaiting_payment", "payment_failed")
HIGH = Decimal(1000)  # a cost over the goods' total and at least this is checked first: 2000 typed for 200


def as_order_command(text: str) -> str | None:
    """"delivery ya oda 25 ni 200" said as the command it is: "ODA 25 DELIVERY 200"."""
    if (placed := PLACE_FOR_ORDER.match(text.strip())) is not None:
        return f"ODA {placed.group('number')} DELIVERY {placed.group('cost').strip()}"
    said = DELIVERY_FOR_ORDER.match(text.strip())
    return f"ODA {said.group('number')} DELIVERY {said.group('rest')}" if said else None


def _amount(match: re.Match[str]) -> Decimal | None:
    if match.group("free"):
        return Decimal(0)
    try:
        amount = Decimal(match.group("amount").replace(",", ""))
    except InvalidOperation:
        return None
    return amount * 1000 if match.group("k") else amount


def set_fee(conn: psycopg.Connection, business_id: str, said: re.Match[str], lang: str) -> str:
    """Carry out ODA <number> DELIVERY <cost> and say what happened (inside the caller's transaction)."""
    from mtaabot.orders import store, texts
    from mtaabot.orders.summary import fee_text

    order = store.get_order(conn, business_id, said.group("number"), lock=True)
    if order is None:
        return _t(lang, f"Hakuna oda #{said.group('number')}.", f"There is no order #{said.group('number')}.")
    n = order["number"]
    if order["kind"] == "booking":
        return _t(lang, f"Oda #{n} ni booking: haina delivery. Hakuna kilichobadilika.",
                  f"Order #{n} is a booking: it has no delivery. Nothing changed.")
    if order["status"] not in REPRICED:
        return _t(lang, f"Oda #{n} ni {state_in(order['status'], lang)}: gharama yake haibadiliki tena. Mwambie mteja kwa JIBU ODA {n}. "
                        "Hakuna kilichobadilika.",
                  f"Order #{n} is {state_in(order['status'], lang)}: its total can no longer change. Tell the customer with REPLY "
                  f"ORDER {n}. Nothing changed.")
    fee = _amount(said)
    if fee is None:
        return _t(lang, f"Mfano: ODA {n} DELIVERY 200 (au ODA {n} DELIVERY BURE). Hakuna kilichobadilika.",
                  f"Example: ORDER {n} DELIVERY 200 (or ORDER {n} DELIVERY FREE). Nothing changed.")
    if fee == 0 and order["fulfilment"] == "pickup":
        # "order 2 delivery ni 0" of an order the customer collects: no cost to take off (the customer was told the
        # shop would bring it free and asked where; owner test s31)
        return _t(lang, f"Oda #{n} mteja anaichukua dukani: haina gharama ya kuleta. Hakuna kilichobadilika.",
                  f"Order #{n} is collected at the shop: it has no delivery cost. Nothing changed.")
    goods = order["total_kes"] - (order["delivery_fee_kes"] or 0 if order["fulfilment"] == "delivery" else 0)
    if fee >= HIGH and fee > goods and not SURE.search(said.group("rest") or ""):
        return _t(lang, f"Delivery {format_price(fee)} ni zaidi ya bidhaa za oda #{n} ({format_price(goods)}). Kama ni "
                        f"sahihi, tuma: ODA {n} DELIVERY {fee:.0f} sawa. Hakuna kilichobadilika.",
                  f"Delivery at {format_price(fee)} is more than order #{n}'s goods ({format_price(goods)}). If that is "
                  f"right, send: ORDER {n} DELIVERY {fee:.0f} sure. Nothing changed.")
    order = store.set_fields(conn, order, fulfilment="delivery", delivery_fee_kes=fee)
    place = order["delivery_location"]
    order, prompt = tell_new_total(
        conn, business_id, order,
        lambda clang: texts.say("owner_delivery_free", clang) if fee == 0
        else texts.say("owner_delivery_fee", clang, fee=format_price(fee)), lang)
    where = _t(lang, f" kwenda {place}", f" to {place}") if place else \
        _t(lang, " (mteja ataulizwa mahali)", " (the customer will be asked where)")
    return _t(lang, f"Oda #{n}: delivery{where} {fee_text(fee, 'SWA')}; jumla {format_price(order['total_kes'])}. "
                    f"Mteja ameambiwa na bot inaendelea na oda.{prompt}",
              f"Order #{n}: delivery{where} {fee_text(fee, 'ENG')}; total {format_price(order['total_kes'])}. The "
              f"customer is told and the bot carries on with the order.{prompt}")


def orders_to(conn: psycopg.Connection, business_id: str, place: str) -> list[int]:
    """The numbers of the orders still to be paid whose delivery place names `place` ("Rongai" in "Rongai, stage")."""
    rows = conn.execute(
        """SELECT number FROM orders WHERE business_id = %s AND kind = 'order' AND status = ANY(%s)
             AND fulfilment = 'delivery' AND delivery_location ILIKE '%%' || %s || '%%' ORDER BY number""",
        (business_id, list(REPRICED), place.strip())).fetchall()
    return [r["number"] for r in rows]
