"""One pass of understanding, and what retrieval makes of it on catalogues it has not seen.

- The message is read once (`understand`): variants, work or goods, children, the verbs a shop is asked to do.
- Loanwords spelled by sound ("redio", "blenda", "mashine") match the shop's English words.
- A model newer than the shop's list ("Nokia 106" where 105 is sold) is not sold; a model in a listed range is.
- A children's thing where the shop names its children's things and this one is not.
- What a product fits ("bracket for TVs from 24 to 50 inches") is not a variant the shop has.
- A verb the shop is asked to do that none of its services names ("Mnachonga stool?") is not sold.

Catalogues and sentences written for these tests (none is a dev-set sentence).
"""

from __future__ import annotations

import pytest

from mtaabot.retrieval import retrieve
from mtaabot.understanding import search_text, understand
from tests.engine.conftest import ask, make_shop

APPLIANCES = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Radio FM Solar,Solar-powered FM radio with torch,1800,KES,true,{},false,
Desktop Computer Core i3,Refurbished desktop computer with 19 inch screen,24000,KES,true,{},false,
Sewing Machine Singer,Manual sewing machine (cherehani),14500,KES,true,{},false,
Blender 1.5L,Kitchen blender with a 1.5 litre jar,3500,KES,true,{},false,
Nokia 105,Nokia 105 button phone with radio,2600,KES,true,{},false,
Nokia 110,Nokia 110 button phone with camera,3100,KES,true,{},false,
Ink Bottle Epson 664,"Ink refill for Epson L120, L210 and L360 printers",900,KES,true,{},false,
Computer Setup,"Installing Windows and Office on your computer, about 2 hours",1500,KES,true,{},true,120
"""
SCHOOL = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Kids School Bag,School backpack for children aged 5 to 10,1200,KES,true,{},false,
Umbrella Adult,Large umbrella for adults,700,KES,true,{},false,
Water Bottle 1L,Plastic water bottle 1 litre,250,KES,true,{},false,
Galaxy Tab A9,Samsung Galaxy Tab A9 tablet for school work,19000,KES,true,{},false,
Calculator fx-82,Casio scientific calculator for forms 1 to 4,1500,KES,true,{},false,
Exercise Books A4,"A4 exercise books, 200 pages",120,KES,true,{},false,
"""
SCREENS = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Vision Plus TV 24 inch,24 inch digital TV,9800,KES,true,{},false,
Vision Plus TV 40 inch,40 inch digital TV,21000,KES,true,{},false,
Wall Bracket,Wall bracket for TVs from 24 to 50 inches,1300,KES,true,{},false,
"""
WOOD = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Plastic Chair,Plastic chair (kiti cha plastiki),600,KES,true,{},false,
Wooden Stool,Wooden stool,900,KES,true,{},false,
Chair Repair,"Fixing a broken chair leg or seat, same day",500,KES,true,{},true,60
"""


def _answer(conn, shop, text: str) -> list[str] | None:
    """Names of the products answered first, or None for "not sold"."""
    found = retrieve(conn, shop["id"], search=understand(text, "SWA").search)
    return None if found.not_sold else [h.name for h in found.hits]


def test_a_message_is_read_once_into_what_retrieval_needs():
    u = understand("Mnatengeneza TV ya inchi 43 ya mtoto wa miaka 6 Jumamosi?", "SWA")
    assert u.search.variants == frozenset({"43inch"})
    assert u.search.wants_service and u.search.books and u.search.for_children
    assert u.query is u.search.query  # the order flow and replies read the same query retrieval searches
    plain = search_text("Mnauza simu za Nokia?")
    assert plain.wants_goods and not plain.wants_service and not plain.actions
    assert search_text("Mnachonga stool za mbao?").actions == ("mnachonga",)
    assert search_text("Mnakubali M-Pesa, mnaleta hadi Ruiru?").actions == ()  # commerce verbs ask nothing done


@pytest.mark.parametrize(("text", "expected"), [
    ("Redio ya sola ni bei gani?", "Radio FM Solar"),
    ("Blenda ya matunda ni ngapi?", "Blender 1.5L"),
    ("Mashine ya kushona ni ngapi?", "Sewing Machine Singer"),
])
def test_a_loanword_matches_the_english_word_it_sounds_like(conn, text, expected):
    shop = make_shop(conn, catalogue=APPLIANCES)
    answer = _answer(conn, shop, text)
    assert answer and answer[0] == expected, answer


