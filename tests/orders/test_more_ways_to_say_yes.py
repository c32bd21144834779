"""More ways to say yes to the order shown: "haya", "iko sawa", "Thanks, confirm", "book it" and a thumbs-up were
thanks or the product again, and the order stayed a draft. Thanks alone ("sawa asante") is still no yes.
Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop
from tests.orders.conftest import till_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Mumias Sugar 1kg,White sugar,175,KES,true,"{""category"": ""groceries""}"
"""


@pytest.mark.parametrize(("yes", "customer"), [("haya", "254719920001"), ("iko sawa", "254719920002"),
                                               ("Thanks, confirm", "254719920003"), ("book it", "254719920004"),
                                               ("👍", "254719920005")])
def test_these_say_yes(conn, yes, customer):
    shop = till_shop(conn, CATALOGUE)
    ask(conn, shop, "nipe sukari 2", customer)
    result = ask(conn, shop, yes, customer)
    assert result.order is not None and result.order["status"] == "awaiting_payment", result.reply


def test_thanks_alone_is_no_yes(conn):
    shop = till_shop(conn, CATALOGUE)
    customer = "254719920006"
    ask(conn, shop, "nipe sukari 2", customer)
    result = ask(conn, shop, "sawa asante", customer)
    assert result.order is None or result.order["status"] == "draft", result.reply


@pytest.mark.parametrize(("yes", "customer"), [("ndio, nitapitia dukani saa kumi", "254719920007"),
                                               ("yes, I'll pick them up at 5pm", "254719920008")])
def test_a_yes_with_when_it_is_collected_is_the_yes_and_the_time_is_kept(conn, yes, customer):
    """"ndio, nitapitia dukani saa kumi" showed the order again for a second yes (owner test s26)."""
    shop = till_shop(conn, CATALOGUE)
    ask(conn, shop, "nipe sukari 2", customer)
    result = ask(conn, shop, yes, customer)
    assert result.order is not None and result.order["status"] == "awaiting_payment", result.reply
    assert result.order["fulfilment"] == "pickup" and result.order["customer_note"], result.order


def test_yes_to_the_prices_of_two_things_asked_for_orders_one_of_each(conn):
    """"Nataka sukari na maziwa" got both prices, and "ndio" then "Sawa, karibu tena" with no order (customer test
    s29). A list the customer did not name thing by thing ("nataka unga": two flours) is not ordered on a yes."""
    shop = make_shop(conn)
    ask(conn, shop, "Nataka sukari na maziwa", "254716900091")
    yes = ask(conn, shop, "ndio", "254716900091")
    assert yes.order is not None and {i["name"]: i["quantity"] for i in yes.order["items"]} == {
        "Kabras Sugar 1kg": 1, "Brookside Fresh Milk 500ml": 1}, yes.reply
    ask(conn, shop, "nataka unga", "254716900092")
    assert ask(conn, shop, "ndio", "254716900092").order is None


def test_that_one_yes_confirms_and_no_more_delete_cancels(conn):
    """"hiyo, ndio" was "Poa, tuko pamoja" and the order was never confirmed; "sitaki tena, futa" was "futa is not in
    your order" and a later "ndio" confirmed it (tester s32b)."""
    shop = make_shop(conn)
    ask(conn, shop, "nataka sukari mbili", "254719950001")
    yes = ask(conn, shop, "hiyo, ndio", "254719950001")
    assert yes.order["status"] == "awaiting_payment", yes.reply
    ask(conn, shop, "nataka sukari mbili", "254719950002")
    gone = ask(conn, shop, "sitaki tena, futa", "254719950002")
    assert gone.order["status"] == "cancelled", gone.reply
    after = ask(conn, shop, "ndio", "254719950002")
    assert after.order is None or after.order["status"] != "awaiting_payment", after.reply


def test_a_yes_written_before_the_cart_existed_does_not_confirm_it(conn):
    """During a pause, "nipe sukari 2" then "ndio" were answered together on RESUME: the order was confirmed with a
    total the customer never saw (tester s32b). The yes is kept, written before the cart; it is asked for again."""
    import uuid

    from mtaabot.conversations import Customer, get_or_create_conversation, store_inbound_message
    from mtaabot.engine import respond

    shop = make_shop(conn)
    customer = "254719950011"
    conv = get_or_create_conversation(conn, shop["id"], Customer(phone=customer))
    order_msg, _ = store_inbound_message(conn, business_id=shop["id"], conversation_id=conv["id"],
                                         content="nipe sukari 2", wamid=f"t.{uuid.uuid4().hex}")
    yes_msg, _ = store_inbound_message(conn, business_id=shop["id"], conversation_id=conv["id"], content="ndio",
                                       wamid=f"t.{uuid.uuid4().hex}")
    conn.execute("UPDATE messages SET created_at = created_at - interval '2 minutes' WHERE id = ANY(%s)",
                 ([order_msg["id"], yes_msg["id"]],))
    conn.commit()
    respond(conn, business_id=shop["id"], conversation_id=conv["id"], user_message_id=order_msg["id"])
    kept = respond(conn, business_id=shop["id"], conversation_id=conv["id"], user_message_id=yes_msg["id"])
    conn.commit()
    assert kept.order["status"] == "draft" and "NDIO" in kept.reply, kept.reply
    assert ask(conn, shop, "ndio", customer).order["status"] == "awaiting_payment"
