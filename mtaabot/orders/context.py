"""What every step of the order chat shares: the turn's `Context`, a resolved order `Line`, the `FlowResult`
it answers with, and catalogue rows read as retrieval hits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import psycopg

from mtaabot.orders import store
from mtaabot.orders.quantities import Quantity
from mtaabot.retrieval import Hit
from mtaabot.vocabulary import normalise, words

# the steps that finish an order already shown: its yes, its cancelling, a payment claimed or retried
FINISHING_STEPS = frozenset({"order_confirm", "order_cancel", "payment_claim", "order_retry"})


@dataclass
class FlowResult:
    text: str
    intent: str
    confidence: float
    hits: list[Hit] = field(default_factory=list)
    order: dict[str, Any] | None = None
    quantity: float | None = None


@dataclass
class Line:
    product: dict[str, Any] | None
    quantity: Decimal | None
    hit: Hit | None = None
    problem: str | None = None
    given: Quantity | None = None
    variant: str | None = None
    choices: list[Hit] = field(default_factory=list)  # services the words fit equally: the customer picks one
    sized: bool = False  # one of several sizes/colours of the product said in the message: a line of its own
    bulk: Decimal | None = None  # more than a chat order takes ("unga pakiti 150"): the count, for the owner


@dataclass
class Context:
    conn: psycopg.Connection
    business: dict[str, Any]
    conv: dict[str, Any]
    lang: str
    last_intent: str | None
    last_products: list[Any]
    now: datetime | None = None
    message: str = ""  # the whole message, normalised (a piece's words are read beside the rest of it)
    written: str = ""  # the whole message as written (a capitalised word may be a brand)
    place_said: str | None = None  # where an order said with its place goes ("nataka moja, mtaleta Kitengela?")
    size_from: str | None = None  # the size a change is from: "size 44 ibadilishe iwe 45" -> "44"
    count_replaced: bool = False  # "mbili badala ya moja": a count said in place of another (taken out of the message)

    def model_names(self) -> str:
        """Every product name of the shop, normalised, one line each (to find "iphone 13" in "iPhone 13 128GB")."""
        if not hasattr(self, "_names"):
            rows = self.conn.execute("SELECT name FROM products WHERE business_id = %s", (self.business["id"],))
            self._names = "\n".join(" ".join(words(r["name"])) for r in rows)
        return self._names

    def name_words(self) -> frozenset[str]:
        """Every word of the shop's product names."""
        if not hasattr(self, "_name_words"):
            self._name_words = frozenset(self.model_names().split())
        return self._name_words

    def name_numbers(self) -> frozenset[str]:
        """Every number in the shop's product names ("13" of "iPhone 13", "2" of "Unga 2kg")."""
        if not hasattr(self, "_name_numbers"):
            self._name_numbers = frozenset(re.findall(r"\d+", self.model_names()))
        return self._name_numbers

    def model_lines(self) -> frozenset[str]:
        """The words of the shop's names that a model number follows ("iphone" of "iPhone 13", "spark")."""
        if not hasattr(self, "_model_lines"):
            names = [n.split() for n in self.model_names().split("\n")]
            self._model_lines = frozenset(n[i] for n in names for i in range(len(n) - 1)
                                          if n[i + 1].isdigit() and n[i].isalpha())
        return self._model_lines

    def said_recently(self, count: int = 3) -> list[str]:
        """The customer's `count` messages before this one, the latest first, as written."""
        rows = self.conn.execute(
            """SELECT content FROM messages WHERE conversation_id = %s AND business_id = %s AND role = 'user'
               ORDER BY created_at DESC, id DESC OFFSET 1 LIMIT %s""",
            (self.conv["id"], self.business["id"], count)).fetchall()
        return [r["content"] or "" for r in rows]

    def said_before(self, *, as_written: bool = False) -> str:
        """The customer's message before this one (the one the bot's last turn answered), or "" (normalised unless
        `as_written`)."""
        row = self.conn.execute(
            """SELECT content FROM messages WHERE conversation_id = %s AND business_id = %s AND role = 'user'
               ORDER BY created_at DESC, id DESC OFFSET 1 LIMIT 1""",
            (self.conv["id"], self.business["id"])).fetchone()
        return "" if not row else row["content"] or "" if as_written else normalise(row["content"] or "")


def hit_of(row: dict[str, Any], score: float = 1.0) -> Hit:
    """A catalogue row as a retrieval hit (what the replies show of it)."""
    return Hit(id=row["id"], name=row["name"], price=row["price"], currency=row.get("currency") or "KES",
               is_available=bool(row["is_available"]), description=row.get("description"),
               metadata=row.get("metadata"), score=score)


def product_rows(conn: psycopg.Connection, business_id: Any, ids: list[Any]) -> list[dict[str, Any]]:
    if not ids:
        return []
    rows = conn.execute("SELECT * FROM products WHERE business_id = %s AND id = ANY(%s)",
                        (str(business_id), [str(i) for i in ids])).fetchall()
    order = {str(pid): i for i, pid in enumerate(ids)}
    return sorted(rows, key=lambda r: order.get(str(r["id"]), 99))


_ORDER_NUMBERED = re.compile(r"\b(Oda|oda|Order|order)( yako)? #(?=\d)")


def named_as_booking(order: dict[str, Any] | None, text: str) -> str:
    """A booking's messages call it a booking ("Miadi #23", "Booking #23"), not an order ("mwenye duka amesitisha oda
    #1", "Asante! Oda #23: mwenye duka atathibitisha malipo" of a salon booking; customer test s27)."""
    if order is None or order.get("kind") != "booking":
        return text
    return _ORDER_NUMBERED.sub(lambda m: {"Oda": "Miadi", "oda": "miadi", "Order": "Booking", "order": "booking"}[
        m.group(1)] + (m.group(2) or "") + " #", text)


def result(ctx: Context, order: dict[str, Any] | None, text: str, intent: str, hits: list[Hit],
           quantity: Decimal | None = None, confidence: float = 0.9) -> FlowResult:
    text = named_as_booking(order, text)
    return FlowResult(text=text, intent=intent, confidence=confidence, hits=hits,
                      order=store.order_view(ctx.conn, order) if order else None,
                      quantity=float(quantity) if quantity is not None else None)
