"""A booking for several people: "kwa watoto wawili", "for 3 people", "mimi na dada yangu" book the service once
for each of them (never one slot and the people read as a thing the salon doesn't do), and someone who comes along
"wanting the same" adds one more of each service booked. Catalogue and sentences are this file's own."""

from __future__ import annotations

import pytest

from mtaabot.devtools import demo
from tests.engine.conftest import ask, make_salon, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Fulani Braids,Fulani braids with beads,1800,KES,true,{}
Nail Polish Change,Old polish off and a new colour,300,KES,true,{}
Scalp Treatment,Steam and oil treatment,900,KES,true,{}
Pedicure Deluxe,Foot soak and polish,700,KES,true,{}
"""


@pytest.fixture
def salon(conn):
    return make_salon(conn, CATALOGUE, minutes=60)


def _lines(result) -> dict[str, int]:
    return {i["name"]: i["quantity"] for i in (result.order or {}).get("items", [])}


@pytest.mark.parametrize(("text", "lines", "customer"), [
    ("nataka fulani braids jumamosi saa nne kwa watoto wawili", {"Fulani Braids": 2}, "254713600001"),
    ("book a nail polish change for 3 people on saturday 11am", {"Nail Polish Change": 3}, "254713600002"),
    ("mimi na dada yangu tunataka scalp treatment ijumaa saa nane", {"Scalp Treatment": 2}, "254713600003"),
    ("sisi watatu tunataka nail polish change kesho 10am", {"Nail Polish Change": 3}, "254713600004"),
    ("nataka scalp treatment mimi na marafiki wangu wawili, kesho saa tisa", {"Scalp Treatment": 3}, "254713600005"),
    # "Hatuna 'mabeste'" above the booking (customer test s29b)
    ("nataka scalp treatment mimi na mabeste wawili, kesho saa tisa", {"Scalp Treatment": 3}, "254713600010"),
    ("naomba kubook nail polish change for two, saturday 11am", {"Nail Polish Change": 2}, "254713600006"),
    # a wedding party (customer test s29: two braids and "Hatuna 'bridesmaids'")
    ("niko na harusi jumamosi, nataka fulani braids mimi na bridesmaids wawili, saa mbili asubuhi",
     {"Fulani Braids": 3}, "254713600007"),
])
def test_a_booking_for_several_people_is_one_service_each(conn, salon, text, lines, customer):
    result = ask(conn, salon, text, customer)
    assert _lines(result) == lines, result.reply
    assert result.order["booking_at"] is not None, result.reply
    assert "Hatuna" not in result.reply and "don't" not in result.reply, result.reply
    price = {"Fulani Braids": 1800, "Nail Polish Change": 300, "Scalp Treatment": 900}
    assert f"KES {sum(price[n] * k for n, k in lines.items()):,}" in result.reply, result.reply


def test_someone_coming_along_for_the_same_adds_one_of_each_service(conn, salon):
    customer = "254713600011"
    ask(conn, salon, "nataka scalp treatment jumatatu saa tatu", customer)
    result = ask(conn, salon, "nitakuja na dada yangu pia anataka the same", customer)
    assert _lines(result) == {"Scalp Treatment": 2}, result.reply
    assert "KES 1,800" in result.reply and "dada" not in result.reply, result.reply


def test_joining_a_confirmed_booking_asks_for_the_yes_again(conn, salon):
    customer = "254713600012"
    ask(conn, salon, "book me a nail polish change friday 2pm", customer)
    ask(conn, salon, "yes", customer)
    result = ask(conn, salon, "I'll come with my friend, she wants the same", customer)
    assert _lines(result) == {"Nail Polish Change": 2} and result.order["status"] == "draft", result.reply
    assert "KES 600" in result.reply, result.reply


def test_a_companion_with_a_service_of_their_own_gets_that_service_once(conn, salon):
    customer = "254713600013"
    ask(conn, salon, "nataka fulani braids jumamosi saa tatu", customer)
    ask(conn, salon, "ndio", customer)
    result = ask(conn, salon, "nitakuja na mtoto wangu, ongeza nail polish change pia same time", customer)
    assert _lines(result) == {"Fulani Braids": 1, "Nail Polish Change": 1}, result.reply


def test_people_said_after_the_service_was_shown_book_it_for_each(conn, salon):
    customer = "254713600021"
    ask(conn, salon, "scalp treatment ni ngapi?", customer)
    result = ask(conn, salon, "nataka kwa watu wawili, mimi na mama yangu, jumamosi saa nne", customer)
    assert _lines(result) == {"Scalp Treatment": 2}, result.reply
    assert "Hatuna" not in result.reply, result.reply


def test_both_services_asked_one_by_one_for_me_and_a_friend(conn, salon):
    customer = "254713600022"
    ask(conn, salon, "how much is fulani braids", customer)
    ask(conn, salon, "and nail polish change?", customer)
    result = ask(conn, salon, "book both for me and my friend, friday 2pm", customer)
    assert _lines(result) == {"Fulani Braids": 2, "Nail Polish Change": 2}, result.reply
    assert "KES 4,200" in result.reply, result.reply


@pytest.mark.parametrize(("first", "customer"), [
    ("tunataka booking ya watu 4 jumamosi", "254713600031"),
    ("we want to book for 3 people on saturday", "254713600032"),
])
def test_a_booking_for_people_with_no_service_named_asks_which_and_keeps_the_people(conn, salon, first, customer):
    which = ask(conn, salon, first, customer)
    assert which.intent == "booking_which", which.reply
    assert "Fulani Braids" in which.reply and "Scalp Treatment" in which.reply, which.reply
    people = 4 if "4" in first else 3
    result = ask(conn, salon, "scalp treatment", customer)
    assert _lines(result) == {"Scalp Treatment": people}, result.reply


def test_work_longer_than_the_day_is_said_so_not_that_the_salon_is_closed(conn):
    shop = make_salon(conn, CATALOGUE, minutes=300)
    customer = "254713600033"
    ask(conn, shop, "nataka fulani braids kwa watu 4 jumamosi", customer)
    result = ask(conn, shop, "saa nne asubuhi", customer)
    assert "hatuko wazi" not in result.reply.lower(), result.reply
    assert "saa 20" in result.reply and "mwenye duka" in result.reply, result.reply
    assert result.order["booking_at"] is None, result.reply


def test_only_saying_who_comes_asks_what_they_have(conn, salon):
    """"mimi na rafiki yangu" after the booking was "which product?"; it asks what the friend has, and "the same"
    books each service for her too (the chat stays in its language)."""
    customer = "254713600018"
    ask(conn, salon, "nataka fulani braids na nail polish change jumatano saa tatu", customer)
    asked = ask(conn, salon, "mimi na rafiki yangu", customer)
    assert "Fulani Braids" in asked.reply and _lines(asked) == {"Fulani Braids": 1, "Nail Polish Change": 1}, \
        asked.reply
    same = ask(conn, salon, "the same", customer)
    assert _lines(same) == {"Fulani Braids": 2, "Nail Polish Change": 2}, same.reply
    assert same.language != "ENG" and "KES 4,200" in same.reply, same.reply


def test_the_others_can_have_another_service(conn, salon):
    customer = "254713600014"
    ask(conn, salon, "book a scalp treatment on thursday 10am", customer)
    ask(conn, salon, "we'll be three of us", customer)
    result = ask(conn, salon, "nail polish change", customer)
    assert _lines(result) == {"Scalp Treatment": 1, "Nail Polish Change": 2}, result.reply


def test_saying_who_comes_to_a_confirmed_booking_keeps_it_until_the_answer(conn, salon):
    customer = "254713600015"
    ask(conn, salon, "nataka scalp treatment ijumaa saa nne", customer)
    ask(conn, salon, "ndio", customer)
    asked = ask(conn, salon, "tutakua wawili na dada yangu", customer)
    assert asked.order["status"] != "draft" and _lines(asked) == {"Scalp Treatment": 1}, asked.reply
    same = ask(conn, salon, "hiyo hiyo", customer)
    assert _lines(same) == {"Scalp Treatment": 2} and same.order["status"] == "draft", same.reply


def test_the_count_of_people_said_again_sets_it(conn, salon):
    customer = "254713600016"
    ask(conn, salon, "nataka fulani braids kesho saa nne", customer)
    result = ask(conn, salon, "nimesema watoto wawili", customer)
    assert _lines(result) == {"Fulani Braids": 2}, result.reply
    assert "hatufanyi" not in result.reply.lower() and "KES 3,600" in result.reply, result.reply


@pytest.mark.parametrize("fewer", ["sorry tuko wawili tu", "we are only two"])
def test_fewer_people_said_after_the_booking_sets_it(conn, salon, fewer):
    """"sorry tuko wawili tu" after a booking for three was "we don't offer that" (customer test s28b)."""
    customer = f"25471360002{len(fewer) % 10}"
    ask(conn, salon, "tunataka nail polish change sisi watatu kesho saa nne", customer)
    result = ask(conn, salon, fewer, customer)
    assert _lines(result) == {"Nail Polish Change": 2} and "KES 600" in result.reply, result.reply


def test_make_it_another_service_instead_swaps_it(conn, salon):
    customer = "254713600017"
    ask(conn, salon, "book scalp treatment and nail polish change tomorrow 3pm", customer)
    result = ask(conn, salon, "actually make it fulani braids for her instead of nail polish change", customer)
    assert _lines(result) == {"Scalp Treatment": 1, "Fulani Braids": 1}, result.reply


def test_yes_and_how_many_we_are_is_the_yes_or_the_count(conn, salon):
    """"yes 3 of us" to a booking for three was "we don't do that" (customer test, session 24)."""
    ask(conn, salon, "nail polish change jumamosi saa tano kwa watu watatu", "254713600019")
    yes = ask(conn, salon, "yes 3 of us", "254713600019")
    assert yes.intent == "order_confirm" and _lines(yes) == {"Nail Polish Change": 3}, yes.reply
    ask(conn, salon, "scalp treatment jumamosi saa tano", "254713600020")
    more = ask(conn, salon, "yes 2 of us", "254713600020")
    assert more.intent != "order_confirm" and _lines(more) == {"Scalp Treatment": 2}, more.reply


def test_each_service_is_for_the_people_its_own_words_say(conn, salon):
    """"tunataka box braids wawili na knotless mmoja" booked both for two (KES 12,000 for 8,500; customer test s27)."""
    result = ask(conn, salon, "tunataka fulani braids wawili na scalp treatment mmoja jumamosi saa nne",
                 customer="254713600031")
    assert _lines(result) == {"Fulani Braids": 2, "Scalp Treatment": 1}, result.reply


def test_a_service_taken_out_of_a_confirmed_booking_changes_that_booking(conn, salon):
    """"booking yangu ya kesho saa mbili: toa gel nails weka manicure" made a second booking of the gel nails taken
    out, and the customer was then booked twice at the same time (customer test s27)."""
    c = "254713600032"
    ask(conn, salon, "nataka fulani braids na scalp treatment jumamosi saa nne", customer=c)
    first = ask(conn, salon, "ndio", customer=c)
    assert first.order["status"] == "awaiting_payment", first.reply
    changed = ask(conn, salon, "booking yangu ya jumamosi: toa scalp treatment weka nail polish change", customer=c)
    assert changed.order["number"] == first.order["number"], changed.reply
    assert _lines(changed) == {"Fulani Braids": 1, "Nail Polish Change": 1}, changed.reply
    assert changed.order["booking_at"] == first.order["booking_at"]
    again = ask(conn, salon, "ndio", customer=c)
    assert again.order["status"] == "awaiting_payment" and again.order["number"] == first.order["number"]
    assert conn.execute("SELECT count(*) AS n FROM orders WHERE business_id = %s AND status <> 'cancelled'",
                        (salon["id"],)).fetchone()["n"] == 1


def test_a_paid_booking_changed_by_the_customer_stays_booked_and_the_owner_arranges_it(conn, salon):
    """"rafiki yangu amechelewa, yeye aje saa sita badala, mimi nibaki saa tano" after paying made the booking a draft
    again: it vanished from the owner's MIADI and ODA (customer test s27)."""
    c = "254713600033"
    ask(conn, salon, "tunataka nail polish change sisi wawili jumamosi saa tano", customer=c)
    booked = ask(conn, salon, "ndio", customer=c).order
    ask(conn, salon, "nimetuma 600 code QWE12RTY35", customer=c)
    changed = ask(conn, salon, "rafiki yangu amechelewa, yeye aje saa sita badala, mimi nibaki saa tano", customer=c)
    kept = conn.execute("SELECT status, booking_at FROM orders WHERE id = %s", (booked["id"],)).fetchone()
    assert kept["status"] == "awaiting_payment" and kept["booking_at"].isoformat() == booked["booking_at"], changed.reply
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'order' "
                         "ORDER BY created_at DESC LIMIT 1", (salon["id"],)).fetchone()["body"]
    assert "saa sita" in alert and "KES 600" in alert, alert



