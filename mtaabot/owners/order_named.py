"""The unpaid order an owner means by what is in it, for money received without an order number: "Nimepokea 1800 ya
yule wa sandals", "got 1500 from the AF1 customer". One waiting order holding that product is the one; several or
none are said back with their numbers, and nothing is recorded."""

from __future__ import annotations

import re
from datetime import date

import psycopg

from mtaabot.orders.when import NAIROBI, parse_when
from mtaabot.owners.alerts import in_lang as _t
from mtaabot.owners.products_named import products_named
from mtaabot.phones import normalize_whatsapp_number

# an amount in digits or words ("1800", "2k", "elfu moja", "mia tano"); the caller reads words as a number
_AMOUNT = r"(?:(?:ksh|kes|sh)\.?\s*)?(?P<amount>\d[\d,]*(?:\.\d+)?k?|(?:elfu|mia)(?:\s+\w+){0,4}?)"
# a customer's phone number said instead ("0722999003 amelipa 500"; owner test s30)
_A_PHONE = r"(?:\+?254|0)[17]\d{8}"

# money received, the order named by its product or its customer's product (the amount is kept for the command)
PAID_BY_WHAT = re.compile(
    r"^(?P<word>nimepokea|nimepata|tumepokea|received|i received|i got|got)\s+(?:pesa|malipo|payment|money|doh|deposit)?"
    r"\s*(?:(?:ya|of)\s+)?" + _AMOUNT + r"\s+(?:ya|kwa|kutoka kwa|kutoka|from|for)\s+"
    r"(?:yule wa|yule mteja wa|mteja wa|mtu wa|wa|the one (?:with|for|who ordered)|the customer (?:of|with|who ordered)|"
    r"(?:booking|miadi|oda|order) (?:ya|of|for)|(?=" + _A_PHONE + r"\b)|"
    r"the (?=\S+(?:\s+\S+){0,3}\s+(?:customer|guy|lady|order)\b))(?P<what>.+?)(?:\s+(?:customer|guy|lady|order))?"
    r"\s*[.!]?$", re.I)


# the thing paid for named straight after the amount: "nimepokea 195 ya maziwa", "nimepokea 3000 ya superstar" (the
# help; owner test s31). Read as money only when one unpaid order holds it (else it may be stock: the caller goes on)
PAID_FOR_THING = re.compile(
    r"^(?P<word>nimepokea|nimepata|tumepokea|tumepata)\s+(?:pesa\s+|malipo\s+)?(?:ya\s+)?" + _AMOUNT
    + r"\s+(?:ya|za|kwa)\s+(?:(?:oda|order|booking|miadi)\s+ya\s+)?(?P<what>[^\d]+?)\s*[.!]?$", re.I)


# the amount first: "170 ya yule wa kahawa west imeingia" (taken for a product; customer test s30)
CAME_BY_WHAT = re.compile(
    r"^" + _AMOUNT + r"\s+(?:ya|za|kutoka kwa|from)\s+"
    r"(?:yule wa|yule mteja wa|mteja wa|mtu wa|the one (?:with|for|in|at)|the customer (?:of|with|in|at))\s+"
    r"(?P<what>.+?)\s+(?P<word>imeingia|imefika|imekuja|nimeipata|nimepata|nimepokea|came in|has come|arrived|is in)"
    r"\s*[.!]?$", re.I)


# the customer first: "huyo wa samsung A15 ametuma 9250, nusu ya bei", "mteja wa mayai amelipa 1000" (the help; s30b)
SENT_BY_WHAT = re.compile(
    r"^(?:(?:(?:huyo|yule|mteja|yule mteja|jamaa|msee|mama|dada)\s+)?wa\s+|(?:mteja\s+)?(?=" + _A_PHONE + r"\s))"
    r"(?P<what>.+?)\s+(?P<word>ametuma|amelipa|ameleta|ameshatuma|amenitumia|ameshalipa)\s+(?:(?:deposit|pesa)\s+)?"
    r"(?:ya\s+)?" + _AMOUNT + r"(?:\b[,.]?\s+.*)?$", re.I)


def _same_day(booked: date, said: date) -> bool:
    """The booking's day is the day said, or that weekday a week either side ("jumamosi" said on a Saturday)."""
    return abs((booked - said).days) in (0, 7)


