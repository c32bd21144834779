"""What the shop owner is told about orders and bookings, in the owner's language (Swahili unless the owner last
wrote in English): a new order or booking with every line's size/colour, a booking moved to another time, an
order confirmed again after a change, a customer's payment claim with its M-Pesa code (and a warning when that
code was already given for another order of the shop), M-Pesa results and cancellations.

Each goes through `mtaabot.notifications.notify` (dashboard notice + the numbered alert on the owner's WhatsApp).
Texts are in the message catalogue (`mtaabot/data/messages.toml`, section `owner_alert`); every name, price, time
and code is filled in from the database. Nothing here commits: callers own the transaction.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import psycopg

from mtaabot.messages import catalogue
from mtaabot.orders.summary import when_text
from mtaabot.owners.alerts import lang_of_owners
from mtaabot.owners.registry import owner_phones

TEXTS: dict[str, dict[str, str]] = catalogue()["owner_alert"]
MPESA_CODE = re.compile(r"\b[A-Z]{2}[A-Z0-9]{8}\b")  # an M-Pesa receipt code as customers paste it


def say(key: str, lang: str, **fields: Any) -> str:
    """The catalogue text `owner_alert.<key>` in `lang` (ENG or SWA; anything else is Swahili)."""
    table = TEXTS[key]
    return table.get(lang, table["SWA"]).format(**fields)


def owner_lang(conn: psycopg.Connection, business_id: Any) -> str:
    """ENG or SWA: the language the shop's owner last wrote in (Swahili when unknown)."""
    return lang_of_owners(conn, business_id, owner_phones(conn, str(business_id)))


def _price(amount: Any) -> str:
    from mtaabot.reply_builder import format_price

    return format_price(amount)


def quantity_text(quantity: Any) -> str:
    q = Decimal(str(quantity))
    return str(int(q)) if q == q.to_integral_value() else f"{q.normalize():f}"


def line_text(name: str, quantity: Any, variant: str | None) -> str:
    """One order line as the owner packs it: "2× Nike Air Force 1 White (size 44, black)"."""
    return f"{quantity_text(quantity)}× {name}" + (f" ({variant})" if variant else "")


def _lines(conn: psycopg.Connection, order: dict[str, Any]) -> str:
    rows = conn.execute(
        """SELECT name, quantity, variant FROM order_items WHERE order_id = %s AND business_id = %s
           ORDER BY created_at, name, length(coalesce(variant, '')), variant""",
        (order["id"], order["business_id"])).fetchall()
    return "; ".join(line_text(r["name"], r["quantity"], r["variant"]) for r in rows)


def _who(conn: psycopg.Connection, order: dict[str, Any], lang: str) -> str:
    row = conn.execute("SELECT customer_name, customer_phone FROM conversations WHERE id = %s",
                       (order["conversation_id"],)).fetchone()
    return (row and (row["customer_name"] or row["customer_phone"])) or say("customer", lang)


def _notify(conn: psycopg.Connection, order: dict[str, Any], kind: str, body: str) -> None:
    from mtaabot.notifications import notify

    notify(conn, order["business_id"], kind, body, conversation_id=order["conversation_id"], order_id=order["id"])


def when_asked(conn: psycopg.Connection, order: dict[str, Any], text: str) -> None:
    """"oda yangu itafika saa ngapi?", "je imetoka?": only the owner knows when it leaves; asked once a day per order."""
    from mtaabot.orders.texts import STATE

    lang = owner_lang(conn, order["business_id"])
    body = say("when_asked", lang, who=_who(conn, order, lang), number=order["number"],
               state=STATE.get(order["status"], {}).get(lang, order["status"]), said=text[:200])
    told = conn.execute("""SELECT 1 FROM notifications WHERE business_id = %s AND order_id = %s AND kind = 'order'
                           AND body LIKE %s AND created_at > CURRENT_TIMESTAMP - interval '1 day'""",
                        (order["business_id"], order["id"], body.split("“")[0] + "%")).fetchone()
    if told is None:
        _notify(conn, order, "order", body)


