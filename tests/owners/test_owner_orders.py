"""What a shop owner sees about orders on their own WhatsApp (alerts pushed to them, ODA / ORDERS answers), on a
real database: sizes and colours to pack, the customer's payment claim and its M-Pesa code, one code given for
two orders, a moved booking, and every alert in the owner's language."""

from __future__ import annotations

import re
import string
from decimal import Decimal

import pytest

from mtaabot.messages import catalogue
from mtaabot.orders import checkout
from mtaabot.owners.registry import add_trusted_owner
from tests.engine.conftest import ask, make_salon, make_shop

OWNER = "254700000888"
SHOES = ("name,description,price,currency,is_available,metadata\n"
         "Nike Air Force 1 White,\"Classic white low-top sneakers (viatu), sizes 38 to 45\",3500,KES,true,"
         "\"{\"\"sizes\"\": \"\"38-45\"\", \"\"color\"\": \"\"white\"\"}\"\n"
         "Adidas Superstar,\"Black and white shell-toe sneakers, sizes 39 to 44\",3200,KES,true,"
         "\"{\"\"sizes\"\": \"\"39-44\"\"}\"\n")
SALON = ("name,description,price,currency,is_available,metadata\n"
         "Box Braids,Long box braids (kusuka nywele) with extensions,2500,KES,true,\n"
         "Manicure,Nail care (kucha) and polish,500,KES,true,\n")


@pytest.fixture(autouse=True)
def _alerts_at_once(monkeypatch):
    monkeypatch.setenv("MTAABOT_OWNER_QUIET_HOURS", "off")


def _owned(conn, shop):
    add_trusted_owner(conn, shop["id"], OWNER)
    conn.commit()
    return shop


@pytest.fixture
def shoes(conn):
    return _owned(conn, make_shop(conn, catalogue=SHOES, opening_hours="Daily 0:00-23:59"))


@pytest.fixture
def salon(conn):
    return _owned(conn, make_salon(conn, SALON, minutes=60))


@pytest.fixture
def duka(conn):
    return _owned(conn, make_shop(conn, opening_hours="Daily 0:00-23:59"))


def owner_alerts(conn, shop) -> list[str]:
    """Each alert as it went to the owner's WhatsApp (numbered "🔔 #n ..."), oldest first."""
    texts = [r["content"] for r in conn.execute(
        """SELECT m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id
           WHERE c.business_id = %s AND c.customer_phone = %s AND m.role = 'bot' AND m.intent = 'owner_alert'
           ORDER BY m.created_at""", (shop["id"], OWNER))]
    return [a.strip() for t in texts for a in re.split(r"\n\n(?=🔔)", t)]


def test_the_owner_sees_each_lines_size_in_the_new_order_alert_and_in_oda(conn, shoes):
    """A shoe shop owner saw "2 × Nike Air Force 1 White" in the alert and in ODA, never which size to pack."""
    customer = "254712800001"
    ask(conn, shoes, "nataka AF1 mbili size 44", customer=customer)
    order = ask(conn, shoes, "ndio", customer=customer).order
    assert order["status"] == "awaiting_payment" and order["items"][0]["variant"] == "size 44"
    [alert] = [a for a in owner_alerts(conn, shoes) if f"#{order['number']}" in a]
    assert "2× Nike Air Force 1 White (size 44)" in alert
    listed = ask(conn, shoes, "ODA", customer=OWNER)
    assert f"#{order['number']}" in listed.reply and "Nike Air Force 1 White (size 44)" in listed.reply
    detail = ask(conn, shoes, f"ODA {order['number']}", customer=OWNER)
    assert "2× Nike Air Force 1 White (size 44)" in detail.reply and "KES 3,500" in detail.reply
    assert "THIBITISHA" in detail.reply


@pytest.mark.parametrize(("claim", "code"), [("nimelipa QAB12CD34E", "QAB12CD34E"),
                                             ("I have paid, code RKT45XY9ZQ", "RKT45XY9ZQ")])
def test_oda_shows_that_the_customer_says_they_paid_and_the_mpesa_code(conn, duka, claim, code):
    """"nimelipa QAB12CD34E" alerted the owner once; ODA later showed only "waiting for payment"."""
    customer = "254712800011"
    ask(conn, duka, "nipe sukari mbili", customer=customer)
    order = ask(conn, duka, "ndio", customer=customer).order
    ask(conn, duka, claim, customer=customer)
    listed = ask(conn, duka, "ODA", customer=OWNER)
    line = next(ln for ln in listed.reply.splitlines() if ln.startswith(f"#{order['number']} "))
    assert "mteja anasema amelipa" in line and code in line
    english = ask(conn, duka, f"ORDERS {order['number']}", customer=OWNER)
    assert "the customer says they paid" in english.reply and code in english.reply


