"""Two answers that contradicted or misread the customer (customer test s28): "aah 100 ni mingi, nitakuja kuchukua
mwenyewe" about the delivery cost was a haggle for the owner and the delivery stayed; "screen protector mna? bei gani
na mnaweka bure?" said "we don't sell that" and then the protector's price. Sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, last_alert, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Glass Protector,Tempered glass screen protector,350,KES,true,"{""category"": ""accessories""}"
Kabras Sugar 1kg,White sugar,180,KES,true,"{""category"": ""sugar""}"
"""


def test_delivery_too_dear_and_coming_to_collect_is_a_pickup_not_a_haggle(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    ask(conn, shop, "nataka sukari mbili, mniletee Githurai", "254718980001")
    before = last_alert(conn, shop)
    reply = ask(conn, shop, "aah 150 ni mingi sana, nitakuja kuchukua mwenyewe", "254718980001")
    assert reply.order is not None and reply.order["fulfilment"] == "pickup", reply.reply
    assert reply.intent != "discount" and last_alert(conn, shop) == before, reply.reply


def test_a_thing_found_in_one_part_is_never_also_not_sold(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    reply = ask(conn, shop, "screen protector mna? bei gani na mnaweka bure?", "254718980002")
    assert "KES 350" in reply.reply and "hatuuzi" not in reply.reply.lower(), reply.reply
