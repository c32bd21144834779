"""A shop's AI replies run out mid-order (the trial's 300 used up): the customer's yes to the order the bot had just
drafted was swallowed by the billing gate ("Asante! Mtu wa duka atakujibu"), and the draft stayed a draft: the sale
was lost. An order already shown is now finished past the gate (its yes, cancel, payment claim), stored as the
system's so it uses no AI reply; anything else still gets the gate's notice and changes nothing. Catalogue and
sentences are this file's own."""

from __future__ import annotations

import pytest

from mtaabot.billing.gate import check_ai_allowed
from mtaabot.billing.plans import TRIAL
from tests.engine.conftest import ask, make_shop, order_lines

CATALOGUE = """name,description,price,currency,is_available,metadata
Unga wa Dola 2kg,Maize flour,190,KES,true,"{""category"": ""flour""}"
Kimbo 1kg,Cooking fat,420,KES,true,"{""category"": ""fat""}"
Chai Majani 250g,Tea leaves,150,KES,true,"{""category"": ""tea""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def _use_up_the_quota(conn, shop) -> None:
    """Other customers' chats used every AI reply of the trial."""
    conv = conn.execute("INSERT INTO conversations (business_id, customer_phone) VALUES (%s, '254719999999') "
                        "RETURNING id", (shop["id"],)).fetchone()["id"]
    conn.execute("""INSERT INTO messages (conversation_id, business_id, role, author, content)
                    SELECT %s, %s, 'bot', 'ai', 'jibu ' || g FROM generate_series(1, %s) AS g""",
                 (conv, shop["id"], TRIAL.monthly_ai_replies))
    conn.commit()
    assert not check_ai_allowed(conn, shop["id"]).allowed


def _ai_replies(conn, shop) -> int:
    return conn.execute("SELECT count(*) AS n FROM messages WHERE business_id = %s AND role = 'bot' AND author = 'ai'",
                        (shop["id"],)).fetchone()["n"]


def test_the_yes_to_a_drafted_order_confirms_it_when_the_quota_runs_out(conn, shop):
    drafted = ask(conn, shop, "nipe unga wa dola 2", "254718000001")
    assert order_lines(drafted) == {("Unga wa Dola 2kg", None): 2}, drafted.reply
    _use_up_the_quota(conn, shop)
    used = _ai_replies(conn, shop)
    yes = ask(conn, shop, "ndio", "254718000001")
    assert yes.intent == "order_confirm", yes.reply
    assert yes.order["status"] != "draft" and yes.order["number"] == drafted.order["number"], yes.order
    assert "380" in yes.reply, yes.reply
    assert _ai_replies(conn, shop) == used  # finishing the order used no AI reply


def test_cancelling_the_drafted_order_still_works(conn, shop):
    ask(conn, shop, "nataka kimbo moja", "254718000002")
    _use_up_the_quota(conn, shop)
    cancelled = ask(conn, shop, "cancel order", "254718000002")
    assert cancelled.intent == "order_cancel", cancelled.reply
    status = conn.execute("SELECT status FROM orders WHERE business_id = %s", (shop["id"],)).fetchone()["status"]
    assert status == "cancelled"


def test_anything_else_gets_the_gate_and_leaves_the_order_as_it_was(conn, shop):
    drafted = ask(conn, shop, "nipe chai majani 1", "254718000003")
    _use_up_the_quota(conn, shop)
    more = ask(conn, shop, "ongeza kimbo moja", "254718000003")
    assert more.intent == "gate", more.reply
    items = conn.execute("SELECT name, quantity FROM order_items WHERE order_id = %s",
                         (drafted.order["id"],)).fetchall()
    assert [(r["name"], int(r["quantity"])) for r in items] == [("Chai Majani 250g", 1)]
    assert ask(conn, shop, "kimbo bei gani?", "254718000004").intent == "gate"  # a new customer: no order in play