def test_one_mpesa_code_given_for_two_orders_warns_the_owner(conn, duka):
    """A customer claimed two orders paid with one code; both alerts looked the same and the owner confirmed both."""
    first_customer, second_customer = "254712800021", "254712800022"
    ask(conn, duka, "nipe sukari mbili", customer=first_customer)
    first = ask(conn, duka, "ndio", customer=first_customer).order
    ask(conn, duka, "nimelipa QAB12CD34E", customer=first_customer)
    ask(conn, duka, "nipe mafuta moja", customer=second_customer)
    second = ask(conn, duka, "ndio", customer=second_customer).order
    ask(conn, duka, "nimelipa QAB12CD34E", customer=second_customer)
    alerts = owner_alerts(conn, duka)
    [first_claim] = [a for a in alerts if f"oda #{first['number']} (" in a]
    [second_claim] = [a for a in alerts if f"oda #{second['number']} (" in a]
    assert "⚠️" not in first_claim
    assert "QAB12CD34E" in second_claim and f"ilishatolewa kwa oda #{first['number']}" in second_claim
    listed = ask(conn, duka, "ODA", customer=OWNER).reply
    second_line = next(ln for ln in listed.splitlines() if ln.startswith(f"#{second['number']} "))
    assert f"oda #{first['number']}" in second_line
    # another shop's order with the same code is no warning here
    other = _owned(conn, make_shop(conn, opening_hours="Daily 0:00-23:59"))
    ask(conn, other, "nipe sukari mbili", customer=first_customer)
    ask(conn, other, "ndio", customer=first_customer)
    ask(conn, other, "nimelipa QAB12CD34E", customer=first_customer)
    assert not [a for a in owner_alerts(conn, other) if "⚠️" in a]


@pytest.mark.parametrize(("book", "yes", "move", "yes_again", "customer"), [
    ("nataka manicure Jumamosi saa nne", "ndio", "naeza badilisha iwe Jumanne saa tatu asubuhi?", "ndio",
     "254712800031"),
    ("Book a manicure on Saturday at 10am", "yes", "please move it to Tuesday at 9am", "yes", "254712800032"),
])
def test_a_moved_booking_tells_the_owner_it_moved_not_a_second_booking(conn, salon, book, yes, move, yes_again,
                                                                       customer):
    """After "badilisha iwe Jumanne saa tatu" and yes, the owner got a second "New booking" alert. The move keeps the
    booking confirmed and tells the owner at once (s25: a move made it a draft the owner no longer saw); a "yes"
    after it tells the owner nothing more."""
    ask(conn, salon, book, customer=customer)
    booked = ask(conn, salon, yes, customer=customer).order
    moved = ask(conn, salon, move, customer=customer).order
    ask(conn, salon, yes_again, customer=customer)
    assert moved["id"] == booked["id"] and moved["status"] == "awaiting_payment"
    about = [a for a in owner_alerts(conn, salon) if f"#{booked['number']}" in a]
    assert len(about) == 2 and "Miadi mpya" in about[0] and "Sat" in about[0] and "10:00" in about[0]
    assert "mpya #" not in about[1] and "imehamishwa" in about[1]
    assert re.search(r"kutoka Sat \d\d \w+ 10:00 hadi Tue \d\d \w+ 09:00", about[1]), about[1]



def test_an_order_confirmed_again_after_a_price_change_is_no_second_new_order(conn, duka):
    """The same order, put back to the customer after a price change and confirmed again, was a second "New order"."""
    customer = "254712800061"
    ask(conn, duka, "nipe sukari mbili", customer=customer)
    first = ask(conn, duka, "ndio", customer=customer).order
    assert "KES 200" in ask(conn, duka, "BEI kabras sugar 200", customer=OWNER).reply
    again = ask(conn, duka, "lipa tena", customer=customer)
    assert again.order["status"] == "draft" and "KES 400" in again.reply
    assert ask(conn, duka, "ndio", customer=customer).order["status"] == "awaiting_payment"
    about = [a for a in owner_alerts(conn, duka) if f"#{first['number']}" in a]
    assert len(about) == 2 and "Oda mpya" in about[0] and "KES 360" in about[0]
    assert "Oda mpya" not in about[1] and "imethibitishwa tena" in about[1] and "KES 400" in about[1]