def test_a_booking_is_called_a_booking_in_what_the_customer_is_told(conn, salon):
    """"Asante! Oda #23: mwenye duka atathibitisha malipo", "mwenye duka amesitisha oda #1" of salon bookings
    (customer test s27)."""
    c = "254713600036"
    ask(conn, salon, "nataka scalp treatment jumamosi saa nne", customer=c)
    ask(conn, salon, "ndio", customer=c)
    claimed = ask(conn, salon, "nimetuma 900 code QWE12RTY37", customer=c)
    assert "Miadi #" in claimed.reply or "Booking #" in claimed.reply, claimed.reply
    assert "Oda #" not in claimed.reply and "Order #" not in claimed.reply


def test_a_service_for_me_too_after_one_for_both_is_one(conn, salon):
    """"mimi na sis tunataka pedicure sote wawili Saturday 11am, na mimi pia gel nails" booked gel nails for both
    (KES 3,800 for 2,600; customer test s28)."""
    booked = ask(conn, salon, "mimi na rafiki yangu tunataka scalp treatment sote wawili jumamosi saa tano, na mimi pia "
                              "nail polish change", "254719960001")
    assert _lines(booked) == {"Scalp Treatment": 2, "Nail Polish Change": 1}, booked.reply


def test_how_long_a_service_takes_asked_beside_a_booking_is_not_booked(conn, salon):
    """"... kesho saa nne asubuhi. Pia pedicure inachukua muda gani?" added the pedicure (KES 700; customer test s28b)."""
    booked = ask(conn, salon, "nataka kubook fulani braids kesho saa nne asubuhi. Pia scalp treatment inachukua muda "
                              "gani?", "254719960011")
    assert _lines(booked) == {"Fulani Braids": 1}, booked.reply


