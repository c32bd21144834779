""""simu yangu iko tayari?" from a number with no order (a phone left for repair in person) was answered with the
price of a phone for sale (s31 found-not-fixed): the owner is asked, the customer told so, and the chat stays with
the bot. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Tecno Spark 20,Smartphone 128GB,14500,KES,true,{}
Screen Repair,Phone screen replaced,3000,KES,true,{}
"""


@pytest.mark.parametrize(("said", "customer"), [("simu yangu iko tayari?", "254713900001"),
                                                ("is my phone ready?", "254713900002")])
def test_whether_a_thing_left_with_the_shop_is_ready_is_the_owner_s_to_answer(conn, said, customer):
    shop = make_shop(conn, catalogue=CATALOGUE)
    asked = ask(conn, shop, said, customer)
    assert "14,500" not in asked.reply and asked.escalated, asked.reply
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'escalation'",
                         (shop["id"],)).fetchone()
    assert alert is not None and said in alert["body"]
    status = conn.execute("SELECT status FROM conversations WHERE business_id = %s", (shop["id"],)).fetchone()
    assert status["status"] == "ai_active"  # the bot still answers what comes next


def test_a_phone_with_a_problem_is_still_answered_by_the_bot(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    asked = ask(conn, shop, "simu yangu iko na shida ya screen", "254713900003")
    assert "Screen Repair" in asked.reply and not asked.escalated, asked.reply