def waiting_order_of(conn: psycopg.Connection, business_id: str, what: str, lang: str) -> tuple[int | None, str]:
    """The number of the one unpaid order holding a product `what` names, or None and what to tell the owner."""
    phone = normalize_whatsapp_number(what) if re.fullmatch(_A_PHONE, what.strip()) else None
    named = [] if phone else [p["id"] for p in products_named(conn, business_id, what)]
    # of a product the order holds, of the place it goes ("yule wa kahawa west"), or of the customer's phone
    rows = conn.execute(
        """SELECT o.number, o.total_kes, o.booking_at, string_agg(i.name, ', ' ORDER BY i.name) AS names
           FROM orders o JOIN order_items i ON i.order_id = o.id JOIN conversations c ON c.id = o.conversation_id
           WHERE o.business_id = %s AND o.status = 'awaiting_payment'
             AND (EXISTS (SELECT 1 FROM order_items x WHERE x.order_id = o.id AND x.product_id = ANY(%s))
                  OR (%s::text IS NULL AND o.delivery_location ILIKE '%%' || %s || '%%') OR c.customer_phone = %s)
           GROUP BY o.id ORDER BY o.number""", (business_id, named, phone, what.strip(), phone)).fetchall()
    if len(rows) > 1 and (day := parse_when(what).day) is not None:
        # "huyo wa box braids jumamosi": of two box braids bookings, Saturday's (owner test s30)
        rows = [r for r in rows if r["booking_at"] is not None and _same_day(r["booking_at"].astimezone(NAIROBI).date(),
                                                                          day)] or rows
    if len(rows) == 1:
        return rows[0]["number"], ""
    if not rows:
        return None, _t(lang, f"Hakuna oda inayosubiri malipo yenye \u201c{what}\u201d. Hakuna kilichorekodiwa. "
                              "Mfano: THIBITISHA 5 1800.",
                        f"No order waiting for payment has \u201c{what}\u201d. Nothing was recorded. "
                        "Example: CONFIRM 5 1800.")
    listed = "; ".join(f"#{r['number']} {r['names']} (KES {r['total_kes']:,.0f})" for r in rows)
    return None, _t(lang, f"Oda ipi? {listed}. Tuma THIBITISHA <namba> <kiasi>; hakuna kilichorekodiwa.",
                    f"Which order? {listed}. Send CONFIRM <number> <amount>; nothing was recorded.")


# "mwambie huyo wa mayai iko tayari", "tell the AF1 customer ...": the customer named by what they ordered
THE_ONE_OF = re.compile(r"^(?:(?:huyo|yule|mteja)(?:\s+mteja)?\s+)?wa\s+(?P<rest>.+)$|^the\s+(?P<rest2>.+)$",
                        re.I | re.S)  # also "mwambie wa power bank kwamba ..." (s31b)


def order_told_of(conn: psycopg.Connection, business_id: str, words: str) -> tuple[int, str] | None:
    """(order number, the message) for "<product or place> <message>": the fewest first words (up to four) that name
    exactly one open order (its product or where it goes), with the words after them that are still part of that
    order's names ("samsung A15 simu iko tayari"); None when no such order."""
    said = words.split()
    for k in range(1, min(4, len(said) - 1) + 1):
        rows = _open_orders_named(conn, business_id, " ".join(said[:k]))
        if len(rows) == 1:
            names = set(re.findall(r"\w+", rows[0]["names"].lower()))
            while k < len(said) - 1 and set(re.findall(r"\w+", said[k].lower())) <= names:
                k += 1
            message = " ".join(said[k:])
            return rows[0]["number"], re.sub(r"^(?:customer\s+)?(?:kwamba|that)?\s*[:,]?\s*", "", message, flags=re.I)
    return None


def _open_orders_named(conn: psycopg.Connection, business_id: str, what: str) -> list[dict]:
    what = what.rstrip(",:")
    named = [p["id"] for p in products_named(conn, business_id, what)]
    return conn.execute(
        """SELECT o.number, string_agg(i.name || ' ' || coalesce(o.delivery_location, ''), ' ') AS names
           FROM orders o JOIN order_items i ON i.order_id = o.id
           WHERE o.business_id = %s AND o.status IN ('draft', 'awaiting_payment', 'payment_failed', 'paid')
             AND o.updated_at > CURRENT_TIMESTAMP - interval '3 days'
             AND (EXISTS (SELECT 1 FROM order_items x WHERE x.order_id = o.id AND x.product_id = ANY(%s))
                  OR o.delivery_location ILIKE '%%' || %s || '%%')
           GROUP BY o.id""", (business_id, named, what)).fetchall()