def test_each_of_us_is_every_one_of_the_party(conn, salon):
    """"Tuko watatu, kila mmoja anataka manicure na pedicure" was one manicure and three pedicures (customer test
    s28b)."""
    booked = ask(conn, salon, "Tuko watatu, kila mmoja anataka nail polish change na scalp treatment, Jumamosi saa tatu",
                 "254719960021")
    assert _lines(booked) == {"Nail Polish Change": 3, "Scalp Treatment": 3}, booked.reply


def test_the_party_said_before_a_service_of_the_demo_salon_is_one_each(conn):
    """"Tuko watatu tunataka cornrows, Thursday 10am" was one cornrows (customer test s29b)."""
    salon = make_shop(conn, catalogue=demo.demo_catalogue()["Wanjiku Beauty Salon"], opening_hours="Mon-Sun 7am-9pm")
    result = ask(conn, salon, "Tuko watatu tunataka cornrows, Thursday 10am", "254713600009")
    assert _lines(result) == {"Cornrows": 3}, result.reply


@pytest.mark.parametrize(("fewer", "confirmed"), [
    ("Sorry mmoja amechomoka, tutakuwa wawili tu", False),  # "we don't do that" (customer test s29b)
    ("mmoja hatakuja, tutakuwa wawili", False),
    ("tutakuwa wawili tu sasa, si watatu", True),  # after the yes: "which product?", and three were paid for
])
def test_one_of_the_party_dropping_out_sets_the_count(conn, salon, fewer, confirmed):
    customer = f"2547136001{len(fewer):02d}"
    ask(conn, salon, "tunataka nail polish change sisi watatu kesho saa nne", customer)
    if confirmed:
        ask(conn, salon, "ndio", customer)
    result = ask(conn, salon, fewer, customer)
    assert _lines(result) == {"Nail Polish Change": 2} and "KES 600" in result.reply, result.reply