def _paying(conn, shop, customer: str) -> dict:
    ask(conn, shop, "nipe sukari mbili", customer=customer)
    order = ask(conn, shop, "ndio", customer=customer).order
    return conn.execute(
        """INSERT INTO order_payments (business_id, order_id, status, amount_kes, phone, transaction_type, party_b,
                                       account_reference)
           VALUES (%s, %s, 'pending', 380, %s, 'CustomerBuyGoodsOnline', '5123456', 'MTAA')
           RETURNING *""", (shop["id"], order["id"], customer)).fetchone()


@pytest.mark.parametrize(("owner_said", "new", "claimed", "held"), [
    ("ODA", "Oda mpya #", "anasema amelipia oda #", "M-Pesa imeripoti malipo yasiyolingana na KES 380"),
    ("ORDERS", "New order #", "says they paid order #", "does not match the KES 380 asked"),
])
def test_order_alerts_are_in_the_language_the_owner_last_wrote_in(conn, duka, owner_said, new, claimed, held):
    """An owner writing Swahili got "Order #3: M-Pesa reported a payment that does not match..." and the new-order
    and payment-claim alerts in English."""
    ask(conn, duka, owner_said, customer=OWNER)
    payment = _paying(conn, duka, "254712800041")
    ask(conn, duka, "nimelipa QAB12CD34E", customer="254712800041")
    checkout.hold(conn, payment, code=0, desc="ok", amount=Decimal(100), reason="the callback says KES 100.00 was "
                  "paid, KES 380.00 was asked", raw={})
    conn.commit()
    alerts = owner_alerts(conn, duka)
    assert any(new in a for a in alerts) and any(claimed in a for a in alerts)
    [held_alert] = [a for a in alerts if held in a]
    assert "KES 100" in held_alert
    other = "New order #" if owner_said == "ODA" else "Oda mpya #"
    assert not any(other in a for a in alerts)


def test_an_owner_who_never_wrote_gets_swahili_and_english_when_they_write_english(conn, duka):
    customer = "254712800051"
    ask(conn, duka, "nipe sukari mbili", customer=customer)
    ask(conn, duka, "ndio", customer=customer)
    assert "Oda mpya #" in owner_alerts(conn, duka)[-1]
    ask(conn, duka, "TODAY", customer=OWNER)
    ask(conn, duka, "cancel order", customer=customer)
    assert "was cancelled by the customer" in owner_alerts(conn, duka)[-1]


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_owner_texts_are_in_swahili_and_english_with_the_same_fields():
    english_words = {"the", "and", "your", "you", "is", "are", "please", "with", "for", "of", "to", "was", "order"}
    for section in ("owner_alert", "owner_orders"):
        for key, by_lang in catalogue()[section].items():
            assert set(by_lang) == {"SWA", "ENG"}, (section, key)
            assert _fields(by_lang["SWA"]) == _fields(by_lang["ENG"]), (section, key)
            words = set(re.findall(r"[a-z']+", re.sub(r"\{[^}]*\}", " ", by_lang["SWA"].lower())))
            assert not words & english_words, (section, key, by_lang["SWA"])


@pytest.mark.parametrize(("owner_said", "expected"), [
    (None, "254712800071 anakuhitaji kwenye WhatsApp (ameomba kuongea na mtu)."),
    ("TODAY", "254712800071 needs you on WhatsApp (customer request)."),
])
def test_a_hand_over_without_its_own_text_is_in_the_owners_language(conn, duka, owner_said, expected):
    """A customer's "talk to a person" button and a bot error alerted "<who> needs you on WhatsApp (customer
    request)" in English whatever the owner writes."""
    from mtaabot.conversations import Customer, escalate, get_or_create_conversation

    if owner_said:
        ask(conn, duka, owner_said, customer=OWNER)
    conv = get_or_create_conversation(conn, duka["id"], Customer(phone="254712800071"))
    escalate(conn, conv["id"], "customer_request")
    conn.commit()
    assert expected in owner_alerts(conn, duka)[-1]


