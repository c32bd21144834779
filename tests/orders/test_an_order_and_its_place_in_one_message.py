"""An order and where it goes, said in one message ("sawa nitumie moja deliver Kasarani", "nataka moja, mtaleta
Kitengela?", "fine send 10 to Eldoret, I'll pay on mpesa", "1 tecno please, I'm in Thika can you send via G4S"):
the place was read as a thing ("Hatuna “deliver kasarani”") or the whole message as a delivery or payment question,
and the order was lost. Now the order is drafted, to that place, the customer's words kept for the owner, and the
customer is told the owner confirms the delivery. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop, order_lines

CATALOGUE = """name,description,price,currency,is_available,metadata
Puma Suede Classic,Suede sneakers,4100,KES,true,"{""category"": ""shoes"", ""sizes"": ""38-45""}"
Itel A70 Phone,Smartphone 64GB dual sim,9800,KES,true,"{""category"": ""phones""}"
Braided Wig 16 inch,Synthetic braided wig,6500,KES,true,"{""category"": ""hair""}"
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)



@pytest.mark.parametrize(("first", "then", "lines", "place", "customer"), [
    ("puma suede size 42 iko?", "sawa nitumie moja deliver Ruiru", {("Puma Suede Classic", "size 42"): 1},
     "Ruiru", "254717000001"),
    ("braided wig bei?", "nataka moja, mtaleta Kitengela?", {("Braided Wig 16 inch", None): 1}, "Kitengela",
     "254717000002"),
    ("itel a70 ni ngapi", "fine send 3 to Eldoret, I'll pay on mpesa", {("Itel A70 Phone", None): 3}, "Eldoret",
     "254717000003"),
    ("habari", "ok. 1 itel a70 please, I'm in Thika can you send via G4S", {("Itel A70 Phone", None): 1}, "Thika",
     "254717000004"),
    ("itel a70 iko?", "nunua moja, nitalipa ukileta kwa gate ya Kenyatta hospital", {("Itel A70 Phone", None): 1},
     "gate ya Kenyatta hospital", "254717000005"),
    ("puma suede size 40", "nipe mbili nitumie Kitengela", {("Puma Suede Classic", "size 40"): 2}, "Kitengela",
     "254717000007"),
    ("itel a70 bei?", "ok niletee Pipeline, nitalipa cash", {("Itel A70 Phone", None): 1}, "Pipeline",
     "254717000008"),
    # the place asked first (the delivery answer, no order; customer test s30)
    ("habari", "Mnatuma mpaka Mombasa? Nataka puma suede size 42 pair moja", {("Puma Suede Classic", "size 42"): 1},
     "Mombasa", "254717000009"),
])
def test_the_order_goes_to_the_place_said_with_it(conn, shop, first, then, lines, place, customer):
    ask(conn, shop, first, customer)
    result = ask(conn, shop, then, customer)
    assert order_lines(result) == lines, result.reply
    assert result.order["fulfilment"] == "delivery" and result.order["delivery_location"] == place, result.order
    assert result.order["customer_note"] == then, result.order  # "via G4S", "nitalipa ukileta": for the owner
    assert "Hatuna" not in result.reply and "don't" not in result.reply, result.reply


def test_a_delivery_question_alone_still_drafts_nothing(conn, shop):
    result = ask(conn, shop, "mnaleta Kitengela?", "254717000006")
    assert not order_lines(result), result.reply


def test_a_thing_after_the_bring_word_is_a_thing_not_a_place(conn, shop):
    result = ask(conn, shop, "nipe itel a70, nitumie braided wig", "254717000009")
    assert order_lines(result) == {("Itel A70 Phone", None): 1, ("Braided Wig 16 inch", None): 1}, result.reply
    assert result.order["fulfilment"] != "delivery" or not result.order["delivery_location"], result.order