def test_someone_else_at_the_same_time_has_their_own_service(conn, salon):
    """"and my daughter will do cornrows at the same time" after gel nails made two gel nails and no cornrows
    (customer test s30): "the same time" says when, not what."""
    customer = "254713600091"
    ask(conn, salon, "I want a nail polish change tomorrow at 2pm", customer)
    result = ask(conn, salon, "and my daughter will do scalp treatment at the same time", customer)
    assert _lines(result) == {"Nail Polish Change": 1, "Scalp Treatment": 1}, result.reply


def test_a_party_each_with_their_own_services(conn, salon):
    """"Tuko watatu: mimi box braids, mum pedicure na manicure, na mdogo wangu cornrows" booked every service three
    times, said "Hatuna 'mum pedicure'" and dropped it (KES 11,400 for 4,500; customer test s30). Each named person's
    services once; a service after hers without a person is hers too."""
    result = ask(conn, salon, "Hi! Tuko watatu: mimi scalp treatment, mum nail polish change na fulani braids, na "
                              "mdogo wangu pedicure deluxe. Jumamosi saa nne tafadhali", "254713600092")
    assert _lines(result) == {"Fulani Braids": 1, "Scalp Treatment": 1, "Nail Polish Change": 1,
                              "Pedicure Deluxe": 1}, result.reply
    assert "Hatuna" not in result.reply, result.reply