def order_confirmed(conn: psycopg.Connection, order: dict[str, Any]) -> None:
    """The customer said yes to `order` (now awaiting payment): the owner hears of a new order or booking, or,
    when already told of it, that the booking moved (old time -> new time) or the order was confirmed again."""
    order = conn.execute("SELECT * FROM orders WHERE id = %s FOR UPDATE", (order["id"],)).fetchone()
    lang = owner_lang(conn, order["business_id"])
    booking = order["kind"] == "booking"
    extra = say("when", lang, when=when_text(order["booking_at"])) if order["booking_at"] else ""
    if order["fulfilment"] == "delivery" and order["delivery_location"]:
        extra += say("deliver_to", lang, place=order["delivery_location"])
        extra += (say("deliver_fee", lang, fee=_price(order["delivery_fee_kes"])) if order["delivery_fee_kes"] is not None
                  else say("deliver_fee_unset", lang, number=order["number"]))
    elif order["kind"] != "booking" and order["owner_told_at"] is not None and order["fulfilment"] == "pickup":
        extra += say("collects", lang)  # a delivery the owner was told of is now collected: said, not left out
    if order["customer_note"]:
        extra += say("note", lang, note=order["customer_note"][:200])
    fields = {"number": order["number"], "who": _who(conn, order, lang), "lines": _lines(conn, order),
              "extra": extra, "total": _price(order["total_kes"])}
    told, told_at = order["owner_told_at"], order["owner_told_booking_at"]
    if told is None:
        key = "new_booking" if booking else "new_order"
    elif booking and order["booking_at"] is not None and told_at is not None and told_at != order["booking_at"]:
        key = "booking_moved"
        fields.update(old=when_text(told_at), new=when_text(order["booking_at"]))
    else:
        key = "booking_again" if booking else "order_again"
    conn.execute("""UPDATE orders SET owner_told_at = CURRENT_TIMESTAMP, owner_told_booking_at = booking_at
                    WHERE id = %s""", (order["id"],))
    _notify(conn, order, "order", say(key, lang, **fields))


def open_order_context(conn: psycopg.Connection, business_id: Any, conversation_id: Any) -> str:
    """" (oda #12 inayoendelea: 1× Knotless Braids, Sat 12 Dec 11:00, KES 3,500)" for a hand-over alert when the chat
    has an order or booking in play, else "": the owner read only "ni ngapi jumla? / ndio / mwenye duka" with no
    services, day or total (tester s32)."""
    from mtaabot.orders.store import latest_open
    from mtaabot.orders.texts import state_in

    order = latest_open(conn, business_id, conversation_id)
    if order is None or not (lines := _lines(conn, order)):
        return ""
    lang = owner_lang(conn, business_id)
    when = f", {when_text(order['booking_at'])}" if order["booking_at"] else ""
    kind = ("miadi" if lang != "ENG" else "booking") if order["kind"] == "booking" else ("oda" if lang != "ENG" else
                                                                                        "order")
    return f" ({kind} #{order['number']}, {state_in(order['status'], lang)}: {lines}{when}, {_price(order['total_kes'])})"


def cancelled_by_customer(conn: psycopg.Connection, order: dict[str, Any]) -> None:
    lang = owner_lang(conn, order["business_id"])
    _notify(conn, order, "order_cancelled",
            say("cancelled_by_customer", lang, number=order["number"], who=_who(conn, order, lang)))


def cancel_after_paying(conn: psycopg.Connection, order: dict[str, Any], text: str) -> None:
    """A customer asks to cancel an order or booking already paid: only the owner can give the money back, so the
    owner is told (with the customer's words) and answers from the alert. Asked twice in a day: one alert."""
    from mtaabot.orders.store import money_in

    lang = owner_lang(conn, order["business_id"])
    body = say("cancel_paid", lang, number=order["number"], who=_who(conn, order, lang),
               total=_price(order["total_kes"]), amount=_price(money_in(conn, order)), said=text[:200])
    told = conn.execute("""SELECT 1 FROM notifications WHERE business_id = %s AND order_id = %s AND kind = 'order'
                           AND body = %s AND created_at > CURRENT_TIMESTAMP - interval '1 day'""",
                        (order["business_id"], order["id"], body)).fetchone()
    if told is None:
        _notify(conn, order, "order", body)


