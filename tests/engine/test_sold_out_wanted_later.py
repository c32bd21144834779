"""A sold-out product asked about, and wanted once it is back (customer test s24): its sizes read as in stock
("Timberland Boots: sizes 40-45. Want one? Just say!"), and "nikuwekee moja size 42 basi zikiingia" was "we don't
sell that" for the boots the bot itself had just said were out. The sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = ("name,description,price,currency,is_available,metadata\n"
             'Timberland Boots,Leather boots,4500,KES,false,"{""sizes"": ""40-45""}"\n'
             'Nike Air Force 1 White,White sneakers,3500,KES,true,"{""sizes"": ""38-45""}"\n')


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def test_sizes_of_a_sold_out_product_say_it_is_out(conn, shop):
    ask(conn, shop, "mna timberland?", "254719500001")
    reply = ask(conn, shop, "size gani ziko?", "254719500001").reply
    assert "40-45" in reply and ("imeisha kwa sasa" in reply or "haipatikani" in reply), reply
    assert "nikuwekee" not in reply.lower(), reply  # no offer to set aside what is not there


@pytest.mark.parametrize(("first", "then", "customer"), [
    ("timberland boots ziko?", "sawa nikuwekee moja size 42 basi zikiingia", "254719500002"),
    ("do you have timberland boots?", "ok please keep one size 43 for me when they are back", "254719500003"),
    ("mko na ndula za timberland?", "nitaarifu zikifika", "254719500004"),
    # was "imeisha, Air Force iko": the owner never heard of it (customer test s29)
    ("mko na timberland?", "timberland boots ikirudi mniambie", "254719500006"),
])
def test_one_wanted_when_it_is_back_goes_to_the_owner(conn, shop, first, then, customer):
    ask(conn, shop, first, customer)
    reply = ask(conn, shop, then, customer)
    assert reply.escalated and reply.order is None and "Timberland Boots" in reply.reply
    assert "hatuuzi" not in reply.reply and "don't sell" not in reply.reply
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s ORDER BY created_at DESC LIMIT 1",
                         (shop["id"],)).fetchone()
    assert alert is not None and then in alert["body"], alert


def test_an_available_thing_wanted_later_is_an_order_as_before(conn, shop):
    reply = ask(conn, shop, "nikuwekee air force 1 size 42 zikiingia", "254719500005")
    assert not reply.escalated
