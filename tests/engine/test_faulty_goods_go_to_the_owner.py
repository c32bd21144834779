"""Something bought here that broke or came apart, with an exchange asked for, is a complaint for the owner (it was
"we don't sell that"); the same exchange rule asked before buying is answered or asked about as a question.
Catalogue and sentences are this file's own (training/understanding/escalation_v8.txt holds different ones)."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, last_alert, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Nike Air Force 1,"White low-top sneakers, sizes 38 to 45",3500,KES,true,"{""category"": ""sneakers""}"
Oraimo Earbuds,"Wireless earbuds with charging case",2500,KES,true,"{""category"": ""audio""}"
"""


@pytest.mark.parametrize(("text", "customer"), [
    ("nilinunua AF1 wiki iliyopita zimeanza kutoka sole, mnabadilisha?", "254718920001"),
    ("the earbuds I bought on monday stopped charging, can you exchange?", "254718920002"),
])
def test_goods_bought_that_broke_go_to_the_owner(conn, text, customer):
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, text, customer)
    assert reply.escalated and reply.intent == "complaint", (reply.intent, reply.reply)
    assert "hatuuzi" not in reply.reply.lower() and "don't sell" not in reply.reply.lower(), reply.reply
    assert last_alert(conn, shop) is not None


def test_the_exchange_rule_asked_before_buying_is_no_complaint(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, "nikinunua earbuds na ziharibike wiki ya kwanza, mnabadilisha?", "254718920003")
    assert reply.intent != "complaint", reply.reply


def test_a_rule_asked_about_what_might_go_wrong_is_no_complaint(conn):
    """"what is your return policy if the milk is expired?" was a complaint hand-over (customer test s28)."""
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, "what is your return policy if the earbuds are expired or faulty?", "254718920004")
    assert reply.intent != "complaint", reply.reply
