"""After the yes, the order the customer has is the one talked about: "niko njiani nakuja na cash, niko na order?"
drafted a second phone, "Nataka kulipia order yangu, ni paybill gani?" got only "waiting for payment" (no paybill)
and "niko na order?" the generic delivery answer (customer test of session 24). Catalogue and sentences are this
file's own."""

from __future__ import annotations

import pytest

from mtaabot.orders.checkout import set_payment_settings
from tests.engine.conftest import ask, make_shop, order_lines

CATALOGUE = """name,description,price,currency,is_available,metadata
Itel it2163,Basic button phone with torch,1650,KES,true,"{""category"": ""phones""}"
Oraimo Earphones,Wired earphones,450,KES,true,"{""category"": ""audio""}"
"""


@pytest.fixture
def shop(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    set_payment_settings(conn, shop["id"], till="5987654")
    conn.commit()
    return shop


def _confirmed(conn, shop, customer):
    ask(conn, shop, "nipe itel it2163 mbili", customer)
    return ask(conn, shop, "ndio", customer)


def _orders(conn, shop) -> int:
    return conn.execute("SELECT count(*) AS n FROM orders WHERE business_id = %s", (shop["id"],)).fetchone()["n"]


def test_on_my_way_with_cash_do_i_have_an_order_is_that_order(conn, shop):
    confirmed = _confirmed(conn, shop, "254712500001")
    result = ask(conn, shop, "niko njiani nakuja na cash, niko na order?", "254712500001")
    assert _orders(conn, shop) == 1 and result.order["number"] == confirmed.order["number"], result.reply
    assert order_lines(result) == {("Itel it2163", None): 2}, result.reply


def test_which_paybill_for_my_order_gives_the_till_and_the_amount(conn, shop):
    _confirmed(conn, shop, "254712500002")
    result = ask(conn, shop, "Nataka kulipia order yangu, ni paybill gani?", "254712500002")
    assert "5987654" in result.reply and "3,300" in result.reply, result.reply


def test_do_i_have_an_order_is_its_status(conn, shop):
    confirmed = _confirmed(conn, shop, "254712500003")
    result = ask(conn, shop, "niko na order?", "254712500003")
    assert result.order is not None and result.order["number"] == confirmed.order["number"], result.reply
    assert f"#{confirmed.order['number']}" in result.reply, result.reply


def test_a_size_changed_after_the_yes_changes_that_pair_only(conn):
    shoes = make_shop(conn, catalogue="""name,description,price,currency,is_available,metadata
Converse All Star,Canvas high-tops,2900,KES,true,"{""sizes"": ""36-45""}"
Shoe Shine Kit,Polish and brush,400,KES,true,{}
""")
    customer = "254712500004"
    ask(conn, shoes, "nataka converse size 42 na size 44 na shoe shine kit", customer)
    ask(conn, shoes, "ndio", customer)
    result = ask(conn, shoes, "boss ile size 44 ibadilishe iwe 45 tafadhali", customer)
    assert order_lines(result) == {("Converse All Star", "size 42"): 1, ("Converse All Star", "size 45"): 1,
                                   ("Shoe Shine Kit", None): 1}, result.reply


def test_the_same_as_last_time_is_the_earlier_order_again(conn, shop):
    """"Mama njeri nitumie ile order kama ya last time, same vitu" was "we don't sell that" (customer test, s24)."""
    first = _confirmed(conn, shop, "254712500005")
    conn.execute("UPDATE orders SET status = 'fulfilled' WHERE id = %s", (first.order["id"],))
    conn.commit()
    again = ask(conn, shop, "nitumie ile order kama ya last time, same vitu", "254712500005")
    assert order_lines(again) == {("Itel it2163", None): 2}, again.reply
    assert again.order["number"] != first.order["number"] and again.order["status"] == "draft", again.order