def test_a_party_with_the_day_before_the_colon(conn, salon):
    """"Tuko wawili jumamosi saa nane: mimi cornrows, rafiki yangu wash and blow dry" was two cornrows (KES 800 too
    much; customer test s30b)."""
    result = ask(conn, salon, "Tuko wawili jumamosi saa nane: mimi scalp treatment, rafiki yangu fulani braids",
                 "254713600093")
    assert _lines(result) == {"Scalp Treatment": 1, "Fulani Braids": 1}, result.reply


@pytest.mark.parametrize(("text", "lines", "customer"), [
    # each booked twice, KES 6,600 for 3,300 (owner test s31)
    ("nataka fulani braids na rafiki yangu pia anataka nail polish change, jumamosi saa tatu",
     {"Fulani Braids": 1, "Nail Polish Change": 1}, "254713600041"),
    # one treatment for two people (owner test s31)
    ("naweza book scalp treatment ya mimi na dadangu jumamosi saa tano?", {"Scalp Treatment": 2}, "254713600042"),
])
def test_a_friend_with_her_own_service_and_kin_said_in_one_word(conn, salon, text, lines, customer):
    assert _lines(ask(conn, salon, text, customer=customer)) == lines


def test_a_service_taken_out_after_why_in_its_own_clause_changes_the_booking(conn, salon):
    """"samahani, dada hatakuja. toa cornrows" after the yes was the service's price, and the "ndio" after it booked
    the cornrows again (tester s32)."""
    client = "254713600041"
    ask(conn, salon, "nataka kubook fulani braids na scalp treatment jumamosi saa nne", customer=client)
    n = ask(conn, salon, "ndio", customer=client).order["number"]
    out = ask(conn, salon, "samahani, dada hatakuja. toa scalp treatment", customer=client)
    assert out.order["number"] == n and _lines(out) == {"Fulani Braids": 1}, out.reply
    yes = ask(conn, salon, "ndio", customer=client)
    assert yes.order["number"] == n and yes.order["status"] == "awaiting_payment" and _lines(yes) == {
        "Fulani Braids": 1}, yes.reply


@pytest.mark.parametrize(("said", "status"), [
    ("sawa, na mum atakuja pia kufanya pedicure. ndio", "awaiting_payment"),
    ("sawa, na mum atakuja pia kufanya pedicure", "draft"),
])
def test_a_service_added_between_an_ok_and_a_yes_is_booked(conn, salon, said, status):
    """"sawa, na mum atakuja pia kufanya pedicure. ndio" was the pedicure's price: nothing added, nothing confirmed
    (tester s32)."""
    client = f"2547136000{len(said)}"
    ask(conn, salon, "nataka kubook fulani braids jumamosi saa nne", customer=client)
    result = ask(conn, salon, said, customer=client)
    assert _lines(result) == {"Fulani Braids": 1, "Pedicure Deluxe": 1}, result.reply
    assert result.order["status"] == status, result.reply
