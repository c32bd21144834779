"""The cheapest / dearest of what the customer asked about, and a detail of the product just shown: answered
from that product's own description and metadata, or handed to the owner — never "we don't sell that"."""

from __future__ import annotations

import psycopg
import pytest

from tests.engine.conftest import ask, last_alert, make_shop

CATALOGUE = (
    "name,description,price,currency,is_available,metadata\n"
    'Redmi 13C 128GB,"Android phone (simu) 128GB, 4GB RAM",13500,KES,true,'
    '"{""category"": ""phones"", ""warranty"": ""12 months""}"\n'
    'Redmi Note 13 256GB,"Android phone 256GB, 8GB RAM, AMOLED screen",24000,KES,true,"{""category"": ""phones""}"\n'
    'Itel A70,Entry Android phone (simu) with 5000mAh battery,8200,KES,true,"{""category"": ""phones""}"\n'
    'Redmi Phone Case,Silicone case for Redmi phones,600,KES,true,"{""category"": ""accessories""}"\n'
    'USB-C Cable 1m,Charging cable,350,KES,true,"{""category"": ""accessories""}"\n')


@pytest.fixture
def shop(conn: psycopg.Connection):
    return make_shop(conn, catalogue=CATALOGUE, tone="kazi")


@pytest.mark.parametrize(("text", "first", "price"), [
    ("What's your cheapest phone?", "Itel A70", "KES 8,200"),
    ("Simu ya bei rahisi zaidi ni gani?", "Itel A70", "KES 8,200"),
    ("which is the most expensive phone you have?", "Redmi Note 13 256GB", "KES 24,000"),
])
def test_the_cheapest_or_dearest_of_a_kind_is_named_with_its_price(conn, shop, text, first, price):
    """Not the phone case that a search for "phone" also finds."""
    result = ask(conn, shop, text)
    assert result.products[0]["name"] == first and price in result.reply and first in result.reply.split("\n")[0]
    assert "Redmi Phone Case" not in result.reply and "USB-C" not in result.reply


@pytest.mark.parametrize(("first", "then"), [
    ("Do you have Redmi phones?", "which one is the cheapest?"),
    ("Mna simu za Redmi?", "ipi ni rahisi zaidi?"),
])
def test_the_cheapest_after_a_product_answer_is_of_what_was_shown(conn, shop, first, then):
    c = "254712800001" if first.startswith("Do") else "254712800002"
    ask(conn, shop, first, customer=c)
    result = ask(conn, shop, then, customer=c)
    assert result.intent == "product" and result.products[0]["name"] == "Redmi 13C 128GB"
    assert "KES 13,500" in result.reply.split("\n")[0] and "Case" not in result.reply


def _about_the_redmi(conn, shop, question: str, customer: str):
    """The shop has just answered about the Redmi 13C; the customer asks `question` about it."""
    ask(conn, shop, "Redmi 13C iko?", customer=customer)
    return ask(conn, shop, question, customer=customer)


@pytest.mark.parametrize(("question", "said"), [
    ("does it have warranty?", "warranty: 12 months"),
    ("Ina warranty?", "warranty: 12 months"),
    ("and is it 4GB RAM?", "4GB RAM"),
])
def test_a_detail_the_catalogue_holds_is_answered_from_it(conn, shop, question, said):
    result = _about_the_redmi(conn, shop, question, "254712800010" + str(len(question) % 10))
    assert said in result.reply and "Redmi 13C 128GB" in result.reply and not result.escalated


@pytest.mark.parametrize(("question", "told"), [
    ("does it have NFC?", "asked the owner"),
    ("Inakuja na earphones?", "mwenye duka"),
])
def test_a_detail_the_catalogue_does_not_hold_goes_to_the_owner_about_that_product(conn, shop, question, told):
    """It was "Sorry, we don't sell that" (or another product found by the detail's word)."""
    result = _about_the_redmi(conn, shop, question, "25471280002" + str(len(question) % 10))
    assert result.escalated and told in result.reply and "Redmi 13C 128GB" in result.reply
    assert "don't sell" not in result.reply and "hatuuzi" not in result.reply
    note = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'escalation'",
                        (shop["id"],)).fetchone()
    assert "Redmi 13C 128GB" in note["body"] and question in note["body"]


