"""BEI: an owner's price change, now or from a later day ("BEI unga 210", "BEI unga 210 kuanzia kesho"), a
price far from today's checked first, and "BEI unga" alone answered with today's price and any to come."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from mtaabot.owners.alerts import in_lang as _t
from mtaabot.owners.products_named import one_product, products_named
from mtaabot.reply_builder import format_price

NAIROBI = ZoneInfo("Africa/Nairobi")


# "... kuanzia kesho", "... from Monday", "... kesho": the price starts on a later day (the rest of the message is
# the product and the amount); "... sasa" / "... now": at once
PRICE_STARTS = re.compile(r"\s+(?:(?:kuanzia|from|starting(?: from| on)?|effective(?: from)?|kutoka|wef)\s+(?P<when>.+)|"
                          r"(?P<bare>keshokutwa|kesho kutwa|kesho|tomorrow)|(?P<now>sasa|now|leo|today))\s*$", re.I)
_LATEST_START_DAYS = 366
FAR_OFF = Decimal(3)  # a new price under a third or over three times today's is checked with the owner first
SURE = re.compile(r"\s+(?:sawa|hakika|kweli|ndio|yes|sure|confirm)\s*[.!]*$", re.I)


def price(conn: psycopg.Connection, bid: str, rest: str, lang: str) -> str:
    """BEI unga 210 (now), BEI unga 210 kuanzia kesho (kept for that day), BEI unga (today's price, and any to come)."""
    from mtaabot import price_changes
    from mtaabot.orders.when import parse_when

    starts: date | None = None
    if (said := PRICE_STARTS.search(rest)) is not None:
        rest = rest[:said.start()]
        if not said.group("now"):
            now = datetime.now(NAIROBI)
            when = parse_when(said.group("when") or said.group("bare"), now=now)
            if when.at is not None and when.day in (None, now.date()):
                # "kuanzia saa kumi leo": a price is planned by the day, not the hour (it changed at once)
                return _t(lang, "Bei mpya inapangwa kwa siku, si saa: tuma BEI wakati huo ukifika. Hakuna "
                                "kilichobadilika.", "A new price is planned by the day, not the hour: send PRICE when "
                                "that time comes. Nothing changed.")
            starts = when.day
            if starts is None or starts > now.date() + timedelta(days=_LATEST_START_DAYS):
                return _t(lang, "Sikuelewa siku bei mpya itaanza. Mfano: BEI unga 210 kuanzia kesho. Hakuna "
                                "kilichobadilika.", "I could not tell which day the new price starts. Example: "
                                "PRICE sugar 210 from tomorrow. Nothing changed.")
            if starts <= now.date():
                starts = None  # "kuanzia leo": now
    sure = bool(SURE.search(rest))  # "BEI superstar 200 sawa": the owner means a price far from today's
    rest = SURE.sub("", rest)
    m = re.match(r"(.+?)\s+([+-])?\s*(?:ksh|kes|sh)?\s*([\d,]+(?:\.\d+)?)\s*(?:/=|bob)?\s*$", rest, re.I)
    if not m:
        if rest.strip() and not re.search(r"\d", rest) and starts is None:  # "BEI unga": what it costs
            asked = _prices_asked(conn, bid, rest)
            if asked:  # "BEI mafuta": each one's price (it was the example alone; owner test s27)
                return "\n".join(price_now(conn, bid, product, lang) for product in asked)
        return _t(lang, "Mfano: BEI unga 210 (au BEI unga 210 kuanzia kesho)",
                  "Example: PRICE sugar 210 (or PRICE sugar 210 from tomorrow)")
    try:
        price = Decimal(m.group(3).replace(",", ""))
    except InvalidOperation:
        price = Decimal(0)
    product, problem = one_product(conn, bid, m.group(1), lang)
    if m.group(2) and not problem:  # "bei ya superstar imepanda na 200": up by 200 (it became KES 200)
        price = product["price"] + (price if m.group(2) == "+" else -price)
    if price <= 0 or price > Decimal("10000000"):
        return _t(lang, "Bei lazima iwe zaidi ya sifuri.", "The price must be more than zero.")
    if problem:
        return problem
    if not sure and not product["price"] / FAR_OFF <= price <= product["price"] * FAR_OFF:
        # a typo or a misread sentence costs money at once (3,200 -> 200 was quoted to the next customer)
        retry = f"BEI {m.group(1).strip()} {price:.0f}" + (f" {said.group(0).strip()}" if said and starts else "")
        return _t(lang, f"{format_price(price)} ni mbali sana na bei ya sasa ya {product['name']} "
                        f"({format_price(product['price'])}). Kama ni sahihi, tuma: {retry} sawa. Hakuna "
                        "kilichobadilika.",
                  f"{format_price(price)} is far from {product['name']}'s price now ({format_price(product['price'])})."
                  f" If that is right, send: {retry} sure. Nothing changed.")
    if starts is not None:  # customers keep today's price until that day (it was changed at once)
        price_changes.schedule(conn, bid, product["id"], price, starts)
        day = day_name(starts, lang)
        return _t(lang, f"Sawa: {product['name']} itakuwa {format_price(price)} kuanzia {day}. Mpaka hapo wateja "
                        f"wanapewa bei ya sasa, {format_price(product['price'])}.",
                  f"Done: {product['name']} will cost {format_price(price)} from {day}. Until then customers get "
                  f"today's price, {format_price(product['price'])}.")
    conn.execute("UPDATE products SET price = %s WHERE id = %s", (price, product["id"]))
    later = price_changes.pending(conn, bid, product["id"])
    still = "".join(_t(lang, f" Kumbuka: kuanzia {day_name(c['starts_on'], lang)} itakuwa {format_price(c['price'])}"
                             " (uliyopanga).",
                       f" Note: from {day_name(c['starts_on'], lang)} it becomes {format_price(c['price'])} (as you "
                       "set).") for c in later)
    return _t(lang, f"Bei ya {product['name']} sasa ni {format_price(price)}.",
              f"{product['name']} now costs {format_price(price)}.") + still


def _prices_asked(conn: psycopg.Connection, bid: str, named: str) -> list[dict[str, Any]]:
    """The products an owner's "BEI mafuta" asks the price of: those the words name, else (Swahili for an English
    name, "mafuta" for the cooking oil) those the customers' search finds; at most five."""
    from mtaabot.orders.context import product_rows
    from mtaabot.retrieval import retrieve

    found = products_named(conn, bid, named)
    if not found:
        hits = [h for h in retrieve(conn, bid, named, limit=5).hits if h.relevant]
        found = product_rows(conn, bid, [h.id for h in hits])
    return found[:5]


def price_now(conn: psycopg.Connection, bid: str, product: dict[str, Any], lang: str) -> str:
    from mtaabot import price_changes

    later = "".join(_t(lang, f"; {format_price(c['price'])} kuanzia {day_name(c['starts_on'], lang)}",
                       f"; {format_price(c['price'])} from {day_name(c['starts_on'], lang)}")
                    for c in price_changes.pending(conn, bid, product["id"]))
    return _t(lang, f"{product['name']}: {format_price(product['price'])} sasa{later}.",
              f"{product['name']}: {format_price(product['price'])} now{later}.")


_SWAHILI_DAYS = ("Jumatatu", "Jumanne", "Jumatano", "Alhamisi", "Ijumaa", "Jumamosi", "Jumapili")
_SWAHILI_MONTHS = ("Jan", "Feb", "Mac", "Apr", "Mei", "Jun", "Jul", "Ago", "Sep", "Okt", "Nov", "Des")


def day_name(day: date, lang: str) -> str:
    """"kesho (Jumanne 8 Des)", "tomorrow (Tue 8 Dec)", or the weekday and date further on."""
    tomorrow = datetime.now(NAIROBI).date() + timedelta(days=1)
    if lang == "SWA":
        name = f"{_SWAHILI_DAYS[day.weekday()]} {day.day} {_SWAHILI_MONTHS[day.month - 1]}"
        return f"kesho ({name})" if day == tomorrow else name
    name = f"{day.strftime('%a')} {day.day} {day.strftime('%b')}"
    return f"tomorrow ({name})" if day == tomorrow else name
