"""A plain price question is a price question: "bei ni ngapi" is not haggling (the owner was told the customer
wanted a discount, and the customer got "our prices are fixed" instead of the price)."""

from __future__ import annotations

import psycopg
import pytest

from tests.engine.conftest import ask, make_shop

CATALOGUE = ("name,description,price,currency,is_available,metadata\n"
             "Akala Sandals,Tyre-sole sandals (akala),650,KES,true,\n"
             "Leather Belt,Brown leather belt,800,KES,true,\n")


@pytest.fixture
def shop(conn: psycopg.Connection):
    return make_shop(conn, catalogue=CATALOGUE, tone="mtaa")


@pytest.mark.parametrize(("text", "customer"), [
    ("bei ni ngapi", "254712900001"), ("hiyo bei ni gani boss", "254712900002"), ("bei yake ni ngapi", "254712900003"),
])
def test_a_price_question_after_a_product_gets_its_price_and_no_discount_alert(conn, shop, text, customer):
    ask(conn, shop, "mna akala?", customer=customer)
    result = ask(conn, shop, text, customer=customer)
    assert result.intent == "product" and "KES 650" in result.reply and "punguzo" not in result.reply
    alerts = conn.execute("SELECT count(*) AS n FROM notifications WHERE business_id = %s AND kind = 'discount'",
                          (shop["id"],)).fetchone()
    assert alerts["n"] == 0


@pytest.mark.parametrize(("text", "customer"), [
    ("last ni ngapi", "254712900011"), ("bei ya mwisho ni ngapi?", "254712900012"),
    ("what's your best price?", "254712900013"),
])
def test_asking_for_another_price_is_still_haggling(conn, shop, text, customer):
    ask(conn, shop, "mna akala?", customer=customer)
    assert ask(conn, shop, text, customer=customer).intent == "discount"


@pytest.mark.parametrize(("text", "name", "bookable"), [
    ("Shoe cleaning kit ni ngapi?", "Shoe Cleaning Kit", False),
    ("how much is the sewing machine?", "Singer Sewing Machine", False),
    ("bei ya curtain cleaning?", "Curtain Cleaning per Set", True),
])
def test_goods_named_for_the_work_they_do_are_sold_not_booked(conn, text, name, bookable):
    """"Shoe Cleaning Kit" was taken for a service: its price came with "want to book? tell me the day and time"."""
    shop = make_shop(conn, catalogue=("name,description,price,currency,is_available,metadata\n"
                                      "Shoe Cleaning Kit,Brush and polish for sneakers,450,KES,true,\n"
                                      "Singer Sewing Machine,Manual sewing machine,12000,KES,true,\n"
                                      "Curtain Cleaning per Set,We wash and iron your curtains,900,KES,true,\n"),
                     tone="mtaa")
    result = ask(conn, shop, text)
    assert result.products and result.products[0]["name"] == name
    assert ("book" in result.reply.lower() or "miadi" in result.reply.lower()) == bookable, result.reply


def test_two_prices_asked_with_a_discount_are_both_said(conn, shop):
    """"Bei ya superstar na AF1 ni ngapi? Nikichukua zote mbili mnapunguza?" got the haggle answer and no price
    (customer test s29b): each price asked, then the haggle."""
    result = ask(conn, shop, "Bei ya akala na belt ni ngapi? Nikichukua zote mbili mnapunguza?",
                 customer="254712900011")
    assert result.intent == "discount", result.reply
    assert "KES 650" in result.reply and "KES 800" in result.reply, result.reply
    assert result.reply.index("Akala") < result.reply.index("Belt")  # in the order asked


def test_things_of_a_low_price_asked_are_no_haggle(conn, shop):
    """"mna simu za bei poa chini ya 5k?" told the owner the customer wanted a discount on the A15 and never offered
    the Nokia; "sawa nipe hiyo ya bei ya chini mbili" after two flours was a haggle alert too (customer test s30)."""
    cheap = ask(conn, shop, "mna vitu za bei poa chini ya 700?", customer="254712900021")
    assert cheap.intent != "discount" and "Akala" in cheap.reply, cheap.reply
    ask(conn, shop, "akala na belt ni ngapi?", customer="254712900022")
    picked = ask(conn, shop, "sawa nipe hiyo ya bei ya chini mbili", customer="254712900022")
    assert picked.order is not None and [(i["name"], i["quantity"]) for i in picked.order["items"]] == \
        [("Akala Sandals", 2)], picked.reply
    alerts = conn.execute("SELECT count(*) AS n FROM notifications WHERE business_id = %s AND kind = 'discount'",
                          (shop["id"],)).fetchone()
    assert alerts["n"] == 0