@pytest.mark.parametrize(("owner_said", "paid", "person"), [
    (None, "254712800081 anasema amelipa, lakini hakuna oda yake", "anakuhitaji kwenye WhatsApp"),
    ("TODAY", "254712800081 says they paid, but there is no order of theirs", "needs you on WhatsApp"),
])
def test_the_engines_alerts_are_in_the_owners_language(conn, duka, owner_said, paid, person):
    """"Nimetuma pesa" with no order and a customer asking for a person alerted the owner in English only."""
    if owner_said:
        ask(conn, duka, owner_said, customer=OWNER)
    said = "Nimetuma pesa kwa M-Pesa, mmepokea?"
    assert ask(conn, duka, said, customer="254712800081").intent == "payment"
    assert paid in owner_alerts(conn, duka)[-1] and said in owner_alerts(conn, duka)[-1]
    wants = "nataka kuongea na mtu tafadhali"
    assert ask(conn, duka, wants, customer="254712800082").escalated
    assert person in owner_alerts(conn, duka)[-1] and wants in owner_alerts(conn, duka)[-1]


def test_ai_paused_and_suspension_notices_are_in_the_owners_language(conn, duka, monkeypatch):
    """"MtaaBot AI replies for ... are paused" and "MtaaBot has suspended ..." reached a Swahili-writing owner in
    English."""
    from mtaabot.billing.gate import check_ai_allowed
    from mtaabot.operator import reactivate, suspend

    ask(conn, duka, "ODA", customer=OWNER)
    monkeypatch.setenv("MTAABOT_DAILY_AI_BUDGET", "1")
    ask(conn, duka, "sukari bei gani?", customer="254712800091")
    assert not check_ai_allowed(conn, duka["id"]).allowed
    conn.commit()
    [paused] = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'ai_budget'",
                            (duka["id"],)).fetchall()  # the dashboard notice
    assert "Majibu ya AI ya MtaaBot" in paused["body"] and "kikomo cha leo" in paused["body"]
    monkeypatch.setenv("MTAABOT_DAILY_AI_BUDGET", "0")
    suspend(conn, duka["id"], "malalamiko ya spam", actor="test")
    reactivate(conn, duka["id"], actor="test")
    conn.commit()
    alerts = owner_alerts(conn, duka)
    assert any("MtaaBot imesimamisha" in a and "malalamiko ya spam" in a for a in alerts)
    assert any("MtaaBot imeondoa usimamishaji" in a for a in alerts)


@pytest.mark.parametrize(("said", "customer", "reply", "claim"), [
    ("nimelipa 500", "254712800101", "ya namba hii", ["KES 500"]),
    ("I ordered yesterday and paid, where is my order?", "254712800102", "for this number", []),
    ("nimetuma pesa QAB12CD34E", "254712800103", "ya namba hii", ["QAB12CD34E"]),
])
def test_a_payment_claim_with_no_order_says_none_was_found_and_gives_the_owner_the_claim(conn, duka, said, customer,
                                                                                     reply, claim):
    """"nimelipa 500" from a customer with no order got "the owner will confirm your payment" as if there were one,
    and the owner's alert had neither the amount nor the M-Pesa code to look for, nor how to answer the customer."""
    result = ask(conn, duka, said, customer=customer)
    assert result.intent == "payment" and result.order is None
    assert reply in result.reply and ("mwenye duka" in result.reply or "owner" in result.reply)
    # the amount said is written back as the customer's amount, never as a catalogue price (KES 500)
    assert "KES" not in result.reply and ("500" in said) == ("500" in result.reply)
    alert = owner_alerts(conn, duka)[-1]
    assert "hakuna oda" in alert and said in alert and all(c in alert for c in claim)
    assert re.search(r"JIBU \d+", alert) and "RUDISHA" not in alert  # answered from the alert; nothing to hand back


def test_saying_you_paid_for_an_order_already_paid_hears_where_it_is_not_that_there_is_none(conn, duka):
    """After the owner confirmed the payment, "nimelipa" got "the owner will confirm your payment" again."""
    customer = "254712800111"
    ask(conn, duka, "Nitumie sukari mbili", customer=customer)
    order = ask(conn, duka, "ndio", customer=customer).order
    ask(conn, duka, f"THIBITISHA {order['number']}", customer=OWNER)
    said = ask(conn, duka, "nimelipa tayari", customer=customer)
    assert f"#{order['number']}" in said.reply and "imelipwa" in said.reply and "Sijapata" not in said.reply


def test_a_complaint_that_gives_an_mpesa_code_is_still_a_complaint_for_the_owner(conn, duka):
    """With no order in play, a paid word and an M-Pesa code make a payment claim, unless the customer complains: then
    the chat goes to the owner as a complaint, not as "no order found"."""
    said = ask(conn, duka, "Nimelipa QAB12CD34E jana lakini sijapata mzigo, hii ni wizi!", customer="254712800121")
    assert said.escalated and said.intent == "complaint" and "namba hii" not in said.reply