@pytest.mark.parametrize(("question", "take", "customer"), [
    ("iko na NFC?", "poa nipe moja", "254712800031"),
    ("Inakuja na chaja?", "sawa nitachukua moja", "254712800032"),
    ("does it come with earphones?", "ok I'll take one", "254712800033"),
])
def test_a_detail_asked_of_the_owner_leaves_the_rest_of_the_chat_to_the_bot(conn, shop, question, take, customer):
    """A detail the catalogue lacks handed the whole chat to the owner: the customer's next "nipe moja" got no
    answer at all until the owner handed the chat back. The owner is still asked the detail."""
    asked = _about_the_redmi(conn, shop, question, customer)
    assert asked.escalated and "Redmi 13C 128GB" in asked.reply
    note = conn.execute("SELECT body FROM notifications WHERE business_id = %s AND kind = 'escalation'",
                        (shop["id"],)).fetchone()
    assert "Redmi 13C 128GB" in note["body"] and question in note["body"]
    taken = ask(conn, shop, take, customer=customer)
    assert taken.reply and taken.order is not None
    assert [(i["name"], i["quantity"]) for i in taken.order["items"]] == [("Redmi 13C 128GB", 1)]


SHOES = (
    "name,description,price,currency,is_available,metadata\n"
    'Safari Canvas Sneakers,"Canvas sneakers in navy and grey, sizes 38 to 44",2400,KES,true,'
    '"{""category"": ""sneakers""}"\n'
    'Mzinga Leather Boots,"Leather boots (buti) for men",5200,KES,true,'
    '"{""category"": ""boots"", ""colour"": ""brown"", ""sizes"": ""40-46""}"\n'
    'Kitenge Slippers,"House slippers (patipati)",700,KES,true,"{""category"": ""slippers""}"\n')


@pytest.mark.parametrize(("asked", "colours", "sizes", "take", "customer"), [
    ("Niaje, mko na canvas sneakers?", "rangi gani ziko?", "size gani mnazo?", "poa niwekee moja size 42",
     "254712600001"),
    ("Habari, mnauza buti za ngozi?", "rangi zipi zipo?", "saizi zipi zipo?", "sawa nitachukua moja size 42",
     "254712600002"),
    ("Do you sell canvas sneakers?", "what colours does it come in?", "which sizes?", "ok I will take one size 42",
     "254712600003"),
])
def test_which_colours_and_sizes_the_product_comes_in_then_taking_one(conn, asked, colours, sizes, take, customer):
    """"rangi gani ziko?" / "which sizes?" after a product was "we don't sell that" (the question names no
    product), and "ok I will take one size 42" was "We don't have “take”"."""
    shop = make_shop(conn, catalogue=SHOES)
    first = ask(conn, shop, asked, customer=customer)
    name = first.products[0]["name"]
    expected = {"Safari Canvas Sneakers": (("navy", "grey"), "38-44"), "Mzinga Leather Boots": (("brown",), "40-46")}
    want_colours, want_sizes = expected[name]
    told_colours = ask(conn, shop, colours, customer=customer)
    assert told_colours.products[0]["name"] == name and all(c in told_colours.reply for c in want_colours)
    told_sizes = ask(conn, shop, sizes, customer=customer)
    assert told_sizes.products[0]["name"] == name and want_sizes in told_sizes.reply
    taken = ask(conn, shop, take, customer=customer)
    assert taken.order is not None and [(i["name"], i["quantity"]) for i in taken.order["items"]] == [(name, 1)]
    assert "42" in taken.reply


@pytest.mark.parametrize(("other", "customer"), [("nionyeshe rangi zingine", "254712600021"),
                                                 ("show me other colours", "254712600022")])
def test_other_colours_asked_while_browsing_are_the_colours_it_comes_in(conn, other, customer):
    """"nionyeshe rangi zingine" after a pair was shown was a complaint: the chat went to the owner mid-browse and
    "how about black?" then got no answer (customer test s27). The colours are labelled in the customer's language
    (a Swahili reply said "colours: ...")."""
    shop = make_shop(conn, catalogue=SHOES)
    ask(conn, shop, "Niaje, mko na canvas sneakers?", customer=customer)
    told = ask(conn, shop, other, customer=customer)
    assert not told.escalated and "navy" in told.reply and "grey" in told.reply, told.reply
    assert ("rangi: " in told.reply) == (told.language in ("SWA", "SHENG")), told.reply


