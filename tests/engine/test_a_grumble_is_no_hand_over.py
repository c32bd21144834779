"""What sounded like a complaint to the learned head but is shopping (customer test s28): each handed the chat to the
owner and the customer's next message went unanswered. Tired of another shop's prices, a change of mind about the
order, a price that went up: the bot answers (a price gone up is also passed to the owner as a price matter).
Sentences are this file's own."""

from __future__ import annotations

from mtaabot.orders.checkout import set_payment_settings
from tests.engine.conftest import ask, make_shop


def test_tired_of_another_shop_s_prices_is_a_price_question(conn):
    shop = make_shop(conn)
    reply = ask(conn, shop, "nimechoka na bei za naivas, nyinyi ni wazuri. mchele ni ngapi", "254718940001")
    assert not reply.escalated and "KES" in reply.reply, reply.reply


def test_a_change_of_mind_about_the_order_takes_the_thing_out(conn):
    shop = make_shop(conn)
    ask(conn, shop, "nataka mchele 3 na maziwa 2", "254718940002")
    reply = ask(conn, shop, "kumbe mchele nimebadilisha mind, toa yote", "254718940002")
    assert not reply.escalated, reply.reply
    assert [i["name"] for i in reply.order["items"]] == ["Brookside Fresh Milk 500ml"], reply.reply


def test_a_price_gone_up_is_answered_and_the_next_order_too(conn):
    shop = make_shop(conn)
    reply = ask(conn, shop, "mchele mbona imepanda bei hivi, mwezi jana ilikuwa 150", "254718940003")
    assert not reply.escalated and "KES" in reply.reply, reply.reply
    reply = ask(conn, shop, "sawa nipe mbili tu", "254718940003")
    assert reply.order is not None and reply.order["items"][0]["quantity"] == 2, reply.reply


def test_buying_said_beside_words_that_sound_like_trouble_is_no_hand_over(conn):
    """Each was a complaint hand-over and the sale was lost (customer test s28b): a police officer buying, a refund
    said not to be wanted, a thing of the customer's stolen or worn out and a new one wanted, the shop praised."""
    shop = make_shop(conn)
    for n, text in enumerate([
        "Police officer here from Kasarani station, nataka mchele mbili",
        "sitaki refund wala nini, nataka tu mchele mbili",
        "gunia langu la mchele liliibiwa jana, nataka mchele kilo tano",
        "mchele wenu haujawahi kuwa mbaya, nipe mbili",
        # a trouble of the past, put right (customer test s29b: the buyer's next question went unanswered)
        "Nilikuwa na problem na mchele wenu ya kwanza lakini ilikuwa sawa baadaye. Sasa nataka sukari mbili",
    ]):
        reply = ask(conn, shop, text, f"25471894001{n}")
        assert not reply.escalated, (text, reply.intent, reply.reply)


def test_a_police_station_to_deliver_near_is_a_place_and_a_threat_is_still_a_threat(conn):
    """"Niletee gas 6kg hapa karibu na police station ya Kasarani" was a complaint hand-over, and the buyer's "hello?"
    after it went unanswered (customer test s29)."""
    shop = make_shop(conn)
    for n, text in enumerate(["Niletee mchele mbili hapa karibu na police station ya Kasarani",
                              "nataka mchele moja, niletee Umoja karibu na police post"]):
        reply = ask(conn, shop, text, f"25471894002{n}")
        assert not reply.escalated and reply.order is not None, (text, reply.intent, reply.reply)
    threat = ask(conn, shop, "mchele mliniuzia ulikuwa na mawe, nitawapeleka police station", "254718940029")
    assert threat.escalated, threat.reply


def test_a_late_delivery_goes_to_the_owner(conn):
    """"boss mzigo wangu umechelewa masaa matatu" was 'we don't sell that' (customer test s28b)."""
    shop = make_shop(conn)
    for n, text in enumerate(["boss oda yangu imechelewa sana leo, iko wapi?",
                              "my order still hasn't arrived and it was supposed to come in the morning"]):
        reply = ask(conn, shop, text, f"25471894002{n}")
        assert reply.escalated and reply.intent == "complaint", (text, reply.intent, reply.reply)


def test_money_asked_for_in_the_shop_s_name_is_warned_about_at_once(conn):
    """"Kuna mtu amenitumia sms eti ni Simu Poa nimeshinda simu, nitume 1000. Ni nyinyi?" was handed over with "the
    owner replies from 09:00" and no word not to pay (customer test s29): the customer hears where the shop takes money
    (nowhere else), and the owner still gets the chat."""
    shop = make_shop(conn)
    set_payment_settings(conn, shop["id"], till="5123456")
    conn.commit()
    reply = ask(conn, shop, "Kuna mtu amenitumia sms eti ni duka lenu nimeshinda zawadi, nitume 1000. Ni nyinyi?",
                "254718940031")
    assert reply.escalated and "5123456" in reply.reply and "usitume pesa" in reply.reply.lower(), reply.reply
