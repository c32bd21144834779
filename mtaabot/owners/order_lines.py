"""The owner takes a line out of a customer's order, or changes how many: "ODA 2 TOA unga", "ondoa unga kwa order 2",
"remove the flour from order 2", "order 2 sukari iwe moja", "change the sugar in order 2 to 1".

Found by testing as an owner (s30): a customer ordered flour the shop had run out of, and the owner could only cancel
the whole order ("ondoa unga kwa order 2" got the help list; "order 2 toa unga, imeisha" looked for a product called
"order 2 toa unga"). Now the line goes, the total follows, and the customer hears the new order and total (a new
M-Pesa prompt for an order already confirmed, as for an agreed price: `order_total.tell_new_total`). A reason meant
for the customer ("imeisha", "samahani ...") is told to them. The last line is never removed (that is GHAIRI), and an
order is never cut below what the customer has already paid (that money would need a refund first).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import psycopg

from mtaabot.orders.quantities import find_quantities
from mtaabot.orders.texts import state_in
from mtaabot.owners.alerts import in_lang as _t
from mtaabot.owners.order_price import REPRICED, lines_named
from mtaabot.owners.order_total import TOLD_WHY, tell_new_total
from mtaabot.reply_builder import format_price

_ORDER = r"(?:oda|order)\s*(?:no\.?\s*|namba\s*)?#?(?P<number>\d{1,6})"
_OUT = r"(?:ondoa|toa|remove|futa|take out|take off)"
_IN = r"(?:kwa|kwenye|kutoka|katika|ndani ya|from|in|on|off)"
# the order's price or delivery cost, which ODA n BEI / DELIVERY change ("order 2 bei iwe 170" is no 170 of anything)
_NOT_A_THING = r"(?!(?:bei|price|delivery|jumla|total|gharama|punguza|punguzo|discount|pesa|malipo)\b)"
_COUNT = r"(?P<count>\d{1,4}|[a-z]+(?: na [a-z]+)?)"
# "ondoa unga kwa order 2", "remove the flour from order 2[, imeisha]"
REMOVE_FROM = re.compile(r"^(?:(?:sawa|ok|okay|poa|basi)\W+)?" + _OUT + r"\s+(?!(?:oda|order)\b)" + _NOT_A_THING + r"(?P<what>.+?)\s+" + _IN
                         + r"\s+(?:the\s+)?" + _ORDER + r"\b[,.;:!]?\s*(?P<why>.*)$", re.I | re.S)
# "mteja wa order 1 hataki cleaning kit, itoe" (the whole help; owner test s31b)
DOES_NOT_WANT = re.compile(r"^(?:mteja\s+wa\s+|the customer of\s+)?" + _ORDER + r"\s+(?:hataki|hataki tena|hahitaji|"
                           r"doesn'?t want|does not want|no longer wants)\s+" + _NOT_A_THING
                           + r"(?P<what>[^,.;!]+?)\s*(?:[,.;]\s*(?:itoe|iondoe|ondoa|toa|remove it|take it out)\s*"
                           r"(?:tafadhali|please)?)?\s*[.!]?(?P<why>)$", re.I)
# "ODA 2 TOA unga", "order 2 remove flour, imeisha"
ORDER_REMOVE = re.compile(r"^" + _ORDER + r"[,:]?\s+" + _OUT + r"\s+" + _NOT_A_THING + r"(?P<what>[^,.;!]+?)\s*(?:[,.;!]\s*(?P<why>.*))?$",
                          re.I | re.S)
# "order 2 sukari iwe moja", "ODA 2 sukari ziwe 1", "order 2 change sugar to 1"
# ("ODA 1 AF1 iwe 3 na ongeza superstar size 41 moja": a second change after "na", with no comma; tester s32b)
ORDER_COUNT = re.compile(r"^" + _ORDER + r"[,:]?\s+(?:badilisha\s+|change\s+(?:the\s+)?)?" + _NOT_A_THING + r"(?P<what>[^,.;!]+?)\s+"
                         r"(?:iwe|ziwe|to|ibaki|zibaki)\s+" + _COUNT
                         + r"\s*(?:(?:[,.;!]\s*|\s(?=(?:na|and)\s+(?:ongeza|toa|ondoa|add|remove)\b))(?P<why>.*))?$",
                         re.I | re.S)
# "badilisha sukari ziwe 1 kwa order 2"
COUNT_IN_ORDER = re.compile(r"^(?:badilisha|change)\s+(?:the\s+)?" + _NOT_A_THING + r"(?P<what>.+?)\s+(?:iwe|ziwe|to)\s+" + _COUNT + r"\s+"
                            + _IN + r"\s+(?:the\s+)?" + _ORDER + r"\s*[.!]?$", re.I)
# "change the sugar in order 2 to 1"
IN_ORDER_COUNT = re.compile(r"^(?:badilisha|change)\s+(?:the\s+)?" + _NOT_A_THING + r"(?P<what>.+?)\s+" + _IN + r"\s+(?:the\s+)?" + _ORDER
                            + r"\s+(?:iwe|ziwe|to)\s+" + _COUNT + r"\s*[.!]?$", re.I)


_WHICH = r"(?P<kind>oda|order|miadi|booking)\s*(?:no\.?\s*|namba\s*)?#?(?P<number>\d{1,6})"
_ADD = r"(?:ongeza|add|weka|put)"
# "ongeza unga 2 kwa oda 3", "add 2 flour to order 3", "ongeza pedicure kwa miadi 1" (the last a product "pedicure kwa
# miadi"; owner test s31)
ADD_TO = re.compile(r"^(?:(?:sawa|ok|okay|poa|basi)\W+)?" + _ADD + r"\s+" + _NOT_A_THING + r"(?P<what>.+?)\s+"
                    r"(?:kwa|kwenye|katika|ndani ya|to|in|on|into)\s+(?:the\s+)?" + _WHICH + r"\s*[.!]?$", re.I)
# "ODA 3 ONGEZA unga 2", "order 3 add 2 flour"
ORDER_ADD = re.compile(r"^" + _WHICH + r"[,:]?\s+" + _ADD + r"\s+" + _NOT_A_THING + r"(?P<what>[^,.;!]+?)\s*[.!]?$",
                       re.I)


def _changeable(conn: psycopg.Connection, business_id: str, number: str,
                lang: str) -> tuple[dict[str, Any] | None, str]:
    """(the order #number, locked, when its lines may still change; else None and why not, in `lang`)."""
    from mtaabot.orders import store

    order = store.get_order(conn, business_id, number, lock=True)
    if order is None:
        return None, _t(lang, f"Hakuna oda #{number}.", f"There is no order #{number}.")
    if order["status"] not in REPRICED:
        n = order["number"]
        return None, _t(lang, f"Oda #{n} ni {state_in(order['status'], lang)}: haibadiliki tena. Hakuna kilichobadilika.",
                        f"Order #{n} is {state_in(order['status'], lang)}: it can no longer change. Nothing changed.")
    return order, ""


def add_said(text: str) -> re.Match[str] | None:
    """The owner's words as a thing added to a customer's order, or None."""
    return ADD_TO.match(text.strip()) or ORDER_ADD.match(text.strip())


def add(conn: psycopg.Connection, business_id: str, said: re.Match[str], lang: str,
        find: Callable[[str], list[dict[str, Any]]]) -> str:
    """Add what `said` (from `add_said`) names to the order, inside the caller's transaction: the customer hears the
    new order and total (a new prompt once confirmed, as for a changed count). What the owner is told."""
    from mtaabot.orders import store, texts
    from mtaabot.orders.store import OrderError

    order, refused = _changeable(conn, business_id, said.group("number"), lang)
    if order is None:
        return refused
    n = order["number"]
    if order["kind"] == "booking":  # a service more takes more time: the client books it, where the time is checked
        return _t(lang, f"Miadi #{n}: huduma nyingine inahitaji muda zaidi, kwa hivyo mteja aiongeze mwenyewe. "
                        f"Mwambie: JIBU ODA {n} <ujumbe>. Hakuna kilichobadilika.",
                  f"Booking #{n}: another service needs more time, so the client adds it themselves. Tell them: "
                  f"REPLY ORDER {n} <message>. Nothing changed.")
    words = said.group("what").strip()
    said = _SIZE_SAID.sub(" ", words)
    counted = find_quantities(said.lower().split())
    count = Decimal(counted[0].amount) if counted else Decimal(1)
    name = " ".join(w for i, w in enumerate(said.split())
                    if not any(q.words[0] <= i < q.words[1] for q in counted)) if counted else said
    name = re.sub(r"^(?:the|ya|za|of)\s+", "", name.strip(), flags=re.I)
    found = find(name) if name else []
    if len(found) != 1:
        listed = "; ".join(p["name"] for p in found[:5])
        return _t(lang, f"Ipi? {listed}. Andika jina lake kamili. Hakuna kilichobadilika." if found else
                  f"Sijapata “{name}” dukani. Hakuna kilichobadilika.",
                  f"Which one? {listed}. Write its full name. Nothing changed." if found else
                  f"No “{name}” in the shop. Nothing changed.")
    product = found[0]
    size = _SIZE_SAID.search(words)  # "ongeza superstar size 41 moja": that size (it was dropped; tester s32b)
    try:
        with conn.transaction():
            changed = store.set_item(conn, order, product, count, variant=f"size {size.group(1)}" if size else None)
    except OrderError as error:
        return _t(lang, f"Haiwezekani: {error}. Hakuna kilichobadilika.", f"Not possible: {error}. Nothing changed.")

    named_as = f"{product['name']} (size {size.group(1)})" if size else product["name"]

    def first(clang: str) -> str:
        return texts.say("owner_added", clang, name=named_as, number=n, quantity=_shown(count))

    changed, prompt = tell_new_total(conn, business_id, changed, first, lang)
    return _t(lang, f"Oda #{n}: {_shown(count)} × {named_as} imeongezwa; jumla mpya "
                    f"{format_price(changed['total_kes'])}. Mteja ameambiwa.{prompt}",
              f"Order #{n}: {_shown(count)} × {named_as} added; new total {format_price(changed['total_kes'])}. "
              f"The customer is told.{prompt}")


class _PaidMore(Exception):
    """The change would leave the order below what the customer has already paid."""


def _shown(count: Decimal) -> str:
    return str(int(count)) if count == count.to_integral_value() else str(count.normalize())


_SIZE_SAID = re.compile(r"\b(?:size|saizi|namba)\s*(\d{1,2}(?:\.5)?)\b", re.I)


def edit_said(text: str) -> re.Match[str] | None:
    """The owner's words as a change to one line of an order, or None."""
    said = text.strip()
    return (REMOVE_FROM.match(said) or ORDER_REMOVE.match(said) or DOES_NOT_WANT.match(said) or ORDER_COUNT.match(said)
            or COUNT_IN_ORDER.match(said) or IN_ORDER_COUNT.match(said))


def second_edit(said: re.Match[str]) -> tuple[str, str] | None:
    """"oda 8 toa jogoo, na ajab iwe 2": (the first change, the second said as its own "oda 8 ajab iwe 2") when what
    follows the first change is another change to the same order; else None (it is the reason, told to the customer;
    the second change was taken for one and lost; tester s32)."""
    why = (said.groupdict().get("why") or "").strip()
    more = re.sub(r"^(?:na|and|then|halafu|alafu|pia)\s+", "", why, flags=re.I).strip(" .!")
    if not more:
        return None
    second = f"oda {said.group('number')} {more}"
    if edit_said(second) is None and add_said(second) is None:
        return None
    return said.string[:said.start("why")].rstrip(" ,;."), second


def _count(said: re.Match[str]) -> Decimal | None:
    words = (said.groupdict().get("count") or "").lower()
    if not words:
        return None  # a removal
    found = find_quantities(words.split())
    return Decimal(found[0].amount) if found else Decimal(-1)


def edit(conn: psycopg.Connection, business_id: str, said: re.Match[str], lang: str,
         find: Callable[[str], list[dict[str, Any]]]) -> str:
    """Carry out the change `said` (from `edit_said`) inside the caller's transaction; what the owner is told."""
    from mtaabot.orders import store, texts
    from mtaabot.orders.store import OrderError

    order, refused = _changeable(conn, business_id, said.group("number"), lang)
    if order is None:
        return refused
    n = order["number"]
    count = _count(said)
    if count is not None and count <= 0:
        return _t(lang, f"Mfano: ODA {n} sukari iwe 2 (au ODA {n} TOA sukari). Hakuna kilichobadilika.",
                  f"Example: ORDER {n} sugar to 2 (or ORDER {n} REMOVE sugar). Nothing changed.")
    lines = store.items(conn, order)
    what = re.sub(r"^(?:the|ile|hiyo|hizo|zile)\s+", "", said.group("what").strip(), flags=re.I)
    # "ODA 5 TOA air force size 43": that size's line, the other sizes stay ("that is all order #5 holds" was said of
    # an order with sizes 42 and 43; tester s32)
    sized = _SIZE_SAID.search(what)
    if sized is not None:
        what = (what[:sized.start()] + what[sized.end():]).strip(" ,")
    named = lines_named(lines, what, find) if what else lines
    if sized is not None:
        named = [r for r in named if re.search(rf"\b{re.escape(sized.group(1))}\b", r["variant"] or "")]
    names = "; ".join(dict.fromkeys(r["name"] + (f" ({r['variant']})" if r["variant"] else "") for r in lines))
    if not named:
        return _t(lang, f"Oda #{n} haina “{what}”; ina: {names}. Hakuna kilichobadilika.",
                  f"Order #{n} has no “{what}”; it has: {names}. Nothing changed.")
    product_ids = {r["product_id"] for r in named}
    if len(product_ids) > 1 or (count is not None and len(named) > 1):
        return _t(lang, f"Oda #{n} ina: {names}. Andika bidhaa moja kamili. Hakuna kilichobadilika.",
                  f"Order #{n} has: {names}. Name one of them in full. Nothing changed.")
    line = named[0]
    label = f"{line['name']} ({line['variant']})" if sized is not None and line["variant"] else line["name"]
    if count is None and len(named) == len(lines):
        return _t(lang, f"Hiyo ndiyo yote iliyo kwenye oda #{n}: tuma GHAIRI {n} kuisitisha. Hakuna kilichobadilika.",
                  f"That is all order #{n} holds: send CANCEL {n} to cancel it. Nothing changed.")
    paid = store.money_in(conn, order)
    try:
        with conn.transaction():  # a savepoint: undone when the customer has paid more than the new total
            if count is None and sized is not None:
                changed = store.remove_line(conn, order, line["id"])
            elif count is None:
                changed = store.remove_item(conn, order, line["product_id"])
            else:
                product = conn.execute("SELECT * FROM products WHERE id = %s", (line["product_id"],)).fetchone()
                changed = store.change_line(conn, order, product, line["id"], count, line["variant"])
            if paid > Decimal(str(changed["total_kes"])):
                raise _PaidMore(changed["total_kes"])
    except OrderError as error:
        return _t(lang, f"Haiwezekani: {error}. Hakuna kilichobadilika.", f"Not possible: {error}. Nothing changed.")
    except _PaidMore as more:
        total = format_price(more.args[0])
        return _t(lang, f"Mteja ameshalipa {format_price(paid)} kwa oda #{n}, zaidi ya jumla mpya {total}. Hakuna "
                        "kilichobadilika.",
                  f"The customer has already paid {format_price(paid)} for order #{n}, more than the new total "
                  f"{total}. Nothing changed.")
    why = (said.groupdict().get("why") or "").strip()
    reason = why if TOLD_WHY.search(why) else ""

    def first(clang: str) -> str:
        if count is None:
            opening = texts.say("owner_removed", clang, name=label, number=n)
        else:
            opening = texts.say("owner_quantity", clang, name=label, number=n, quantity=_shown(count))
        return f"{opening} {reason}".strip()

    changed, prompt = tell_new_total(conn, business_id, changed, first, lang)
    done = _t(lang, f"{label} imeondolewa", f"{label} removed") if count is None else \
        _t(lang, f"{label} sasa ni {_shown(count)}", f"{label} now {_shown(count)}")
    return _t(lang, f"Oda #{n}: {done}; jumla mpya {format_price(changed['total_kes'])}. Mteja ameambiwa.{prompt}",
              f"Order #{n}: {done}; new total {format_price(changed['total_kes'])}. The customer is told.{prompt}")