SPOKEN = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Adidas Superstar,White sneakers with black stripes,3200,KES,true,{},false,
Sony Speaker,Portable bluetooth speaker,4500,KES,true,{},false,
Toy Tractor,Red toy tractor for children,800,KES,true,{},false,
"""


@pytest.mark.parametrize(("text", "expected"), [
    ("supastaa ziko?", "Adidas Superstar"),  # was "not sold": the r that no vowel follows is not said
    ("spika ni ngapi?", "Sony Speaker"),
    ("trekta ya kuchezea iko?", "Toy Tractor"),
])
def test_a_loanword_without_the_r_english_drops_matches(conn, text, expected):
    shop = make_shop(conn, catalogue=SPOKEN)
    answer = _answer(conn, shop, text)
    assert answer and answer[0] == expected, answer


@pytest.mark.parametrize("text", ["Nokia 106 iko?", "Do you have the Nokia 130?", "Samsung Galaxy Tab A11 ni ngapi?"])
def test_a_model_the_shop_does_not_list_is_not_sold(conn, text):
    shop = make_shop(conn, catalogue=APPLIANCES + SCHOOL.split("\n", 1)[1])
    assert _answer(conn, shop, text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Nokia 110 ni bei gani?", "Nokia 110"),
    ("Ink ya Epson L210 ni ngapi?", "Ink Bottle Epson 664"),  # in the listed models
    ("Galaxy Tab A9 iko?", "Galaxy Tab A9"),
])
def test_a_listed_model_still_answers(conn, text, expected):
    shop = make_shop(conn, catalogue=APPLIANCES + SCHOOL.split("\n", 1)[1])
    answer = _answer(conn, shop, text)
    assert answer and answer[0] == expected, answer


def test_a_childrens_thing_the_shop_only_has_for_adults_is_not_sold(conn):
    shop = make_shop(conn, catalogue=SCHOOL)
    assert _answer(conn, shop, "Mna mwavuli wa watoto?") is None
    assert _answer(conn, shop, "Do you have a small umbrella for my 7 year old?") is None
    bag = _answer(conn, shop, "Begi ya shule ya mtoto wa miaka sita ni ngapi?")
    assert bag and bag[0] == "Kids School Bag", bag
    grown = _answer(conn, shop, "Umbrella kubwa ni ngapi?")
    assert grown and grown[0] == "Umbrella Adult", grown


def test_what_a_product_fits_is_not_a_variant_the_shop_has(conn):
    shop = make_shop(conn, catalogue=SCREENS)
    assert _answer(conn, shop, "TV ya inchi 50 mnayo?") is None  # the bracket fits one; no TV is one
    bracket = _answer(conn, shop, "Bracket ya TV ya inchi 50 ni ngapi?")
    assert bracket and bracket[0] == "Wall Bracket", bracket
    forty = _answer(conn, shop, "TV ya inchi arobaini bei gani?")
    assert forty and forty[0] == "Vision Plus TV 40 inch", forty


def test_a_job_no_service_of_the_shop_names_is_not_sold(conn):
    shop = make_shop(conn, catalogue=WOOD)
    assert _answer(conn, shop, "Mnachonga stool za mbao?") is None  # carving: they sell stools, mend chairs
    assert _answer(conn, shop, "Mnapaka rangi chair za plastiki?") is None  # the repair names only the chair
    mend = _answer(conn, shop, "Mnarepair chair iliyovunjika mguu?")
    assert mend and mend[0] == "Chair Repair", mend
    stool = _answer(conn, shop, "Mnauza stool ya mbao?")
    assert stool and stool[0] == "Wooden Stool", stool


PHONE_WORK = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Tecno Spark 20,Android phone with a big battery,14000,KES,true,{},false,
SIM Card Replacement,SIM card replacement with your ID,100,KES,true,{},true,15
Screen Repair,Replacing a cracked screen,3000,KES,true,{},true,60
"""


def test_work_named_for_another_thing_is_not_that_work(conn):
    """"battery replacement?" was the SIM Card Replacement at KES 100 ("replacement" alone matched; customer test
    s28): the shop replaces SIM cards and screens, no batteries."""
    shop = make_shop(conn, catalogue=PHONE_WORK)
    assert _answer(conn, shop, "battery replacement?") is None
    sim = _answer(conn, shop, "sim replacement bei gani?")
    assert sim and sim[0] == "SIM Card Replacement", sim
    screen = _answer(conn, shop, "screen replacement?")
    assert screen and screen[0] == "Screen Repair", screen


