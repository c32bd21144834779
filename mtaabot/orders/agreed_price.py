"""A price the owner agreed in their own words: after "JIBU 9 ok boss 18k for you" and the chat handed back, the
customer's "poa nipe A15 black at 18k" is the order at 18,000. It was read as haggling again ("our prices are as
listed, I've asked the owner"), or ordered at the list price, and the customer saw the shop go back on its word
(customer test s27). Only an amount the owner wrote in this chat counts; the customer's word alone never lowers a
price.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from mtaabot.orders import store
from mtaabot.orders.context import Context, product_rows
from mtaabot.orders.patterns import money_amounts
from mtaabot.retrieval import retrieve

AGREED_DAYS = 3  # an owner's reply this recent still stands


def amounts(text: str) -> set[Decimal]:
    """The sums of money in a text ("18k", "18,000", "1.5k"), 50 or more (no counts, sizes or hours)."""
    return {a for a in money_amounts(text) if a >= 50}


def agreed(ctx: Context, norm: str) -> tuple[dict[str, Any], Decimal] | None:
    """(product, price) when the customer names an amount the owner wrote in this chat lately, below the list price
    of the thing named (or just shown); None otherwise."""
    said = amounts(ctx.written or norm) - {Decimal(n) for n in ctx.name_numbers() if n.isdigit()}
    if not said:
        return None
    row = ctx.conn.execute(
        """SELECT content FROM messages WHERE conversation_id = %s AND business_id = %s AND author = 'owner'
           AND created_at > CURRENT_TIMESTAMP - make_interval(days => %s) ORDER BY created_at DESC LIMIT 1""",
        (ctx.conv["id"], ctx.business["id"], AGREED_DAYS)).fetchone()
    common = said & amounts(row["content"]) if row else set()
    if len(common) != 1:
        return None
    price = common.pop()
    hits = [h for h in retrieve(ctx.conn, ctx.business["id"], norm, limit=3).hits if h.relevant]
    ids = [h.id for h in hits] + [p for p in ctx.last_products[:1] if p not in {h.id for h in hits}]
    # of the things named, the one the price is a cut of ("A15 kwa 17,500 na charger": the A15, not the charger)
    return next(((product, price) for product in product_rows(ctx.conn, ctx.business["id"], ids)
                 if product["price"] / 3 <= price < product["price"]), None)


def keep(ctx: Context, product: dict[str, Any], price: Decimal) -> None:
    """The owner's price for this customer, as ODA n BEI keeps it: every line of the product takes it."""
    store.keep_owner_price(ctx.conn, ctx.business["id"], ctx.conv["id"], product["id"], price)


_SUM = re.compile(r"(?:\b(?:kwa|at|for|ya|@)\s+)?(?:(?:ksh|kes|sh)\.?\s*)?\b\d[\d,.]*\s?k?\b(?:\s*(?:/=|bob|ksh|kes))?",
                  re.IGNORECASE)


def without_price(text: str, price: Decimal) -> str:
    """`text` without the sum that is the agreed `price` ("kwa 3000", "at 18k"), so it is read as no count."""
    return re.sub(r"\s+", " ", _SUM.sub(lambda m: " " if amounts(m.group(0)) == {price} else m.group(0), text)).strip()