def delivery_after_paying(conn: psycopg.Connection, order: dict[str, Any], text: str) -> None:
    """A customer whose order is paid asks for it to be brought to a place: the owner is told where, with their
    words, to arrange the rider and its cost (it was a new order of one more of the same; owner test s30)."""
    lang = owner_lang(conn, order["business_id"])
    _notify(conn, order, "order", say("delivery_after_paid", lang, who=_who(conn, order, lang), number=order["number"],
                                      place=order["delivery_location"], said=text[:200]))


def bulk_asked(conn: psycopg.Connection, business_id: Any, conv: dict[str, Any], product: dict[str, Any],
               count: Decimal, text: str) -> None:
    """A customer asks for more of a thing than a chat order takes (a school's 150 packets): the owner's sale, told
    once a day per chat and product with the customer's words, the count and what it comes to at the listed price."""
    from mtaabot.notifications import notify

    lang = owner_lang(conn, business_id)
    who = conv.get("customer_name") or conv.get("customer_phone") or ""
    body = say("bulk_asked", lang, who=who, qty=quantity_text(count), name=product["name"],
               amount=_price(Decimal(count) * Decimal(product["price"])), said=text[:200])
    told = conn.execute("""SELECT 1 FROM notifications WHERE business_id = %s AND conversation_id = %s AND body = %s
                           AND created_at > CURRENT_TIMESTAMP - interval '1 day'""",
                        (str(business_id), str(conv["id"]), body)).fetchone()
    if told is None:
        notify(conn, business_id, "escalation", body, conversation_id=conv["id"])


def change_after_paying(conn: psycopg.Connection, order: dict[str, Any], text: str) -> None:
    """A booking paid for (or said to be) that the customer wants changed: the owner arranges it, since money is held
    (it went back to a draft and left the owner's lists; customer test s27)."""
    from mtaabot.orders.store import money_in
    from mtaabot.orders.summary import when_text

    lang = owner_lang(conn, order["business_id"])
    _notify(conn, order, "order", say("change_after_paying", lang, number=order["number"], who=_who(conn, order, lang),
                                      when=when_text(order["booking_at"]) if order["booking_at"] else "?",
                                      amount=_price(money_in(conn, order)), said=text[:200]))


def money_asked(conn: psycopg.Connection, order: dict[str, Any], text: str) -> None:
    """A customer changed an order they say they paid and asks about the money ("you'll refund 500?"): only the
    owner gives money back, so the owner is told, with the customer's words."""
    lang = owner_lang(conn, order["business_id"])
    _notify(conn, order, "order", say("money_asked", lang, number=order["number"], who=_who(conn, order, lang),
                                      amount=_price(order["total_kes"]), said=text[:200]))


def delivery_asked(conn: psycopg.Connection, order: dict[str, Any], place: str, text: str) -> None:
    """A customer asks for a confirmed order to be delivered ("delivery to Kilimani iwezekana?"): the owner says whether
    and at what cost (it was "tell me what and where" again, and the owner never heard of it)."""
    lang = owner_lang(conn, order["business_id"])
    _notify(conn, order, "order", say("delivery_asked", lang, number=order["number"], who=_who(conn, order, lang),
                                      place=place, said=text[:200]))


def claimed_code(text: str) -> str | None:
    """The M-Pesa code in a customer's "nimelipa QAB12CD34E", upper case, or None."""
    found = MPESA_CODE.search(text or "")
    return found.group(0).upper() if found else None


def code_given_for(conn: psycopg.Connection, order: dict[str, Any], code: str) -> bool:
    """The customer already gave this M-Pesa code for this order."""
    return conn.execute("SELECT 1 FROM order_payment_claims WHERE order_id = %s AND mpesa_code = %s LIMIT 1",
                        (str(order["id"]), code)).fetchone() is not None


