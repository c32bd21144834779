"""Numbers, places and yeses in an order chat: a shoe's size written without "size" is its size (never 41 pairs),
sizes listed after a count are which ones of that count, a count said with a product whose name has a number is
how many, a place to bring the order to is no complaint, and a yes to something other than the order keeps the
order in view. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Air Jordan 1 Low,Leather sneakers,5200,KES,true,"{""sizes"": ""40-45""}"
Bata Toughees,Black school shoes for children,1800,KES,true,"{""sizes"": ""27-38""}"
Mumias Sugar 2kg,White sugar packet,330,KES,true,{}
Blue Band 500g,Margarine tub,280,KES,true,{}
"""


@pytest.fixture
def shop(conn):
    return make_shop(conn, catalogue=CATALOGUE)


def _items(reply):
    return [(i["name"], i["quantity"], i.get("variant")) for i in reply.order["items"]]


@pytest.mark.parametrize(("text", "customer"), [
    ("nipe toughees 33", "254716700001"),
    ("toughees 30 moja", "254716700002"),
])
def test_a_size_written_without_the_word_size_is_the_size(conn, shop, text, customer):
    order = ask(conn, shop, text, customer)
    assert len(order.order["items"]) == 1 and order.order["items"][0]["quantity"] == 1, order.reply
    assert "KES 1,800" in order.reply and "(size 3" in order.reply, order.reply


def test_a_count_of_pairs_stays_a_count(conn, shop):
    order = ask(conn, shop, "nataka toughees 20 pairs za shule", "254716700003")
    assert _items(order)[0][:2] == ("Bata Toughees", 20), order.reply


def test_sizes_after_a_count_say_which_ones(conn, shop):
    customer = "254716700004"
    ask(conn, shop, "toughees ni ngapi?", customer)
    order = ask(conn, shop, "ok 3 pairs, sizes 28, 30 and 32", customer)
    assert sorted(_items(order)) == [("Bata Toughees", 1, f"size {n}") for n in (28, 30, 32)], order.reply
    assert "KES 5,400" in order.reply, order.reply


def test_a_count_of_a_product_named_with_a_number_is_how_many(conn, shop):
    customer = "254716700005"
    ask(conn, shop, "jordan 1 size 42 nipe 2", customer)
    fixed = ask(conn, shop, "ah sorry nataka 1 tu", customer)
    assert "1 × Air Jordan 1 Low" in fixed.reply and "KES 5,200" in fixed.reply, fixed.reply
    assert _items(fixed)[0][1] == 1


def test_too_many_make_it_three_changes_the_count_not_a_discount(conn, shop):
    customer = "254716700006"
    ask(conn, shop, "nipe mumias sugar 5", customer)
    fixed = ask(conn, shop, "ah ni mingi sana, fanya 3", customer)
    assert "3 × Mumias Sugar 2kg" in fixed.reply and "KES 990" in fixed.reply, fixed.reply
    assert fixed.intent != "discount"


@pytest.mark.parametrize(("place_msg", "place", "customer"), [
    ("unaleta hadi githurai 45", "githurai 45", "254716700011"),
    ("niletewe ruai", "ruai", "254716700012"),
])
def test_where_to_bring_the_order_is_no_complaint(conn, shop, place_msg, place, customer):
    ask(conn, shop, "nipe blue band 2", customer)
    told = ask(conn, shop, place_msg, customer)
    assert not told.escalated, told.reply
    assert told.order is not None and told.order["fulfilment"] == "delivery", told.reply
    assert told.order["delivery_location"].lower() == place, told.order
    done = ask(conn, shop, "ndio", customer)
    assert done.intent == "order_confirm" and "KES 560" in done.reply, done.reply


def test_a_yes_after_a_price_question_keeps_the_order_and_adds_what_was_offered(conn, shop):
    customer = "254716700013"
    ask(conn, shop, "nipe mumias sugar 2", customer)
    ask(conn, shop, "blue band bei gani?", customer)
    added = ask(conn, shop, "sawa ndio", customer)
    assert sorted(i["name"] for i in added.order["items"]) == ["Blue Band 500g", "Mumias Sugar 2kg"], added.reply
    done = ask(conn, shop, "ndio", customer)
    assert done.intent == "order_confirm" and "KES 940" in done.reply, done.reply


def test_ok_i_want_it_after_a_price_is_an_order(conn, shop):
    customer = "254716700014"
    ask(conn, shop, "blue band iko?", customer)
    order = ask(conn, shop, "sawa nataka", customer)
    assert order.order is not None and _items(order)[0][:2] == ("Blue Band 500g", 1), order.reply


@pytest.mark.parametrize(("asked", "take", "line", "customer"), [
    ("mumias sugar bei gani?", "sawa nipe kwa 330", "1 × Mumias Sugar 2kg", "254716700021"),  # its price
    ("blue band iko?", "ok 500 mbili", "2 × Blue Band 500g", "254716700022"),  # its pack's measure
])
def test_the_price_or_the_pack_said_back_is_no_count(conn, shop, asked, take, line, customer):
    ask(conn, shop, asked, customer)
    order = ask(conn, shop, take, customer)
    assert line in order.reply and "nyingi" not in order.reply, order.reply


def test_the_second_line_taken_out_by_its_place(conn, shop):
    customer = "254716700031"
    order = ask(conn, shop, "nipe blue band moja na mumias sugar 2", customer)
    second = order.order["items"][1]["name"]
    fewer = ask(conn, shop, "hiyo ya pili toa", customer)
    assert [i["name"] for i in fewer.order["items"]] == [order.order["items"][0]["name"]], fewer.reply
    assert second in fewer.reply and "haiko" not in fewer.reply, fewer.reply


def test_a_pleased_word_is_no_thing_asked_for(conn, shop):
    customer = "254716700032"
    ask(conn, shop, "blue band bei gani?", customer)
    order = ask(conn, shop, "great, nipe 2", customer)
    assert "2 × Blue Band 500g" in order.reply and "great" not in order.reply.lower(), order.reply


def test_coming_for_the_order_is_a_pickup_not_a_delivery_question(conn, shop):
    customer = "254716700041"
    order = ask(conn, shop, "mumias sugar mbili nipe", customer)  # the request said last
    assert order.order is not None and "2 × Mumias Sugar 2kg" in order.reply, order.reply
    coming = ask(conn, shop, "nitakuja saa kumi jioni", customer)
    assert coming.order["fulfilment"] == "pickup" and coming.order["delivery_location"] is None, coming.reply
    assert "leta" not in coming.reply.lower() and "deliver" not in coming.reply.lower(), coming.reply
    done = ask(conn, shop, "ndio", customer)
    assert done.intent == "order_confirm" and "KES 660" in done.reply, done.reply


@pytest.mark.parametrize(("said", "place", "confirmed", "customer"), [
    ("sawa nataka moja, niko kitengela", "kitengela", False, "254716700051"),
    ("ni sawa, nitalipa cash on delivery, niko syokimau", "syokimau", True, "254716700052"),
])
def test_where_i_am_said_after_the_first_clause_is_the_delivery_place(conn, shop, said, place, confirmed, customer):
    ask(conn, shop, "nipe blue band 2", customer)
    reply = ask(conn, shop, said, customer)
    row = conn.execute("SELECT status, fulfilment, delivery_location FROM orders WHERE conversation_id = "
                       "(SELECT conversation_id FROM messages WHERE id = %s)", (reply.user_message_id,)).fetchone()
    assert row["fulfilment"] == "delivery" and row["delivery_location"].lower() == place, (row, reply.reply)
    assert (row["status"] == "awaiting_payment") == confirmed, (row, reply.reply)