@pytest.mark.parametrize(("asked", "colours"), [
    ("Kitenge slippers ziko?", "rangi gani ziko?"),
    ("Mna kitenge slippers?", "zinapatikana rangi zipi?"),
    ("Do you have kitenge slippers?", "what colours are there?"),
])
def test_a_colour_the_catalogue_does_not_give_goes_to_the_owner(conn, asked, colours):
    shop = make_shop(conn, catalogue=SHOES)
    ask(conn, shop, asked, customer="254712600011")
    told = ask(conn, shop, colours, customer="254712600011")
    assert told.escalated and "Kitenge Slippers" in told.reply
    assert "don't sell" not in told.reply and "hatuuzi" not in told.reply


URBAN = (
    "name,description,price,currency,is_available,metadata\n"
    'Urban Classic Sneakers,"White leather sneakers",3500,KES,true,"{""category"": ""sneakers"", ""colour"": ""white""}"\n'
    'Street Runner Sneakers,"Black mesh running sneakers",3000,KES,true,"{""category"": ""sneakers"", ""colour"": ""black""}"\n'
    'Shoe Polish,"Black shoe polish tin",150,KES,true,"{""category"": ""care""}"\n')


@pytest.mark.parametrize(("asked", "colour", "customer"), [
    ("Niaje, urban classic ziko?", "ziko za rangi nyeusi?", "254712600021"),
    ("Habari, mna viatu vya Urban Classic?", "iko rangi nyeusi?", "254712600022"),
    ("Do you have the Urban Classic sneakers?", "do you have it in black colour?", "254712600023"),
])
def test_a_colour_asked_with_the_word_colour_is_about_the_product_just_shown(conn, asked, colour, customer):
    """"iko rangi nyeusi?" after the shop named a white sneaker was "we don't sell that" ("rangi" read as
    paint), and the next "nipe moja size 42" lost the subject."""
    shop = make_shop(conn, catalogue=URBAN, tone="rafiki")
    assert ask(conn, shop, asked, customer=customer).products[0]["name"] == "Urban Classic Sneakers"
    told = ask(conn, shop, colour, customer=customer)
    low = told.reply.lower()
    assert "Urban Classic Sneakers" in told.reply and "Street Runner Sneakers" in told.reply
    assert "hatuuzi" not in low and "don't sell" not in low and "Shoe Polish" not in told.reply


OILS = (
    "name,description,price,currency,is_available,metadata\n"
    'Golden Fry Cooking Oil 1L,"Vegetable cooking oil (mafuta ya kupika)",380,KES,true,"{""category"": ""oil""}"\n'
    'Sunny Cooking Oil 3L,"Sunflower cooking oil (mafuta)",1050,KES,true,"{""category"": ""oil""}"\n'
    'Ndovu Maize Flour 2kg,"Maize flour (unga)",210,KES,true,"{""category"": ""flour""}"\n')


@pytest.mark.parametrize(("asked", "missing", "other", "customer"), [
    ("Niaje, mafuta ya kupika ni bei gani?", "ya lita tano iko?", "na ya lita tatu je?", "254712600031"),
    ("Habari, mna mafuta ya kupika?", "na ya lita tano?", "na ya 3L?", "254712600032"),
    ("Do you have cooking oil?", "what about the 5 litre one?", "and the 3 litre?", "254712600033"),
])
def test_a_size_asked_after_a_list_is_that_size_or_the_sizes_there_are(conn, asked, missing, other, customer):
    """"na ya lita tano?" after the oils (1L and 3L) was "hatuuzi bidhaa hiyo" with flour and milk as examples, and
    "what about the 3 litre one?" answered the 1L of the brand named first."""
    shop = make_shop(conn, catalogue=OILS)
    ask(conn, shop, asked, customer=customer)
    none = ask(conn, shop, missing, customer=customer)
    low = none.reply.lower()
    assert "Golden Fry Cooking Oil 1L" in none.reply and "Sunny Cooking Oil 3L" in none.reply
    assert "hatuuzi" not in low and "don't sell" not in low and "Ndovu" not in none.reply
    three = ask(conn, shop, other, customer=customer)
    assert three.products[0]["name"] == "Sunny Cooking Oil 3L" and "KES 1,050" in three.reply


@pytest.mark.parametrize("question", ["Redmi 13C ina warranty?", "hiyo Redmi 13C iko na warranty ama?",
                                      "does the Redmi 13C come with a warranty?"])