def code_used_elsewhere(conn: psycopg.Connection, business_id: Any, order_id: Any, code: str) -> list[int]:
    """Numbers of the shop's other orders this M-Pesa code was already given for (a claim) or paid (a receipt)."""
    rows = conn.execute(
        """SELECT DISTINCT o.number FROM orders o
           WHERE o.business_id = %(b)s AND o.id <> %(o)s AND (
                 upper(o.mpesa_receipt_number) = %(c)s
              OR EXISTS (SELECT 1 FROM order_payment_claims k WHERE k.order_id = o.id AND k.business_id = %(b)s
                         AND k.mpesa_code = %(c)s)
              OR EXISTS (SELECT 1 FROM order_payments p WHERE p.order_id = o.id AND p.business_id = %(b)s
                         AND upper(p.mpesa_receipt_number) = %(c)s AND p.status = 'paid'))
           ORDER BY o.number""",
        {"b": str(business_id), "o": str(order_id), "c": code}).fetchall()
    return [r["number"] for r in rows]


def payment_claimed(conn: psycopg.Connection, order: dict[str, Any], text: str = "",
                    said: Decimal | None = None) -> None:
    """"nimelipa QAB12CD34E": the claim is kept with its code (ODA shows it) and the owner is told which order,
    how much and which code to look for, warned when the same code was already given for another order. `said`: the
    amount the customer says they paid, when it is not the order's (the alert showed only the order's total, so an
    over- or part-payment was invisible to the owner)."""
    from mtaabot.orders.store import amount_due, balance_due, money_in, paid_so_far

    lang = owner_lang(conn, order["business_id"])
    code = claimed_code(text)
    due = balance_due(order)
    earlier = money_in(conn, order) - paid_so_far(order)  # the customer's claims before this one
    paid = said if said is not None and said != due else None
    others = code_used_elsewhere(conn, order["business_id"], order["id"], code) if code else []
    conn.execute(
        """INSERT INTO order_payment_claims (business_id, order_id, conversation_id, mpesa_code, amount_kes)
           VALUES (%s, %s, %s, %s, %s)""",
        (str(order["business_id"]), str(order["id"]), str(order["conversation_id"]), code,
         paid if paid is not None else due))
    fields = {"who": _who(conn, order, lang), "number": order["number"], "amount": _price(due),
              "code": say("claim_code", lang, code=code) if code else ""}
    body = say("payment_claim", lang, **fields) if paid is None else \
        say("payment_claim_other", lang, paid=_price(paid), figure=f"{paid.normalize():f}", **fields)
    if paid is not None and earlier > 0:  # "nimeongeza 310" after "nimetuma 500": the two together
        together = paid_so_far(order) + earlier + paid
        body += " " + say("claimed_together", lang, paid=_price(together), total=_price(amount_due(order["total_kes"])))
    if others:
        body += " " + say("code_reused", lang, code=code, other=", #".join(str(n) for n in others))
    _notify(conn, order, "payment", body)


def payment_claimed_for_all(conn: psycopg.Connection, orders: list[dict[str, Any]], text: str) -> None:
    """"nimetuma 1500 kwa zote mbili": one payment for every order of the chat still to pay; each keeps a claim of
    what it has left (with the code), and the owner gets one alert naming them all (the 1,500 went on the newest
    order only, the other stayed unpaid with nothing said; tester s32)."""
    from mtaabot.orders.store import balance_due

    first = orders[0]
    lang = owner_lang(conn, first["business_id"])
    code = claimed_code(text)
    for order in orders:
        conn.execute(
            """INSERT INTO order_payment_claims (business_id, order_id, conversation_id, mpesa_code, amount_kes)
               VALUES (%s, %s, %s, %s, %s)""",
            (str(order["business_id"]), str(order["id"]), str(order["conversation_id"]), code, balance_due(order)))
    each = ", ".join(f"#{o['number']} ({_price(balance_due(o))})" for o in orders)
    confirms = (" na " if lang != "ENG" else " and ").join(
        f"THIBITISHA {o['number']}" if lang != "ENG" else f"CONFIRM {o['number']}" for o in orders)
    _notify(conn, first, "payment", say("payment_claim_all", lang, who=_who(conn, first, lang), orders=each,
                                         amount=_price(sum(balance_due(o) for o in orders)),
                                         code=say("claim_code", lang, code=code) if code else "", confirms=confirms))