def test_whether_a_service_will_fix_a_fault_is_the_owner_s_to_judge(conn):
    """"Simu yangu imekufa kabisa, screen repair itasaidia? nataka kuileta kesho" drafted a KES 3,000 repair; the
    customer asked whether it would help (customer test s29)."""
    shop = make_shop(conn, catalogue=PHONE_WORK)
    said = "Simu yangu imekufa kabisa, screen repair itasaidia? nataka kuileta kesho"
    reply = ask(conn, shop, said, "254718960051")
    assert reply.order is None and reply.escalated and "Screen Repair" in reply.reply, reply.reply
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s ORDER BY created_at DESC LIMIT 1",
                         (shop["id"],)).fetchone()
    assert alert is not None and "kesho" in alert["body"], alert


def test_a_fault_the_service_does_not_name_is_the_owner_s_to_judge(conn):
    """"simu yangu imeingia maji, mnaweza repair? ni samsung A12" was told about the screen repair (water is no cracked
    screen; customer test s30). A cracked screen still gets the screen repair."""
    shop = make_shop(conn, catalogue=PHONE_WORK.replace("Screen Repair,Replacing a cracked screen",
                                                        "Phone Screen Repair,Replacing a cracked screen for Samsung"))
    wet = ask(conn, shop, "😭😭 simu yangu imeingia maji, mnaweza repair? ni samsung A12", "254718960061")
    assert wet.escalated and wet.order is None, wet.reply
    cracked = ask(conn, shop, "screen ya A15 imepasuka, mnaweza repair?", "254718960062")
    assert not cracked.escalated and "Screen Repair" in cracked.reply, cracked.reply
    # a shop whose work names that fault answers it itself
    cleaner = make_shop(conn, catalogue=PHONE_WORK + "Water Damage Cleaning,Drying and cleaning a wet phone,1500,KES,"
                                                     "true,{},true,120\n")
    named = ask(conn, cleaner, "simu yangu imeingia maji jana, mnaweza kuirepair bei gani?", "254718960063")
    assert not named.escalated and "KES 1,500" in named.reply, named.reply


PHONE_MAKES_WORK = """name,description,price,currency,is_available,metadata,is_service,duration_minutes
Samsung Galaxy A15,Android phone 128GB with a big battery,18500,KES,true,{},false,
SIM Card Replacement,SIM card replacement with your ID,100,KES,true,{},true,15
Screen Repair,"Replacing a cracked screen for Samsung, Tecno and Infinix",3000,KES,true,{},true,60
"""


def test_work_on_a_thing_of_a_model_is_that_work_priced(conn):
    """"Screen replacement for Samsung A14 ni ngapi?" was the SIM Card Replacement at KES 100, drafted when the customer
    said "nataka hiyo" (owner test s30): the work is on the screen, and the price asked is said with what the repair
    covers. No work of the shop's is on a battery: "battery replacement for samsung a14?" is not sold (it was the
    phone itself)."""
    shop = make_shop(conn, catalogue=PHONE_MAKES_WORK)
    screen = _answer(conn, shop, "Screen replacement for Samsung A14 ni ngapi?")
    assert screen and screen[0] == "Screen Repair", screen
    assert _answer(conn, shop, "battery replacement for samsung a14?") is None
    reply = ask(conn, shop, "Screen replacement for Samsung A14 ni ngapi?", "254718960061")
    assert "Screen Repair" in reply.reply and "KES 3,000" in reply.reply, reply.reply


def test_work_on_a_part_of_a_make_the_shop_does_no_work_on_is_not_sold_and_its_work_is_offered(conn):
    """"mnaweza kubadilisha battery ya tecno?" was the Tecno phone (its description says "big battery"), and "my
    iphone battery drains fast, can you replace it?" offered a Nokia and a power bank (owner test s30)."""
    shop = make_shop(conn, catalogue=PHONE_MAKES_WORK)
    assert _answer(conn, shop, "mnaweza kubadilisha battery ya samsung?") is None
    screen = _answer(conn, shop, "mnaweza kubadilisha screen ya samsung?")
    assert screen and screen[0] == "Screen Repair", screen
    for n, said in enumerate(["mnaweza kubadilisha battery ya samsung?", "can you replace the battery for a samsung?"]):
        reply = ask(conn, shop, said, f"25471896007{n}")
        assert "Screen Repair" in reply.reply and "Galaxy" not in reply.reply, reply.reply