def test_a_detail_asked_with_the_product_named_is_answered_from_its_metadata(conn, shop, question):
    """It was the price only: a detail counted only about a product shown before."""
    result = ask(conn, shop, question)
    assert "warranty: 12 months" in result.reply and "Redmi 13C 128GB" in result.reply and not result.escalated


@pytest.mark.parametrize(("question", "customer"), [
    ("mnabadilisha simu kama imekataa kuwaka?", "254712800301"),
    ("boss mnarudisha doh kama simu ina shida?", "254712800302"),
    ("Do you accept returns?", "254712800303"),
])
def test_a_question_about_the_shops_rules_goes_to_the_owner_and_the_chat_goes_on(conn, shop, question, customer):
    """Exchanges, returns, refunds: only the owner can say; it was "we don't sell that"."""
    result = ask(conn, shop, question, customer=customer)
    assert result.escalated and "hatuuzi" not in result.reply and "don't sell" not in result.reply
    assert "mwenye duka" in result.reply or "owner" in result.reply
    assert question in (last_alert(conn, shop) or "")
    after = ask(conn, shop, "Itel A70 ni ngapi?", customer=customer)
    assert "KES 8,200" in after.reply  # the bot still answers the rest of the chat


@pytest.mark.parametrize("question", ["Redmi 13C ina camera ngapi megapixels?", "hii Itel A70 ina fingerprint?",
                                      "Does the Redmi 13C have a fingerprint sensor?"])
def test_a_detail_the_catalogue_lacks_about_a_phone_named_by_model_goes_to_the_owner(conn, shop, question):
    """It was "we don't sell that": the camera or fingerprint sensor was searched as a product of its own."""
    result = ask(conn, shop, question)
    assert result.intent == "product_question" and result.escalated and len(result.products) == 1
    assert result.products[0]["name"] in result.reply and "hatuuzi" not in result.reply.lower()
    assert question in (last_alert(conn, shop) or "")


@pytest.mark.parametrize(("first", "then", "customer"), [
    ("How much is the Itel A70?", "and for 2 pieces?", "254712800401"),
    ("Itel A70 ni bei gani?", "bei ya mbili ni ngapi?", "254712800402"),
    ("Itel A70 ni how much?", "na mbili je?", "254712800403"),
])
def test_the_price_of_a_number_of_the_product_just_shown_is_its_total(conn, shop, first, then, customer):
    """It was the price of one again, "we don't sell that" ("pieces" searched for), or haggling ("na mbili je?")."""
    ask(conn, shop, first, customer=customer)
    result = ask(conn, shop, then, customer=customer)
    assert result.intent == "product" and "2 × Itel A70" in result.reply and "KES 16,400" in result.reply
    assert result.order is None and not result.escalated


@pytest.mark.parametrize(("first", "then", "customer"), [
    ("Redmi 13C ni bei gani?", "na 13 je ni ngapi?", "254712800405"),  # its model's number
    ("Itel A70 ni bei gani?", "na 70 ni ngapi?", "254712800406"),
])
def test_a_number_of_the_product_itself_is_no_count_to_price(conn, shop, first, then, customer):
    """"na 18 ni ngapi?" after "the wig comes in 18 inch only" was "18 × Human Hair Wig = KES 153,000"."""
    ask(conn, shop, first, customer=customer)
    result = ask(conn, shop, then, customer=customer)
    assert " × " not in result.reply, result.reply


def test_an_offer_for_a_number_of_it_is_still_haggling(conn, shop):
    ask(conn, shop, "Itel A70 ni bei gani?", customer="254712800404")
    assert ask(conn, shop, "nikupe 15000 kwa mbili?", customer="254712800404").intent == "discount"


def test_a_hello_after_a_question_went_to_the_owner_says_it_is_with_them(conn):
    """"hello??" just after "do you have a return policy?" was passed to the owner got the shop's cold welcome, as if
    the question were lost (customer test s27)."""
    shop = make_shop(conn, catalogue=SHOES)
    assert ask(conn, shop, "do you have a return policy?", customer="254712600031").escalated
    again = ask(conn, shop, "hello??", customer="254712600031")
    assert "owner" in again.reply and "Welcome" not in again.reply, again.reply
    fresh = ask(conn, shop, "hello", customer="254712600032")
    assert "owner" not in fresh.reply, fresh.reply