def claim_withdrawn(conn: psycopg.Connection, order: dict[str, Any]) -> Decimal | None:
    """"sorry sijatuma bado" after "nimetuma 200": the customer's latest claim for `order` (since the last part the
    owner recorded) is taken back, and the owner told not to look for it; its amount, or None when there was none (it
    was still counted: "baki ni KES 60" of 260, and the owner still saw "says they paid 200"; tester s32b)."""
    latest = conn.execute(
        """DELETE FROM order_payment_claims WHERE id = (
               SELECT id FROM order_payment_claims WHERE order_id = %s
               AND claimed_at > coalesce(%s, '-infinity'::timestamptz) ORDER BY claimed_at DESC LIMIT 1)
           RETURNING amount_kes""", (str(order["id"]), order.get("part_received_at"))).fetchone()
    if latest is None:
        return None
    lang = owner_lang(conn, order["business_id"])
    _notify(conn, order, "payment", say("claim_withdrawn", lang, who=_who(conn, order, lang), number=order["number"],
                                         amount=_price(latest["amount_kes"])))
    return Decimal(latest["amount_kes"] or 0)


def claim_corrected(conn: psycopg.Connection, order: dict[str, Any], text: str, said: Decimal,
                    wrong: list[Decimal], corrects: bool) -> Decimal | None:
    """"sorry nimelipa 400 si 420": the customer's latest claim for `order` said again with the right amount (it was
    counted as a second payment, 820 of 420; tester s32). When the words correct an earlier claim (an amount `wrong`
    it said, or `corrects` words like "nilikosea"), that claim now holds `said` (and the code, if given), the owner is
    told, and the amount it held is returned; None when there is no claim to correct (a new one is kept as usual)."""
    latest = conn.execute(
        """SELECT id, amount_kes, mpesa_code FROM order_payment_claims WHERE order_id = %s
           AND claimed_at > coalesce(%s, '-infinity'::timestamptz) ORDER BY claimed_at DESC LIMIT 1""",
        (str(order["id"]), order.get("part_received_at"))).fetchone()
    if latest is None or latest["amount_kes"] is None or latest["amount_kes"] == said:
        return None
    if not (Decimal(latest["amount_kes"]) in wrong or corrects):
        return None
    code = claimed_code(text)
    if code and latest["mpesa_code"] and code != latest["mpesa_code"]:
        return None  # another code: another payment
    conn.execute("UPDATE order_payment_claims SET amount_kes = %s, mpesa_code = coalesce(%s, mpesa_code) WHERE id = %s",
                 (said, code, latest["id"]))
    lang = owner_lang(conn, order["business_id"])
    _notify(conn, order, "payment", say("claim_corrected", lang, who=_who(conn, order, lang), number=order["number"],
                                         paid=_price(said), wrong=_price(latest["amount_kes"])))
    return Decimal(latest["amount_kes"])


def paid_after_cancel(conn: psycopg.Connection, order: dict[str, Any], text: str, amount: Decimal | None) -> None:
    """"nimetuma 14800 code RFT56YHU89, nilikuwa nimeshatuma before cancelling": the money is for a cancelled order,
    the owner's to refund (the owner was told "there is no order of theirs"; customer test s27)."""
    lang = owner_lang(conn, order["business_id"])
    code = claimed_code(text)
    _notify(conn, order, "payment", say("paid_cancelled", lang, who=_who(conn, order, lang), number=order["number"],
                                         amount=f" {_price(amount)}" if amount is not None else "",
                                         code=say("claim_code", lang, code=code) if code else "", said=text[:200]))


def paid_without_order(conn: psycopg.Connection, business_id: Any, conversation_id: Any, who: str, text: str,
                       amount: Decimal | None) -> None:
    """"nimelipa 500" from a customer with no order in play: the owner is told the amount and M-Pesa code to look for
    and answers the customer from the numbered alert (JIBU n). The same words twice in a day alert once."""
    from mtaabot.notifications import notify

    lang = owner_lang(conn, business_id)
    code = claimed_code(text)
    body = say("paid_no_order", lang, who=who, amount=f" {_price(amount)}" if amount is not None else "",
               code=say("claim_code", lang, code=code) if code else "", said=text[:200])
    told = conn.execute("""SELECT 1 FROM notifications WHERE business_id = %s AND conversation_id = %s
                           AND kind = 'payment' AND body = %s AND created_at > CURRENT_TIMESTAMP - interval '1 day'""",
                        (str(business_id), str(conversation_id), body)).fetchone()
    if told is None:
        notify(conn, business_id, "payment", body, conversation_id=conversation_id)


