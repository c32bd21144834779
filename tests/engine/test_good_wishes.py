"""Good wishes and goodbyes are answered in kind, and "open" on a date asks the hours: "Merry Christmas mama njeri na familia!", "usiku mwema mama" and
"Good morning, God bless you" were "we don't sell that" or the opening hours (customer test, session 24). The
sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop


@pytest.mark.parametrize(("text", "customer", "said"), [
    ("Merry Christmas mama njeri na familia!", "254719400001", "sikukuu"),
    ("Happy holidays! 🎄", "254719400002", "holidays"),
    ("usiku mwema mama", "254719400003", "nawe pia"),
    ("Good morning, God bless you", "254719400004", "same to you"),
])
def test_good_wishes_are_answered_in_kind(conn, text, customer, said):
    """Seasonal greetings and goodbyes were "we don't sell that" or the opening hours (customer test, session 24)."""
    shop = make_shop(conn)
    reply = ask(conn, shop, text, customer).reply
    assert said in reply, reply
    assert "hatuuzi" not in reply and "don't sell" not in reply and "Tunafungua" not in reply, reply


def test_open_on_a_date_asks_the_hours_not_for_open_sandals(conn):
    """"mko open 24th na 26th?" was "Open Sandals iko, ni KES 900" (customer test, session 24)."""
    shop = make_shop(conn, catalogue="name,description,price,currency,is_available,metadata\n"
                                     "Open Sandals,Leather sandals,900,KES,true,{}\n", opening_hours="Mon-Sat 8am-7pm")
    reply = ask(conn, shop, "mko open 24th na 26th?", "254719400005")
    assert reply.intent == "hours" and "900" not in reply.reply, reply.reply


@pytest.mark.parametrize(("text", "customer"), [
    ("Need black school shoes for January opening, size 30", "254719400008"),
    ("viatu vya shule size 30, shule zikifunguliwa", "254719400009"),
])
def test_schools_opening_is_no_question_about_the_shop_s_hours(conn, text, customer):
    """"Need black school shoes for January opening" was answered with the opening hours (customer test s24)."""
    shop = make_shop(conn, catalogue="name,description,price,currency,is_available,metadata\n"
                                     "School Shoes Black,Black school shoes for kids,1500,KES,true,{}\n",
                     opening_hours="Mon-Sat 8am-7pm")
    reply = ask(conn, shop, text, customer)
    assert reply.intent != "hours" and "1,500" in reply.reply, reply.reply


def test_photos_asked_for_go_to_the_owner_with_the_price(conn):
    """"nitumie picha za block heels nione kwanza" got the price only, and "picha je?" "we don't sell that"; a
    shop selling passport photos still sells them (customer test, session 24)."""
    shop = make_shop(conn, catalogue="name,description,price,currency,is_available,metadata\n"
                                     "Block Heels,Ladies block heels,2200,KES,true,{}\n"
                                     "Passport Photos (4),Four passport photos,200,KES,true,{}\n")
    reply = ask(conn, shop, "nitumie picha za block heels nione kwanza", "254719400006")
    assert "2,200" in reply.reply and "picha" in reply.reply.lower() and reply.intent == "product_question", reply.reply
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s ORDER BY created_at DESC LIMIT 1",
                         (shop["id"],)).fetchone()
    assert alert is not None and "Block Heels" in alert["body"], alert
    assert ask(conn, shop, "passport photos how much", "254719400007").intent != "product_question"


def test_a_greeting_that_asks_after_the_shop_is_a_greeting(conn):
    """"habari za jioni mama, mko salama?" was "we don't sell that" (customer test s28); a greeting with a question in
    it stays that question."""
    from tests.engine.conftest import ask, make_shop

    shop = make_shop(conn)
    hello = ask(conn, shop, "habari za jioni mama, mko salama nyote?", "254718960001")
    assert hello.intent == "greeting" and "hatuuzi" not in hello.reply.lower(), hello.reply
    asked = ask(conn, shop, "habari mama, mna mchele?", "254718960002")
    assert asked.intent != "greeting" and "KES" in asked.reply, asked.reply