def claims(conn: psycopg.Connection, business_id: Any, order_ids: list[Any]) -> dict[str, list[dict[str, Any]]]:
    """The payment claims of these orders (newest first) by order id, each with the other orders its code was
    given for (`others`)."""
    if not order_ids:
        return {}
    rows = conn.execute(
        """SELECT k.order_id, k.mpesa_code, k.amount_kes, k.claimed_at,
                  (SELECT coalesce(array_agg(DISTINCT o.number ORDER BY o.number), '{}') FROM orders o
                   WHERE o.business_id = k.business_id AND o.id <> k.order_id AND k.mpesa_code IS NOT NULL
                     AND (upper(o.mpesa_receipt_number) = k.mpesa_code
                          OR EXISTS (SELECT 1 FROM order_payment_claims j WHERE j.order_id = o.id
                                     AND j.business_id = k.business_id AND j.mpesa_code = k.mpesa_code
                                     -- one payment the customer said was for all their orders is no code reused
                                     AND NOT (j.conversation_id = k.conversation_id
                                              AND j.claimed_at = k.claimed_at)))) AS others
           FROM order_payment_claims k WHERE k.business_id = %s AND k.order_id = ANY(%s::uuid[])
           ORDER BY k.claimed_at DESC""", (str(business_id), [str(i) for i in order_ids])).fetchall()
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(str(r["order_id"]), []).append(dict(r))
    return out


def mpesa_underpaid(conn: psycopg.Connection, order: dict[str, Any], *, paid: str, due: str,
                    receipt: str | None) -> None:
    lang = owner_lang(conn, order["business_id"])
    _notify(conn, order, "order_payment_issue",
            say("mpesa_underpaid", lang, number=order["number"], paid=paid, due=due,
                receipt=receipt or say("receipt_none", lang)))


def mpesa_paid_again(conn: psycopg.Connection, order: dict[str, Any], *, due: str, receipt: str | None) -> None:
    from mtaabot.orders.texts import STATE

    lang = owner_lang(conn, order["business_id"])
    state = STATE.get(order["status"], {}).get(lang, order["status"])
    _notify(conn, order, "order_payment_issue",
            say("mpesa_paid_again", lang, number=order["number"], state=state, due=due,
                receipt=receipt or say("receipt_none", lang)))


def stock_short_text(short: list[dict[str, Any]], lang: str) -> str:
    """" Note, not enough stock: Jogoo 2 ordered, only 1 left. ..." (empty when the stock covers the order)."""
    if not short:
        return ""
    items = "; ".join(say("stock_short_item", lang, name=r["name"], wanted=r["wanted"], left=r["left"]) for r in short)
    return say("stock_short", lang, items=items)


def mpesa_paid(conn: psycopg.Connection, order: dict[str, Any], *, due: str, receipt: str | None,
               short: list[dict[str, Any]] | None = None) -> None:
    lang = owner_lang(conn, order["business_id"])
    if order["fulfilment"] == "delivery":
        after = (say("paid_deliver", lang, place=order["delivery_location"]) if order["delivery_location"]
                 else say("paid_deliver_unknown", lang))
    else:
        after = say("paid_pickup", lang)
    _notify(conn, order, "order_paid",
            say("mpesa_paid", lang, number=order["number"], due=due,
                receipt=receipt or say("receipt_coming", lang), next=after) + stock_short_text(short or [], lang))


def mpesa_held(conn: psycopg.Connection, order: dict[str, Any], *, asked: Any, paid: Decimal | None) -> None:
    """A success callback that does not match the prompt: why, in the owner's words (amount, none, or phone)."""
    lang = owner_lang(conn, order["business_id"])
    if paid is None:
        reason = say("held_no_amount", lang)
    elif Decimal(str(paid)) != Decimal(str(asked)):
        reason = say("held_amount", lang, paid=_price(paid))
    else:
        reason = say("held_phone", lang)
    _notify(conn, order, "order_payment_issue",
            say("mpesa_held", lang, number=order["number"], asked=_price(asked), reason=reason))
