"""Self-serve onboarding (AppTest against the real database, the fake Graph API and the fake Daraja):
off unless the operator turns it on; each bad input answered in the owner's language with nothing
half-created; a shop taken from nothing to paid; steps resume after signing out."""

from __future__ import annotations

import pytest

from mtaabot.businesses import create_business
from tests.dashboard.conftest import new_app, set_language, sign_in, texts
from tests.fakes.fake_daraja import FakeDaraja
from tests.fakes.fake_graph import FakeGraph

GOOD_TOKEN = "EAAG-good-token"
CSV = ("name,description,price,currency,is_available,metadata\n"
       "Sukari 1kg,White sugar,185,KES,true,\n"
       "Unga wa Ugali 2kg,Maize flour,abc,KES,true,\n"
       "Mafuta ya Kupika 1L,Cooking oil,360,KES,maybe,\n"
       "Chumvi 500g,Table salt,45,KES,true,\n")


@pytest.fixture
def signup_on(monkeypatch):
    monkeypatch.setenv("MTAABOT_DASHBOARD_SIGNUP", "1")


@pytest.fixture
def graph(monkeypatch):
    with FakeGraph(valid_tokens={GOOD_TOKEN}, phone_numbers={"106540352242922": {
            "display_phone_number": "+254 711 000 431", "verified_name": "Mama Mboga Kawangware"}}) as fake:
        monkeypatch.setenv("WHATSAPP_GRAPH_URL", fake.url)
        yield fake


@pytest.fixture
def daraja(monkeypatch):
    with FakeDaraja() as fake:
        for key, value in fake.env().items():
            monkeypatch.setenv(key, value)
        yield fake


def _signup_page(lang: str = "sw"):
    at = new_app().run()
    if lang != "sw":
        set_language(at, lang)
    at.switch_page("app_pages/signup.py")
    return at.run()


def _fill(at, name: str, number: str, tone: str = "mtaa"):
    at.text_input(key="signup_name").input(name)
    at.radio(key="signup_tone").set_value(tone)
    at.text_input(key="signup_number").input(number)
    at.text_input(key="signup_location").input("Kawangware, Nairobi")
    at.text_input(key="signup_hours").input("Mon–Sat 7:00–21:00")
    at.button(key="signup_create").click()
    return at.run()


def _count(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) AS n FROM {table}").fetchone()["n"]  # noqa: S608 - fixed names


def test_sign_up_is_off_unless_the_operator_turns_it_on(db_url, monkeypatch) -> None:
    monkeypatch.delenv("MTAABOT_DASHBOARD_SIGNUP", raising=False)
    at = new_app().run()
    assert not at.exception
    assert "Fungua duka" not in texts(at) and not at.get("page_link")
    with pytest.raises(ValueError):
        at.switch_page("app_pages/signup.py")


def test_bad_shop_details_are_explained_in_the_owners_language_and_nothing_is_created(signup_on, conn) -> None:
    create_business(conn, name="Mama Mboga", tone="mtaa", whatsapp_number="254711000431")
    conn.commit()
    before = (_count(conn, "businesses"), _count(conn, "api_configs"), _count(conn, "shop_onboarding"))
    at = _fill(_signup_page("sw"), "mama mboga", "0722 000 111")
    assert not at.exception
    assert any("Duka lenye jina \"mama mboga\" tayari lipo" in e.value for e in at.error)
    at = _fill(_signup_page("sw"), "Mboga Fresh", "+254 711 000 431")
    assert any("tayari imesajiliwa na duka lingine" in e.value for e in at.error)
    at = _fill(_signup_page("en"), "Mboga Fresh", "0712 34")
    assert any("\"0712 34\" is not a valid phone number" in e.value for e in at.error)
    at = _fill(_signup_page("en"), "   ", "0722 000 111")
    assert any("Write the shop's name" in e.value for e in at.error)
    assert (_count(conn, "businesses"), _count(conn, "api_configs"), _count(conn, "shop_onboarding")) == before


def test_a_shop_from_nothing_to_paid_in_kiswahili(signup_on, graph, daraja, conn) -> None:
    at = _signup_page("sw")
    samples = " ".join(at.radio(key="signup_tone").options)
    assert "Mtaa" in samples and "Sana" in samples
    at = _fill(at, "Mama Mboga Kawangware", "0711 000 431", tone="rafiki")
    assert not at.exception
    shop = conn.execute("SELECT * FROM businesses WHERE name = 'Mama Mboga Kawangware'").fetchone()
    assert shop["whatsapp_number"] == "254711000431" and shop["tone"] == "rafiki"
    assert shop["location"] == "Kawangware, Nairobi" and shop["opening_hours"] == "Mon–Sat 7:00–21:00"

    # step 2: the key, shown once; continuing needs the "saved it" tick
    key = at.code[0].value
    assert key.startswith("mtb_") and "MARA MOJA TU" in texts(at)
    assert at.button(key="signup_key_continue").disabled
    at.checkbox(key="signup_key_saved").check().run()
    at.button(key="signup_key_continue").click().run()
    assert key not in texts(at) and not [c for c in at.code if c.value == key]

    # step 3: a CSV with broken rows: good rows in, each bad row explained in Kiswahili
    at.file_uploader(key="signup_csv").set_value(("bidhaa.csv", CSV.encode(), "text/csv")).run()
    at.button(key="signup_import").click().run()
    assert not at.exception
    assert any("Zimeongezwa 2" in s.value for s in at.success)
    errors = at.dataframe[-1].value
    assert list(errors["Mstari"]) == [3, 4]
    assert "bei \"abc\" si namba" in errors["Kosa"][0] and "lazima iwe true au false" in errors["Kosa"][1]
    names = {r["name"] for r in conn.execute("SELECT name FROM products WHERE business_id = %s", (shop["id"],))}
    assert names == {"Sukari 1kg", "Chumvi 500g"}
    at.button(key="signup_catalogue_continue").click().run()

    # step 4: WhatsApp: a wrong token is refused by Meta and nothing is stored; the right one is kept encrypted
    at.text_input(key="signup_number_id").input("106540352242922")
    at.text_input(key="signup_token").input("EAAG-wrong")
    at.button(key="signup_test").click().run()
    assert any("Meta imekataa access token (kosa 190)" in e.value for e in at.error)
    cfg = conn.execute("SELECT * FROM api_configs WHERE business_id = %s", (shop["id"],)).fetchone()
    assert cfg["whatsapp_phone_number_id"] is None and cfg["whatsapp_access_token"] is None
    at.text_input(key="signup_token").input(GOOD_TOKEN)
    at.button(key="signup_test").click().run()
    assert any("Imeunganishwa: +254 711 000 431 (Mama Mboga Kawangware)" in s.value for s in at.success)
    assert graph.lookups[-1].token == GOOD_TOKEN and graph.lookups[-1].phone_number_id == "106540352242922"
    conn.rollback()
    cfg = conn.execute("SELECT * FROM api_configs WHERE business_id = %s", (shop["id"],)).fetchone()
    assert cfg["whatsapp_phone_number_id"] == "106540352242922"
    assert cfg["whatsapp_access_token"].startswith("fernet:") and GOOD_TOKEN not in cfg["whatsapp_access_token"]
    at.button(key="signup_whatsapp_continue").click().run()

    # step 5: plan and M-Pesa: a cancelled prompt is explained, the retry is confirmed
    at.selectbox(key="signup_pay_plan").set_value("lite")
    at.text_input(key="signup_pay_phone").input("0712 345 678")
    at.button(key="signup_pay_pay").click().run()
    first = list(daraja.pushes)[-1]
    assert "Tunasubiri uthibitisho wa M-Pesa" in texts(at)
    daraja.set_query_result(first, 1032, "Request cancelled by user")
    at.run()
    assert any("ombi lilisitishwa kwenye simu" in e.value for e in at.error)
    at.button(key="signup_pay_pay").click().run()
    second = list(daraja.pushes)[-1]
    assert second != first
    daraja.set_query_result(second, 0, "The service request is processed successfully.")
    at.run()
    assert any("Malipo yamethibitishwa" in s.value for s in at.success)
    at.button(key="signup_plan_continue").click().run()
    assert not at.exception
    assert at.title[0].value == "Muhtasari"  # set-up done: the owner's own overview
    conn.rollback()
    row = conn.execute("SELECT * FROM shop_onboarding WHERE business_id = %s", (shop["id"],)).fetchone()
    assert row["completed_at"] is not None
    paid = conn.execute("SELECT status, plan_tier FROM subscriptions WHERE business_id = %s ORDER BY created_at",
                        (shop["id"],)).fetchall()
    assert [(p["status"], p["plan_tier"]) for p in paid] == [("failed", "lite"), ("active", "lite")]
    again = sign_in(new_app(), key, lang=None)  # the saved key signs in, in the language the shop was set up in
    assert again.title[0].value == "Muhtasari"


def test_set_up_resumes_where_it_stopped(signup_on, conn) -> None:
    at = _fill(_signup_page("en"), "Simu Fix Kisumu", "0733 000 555", tone="kazi")
    key = at.code[0].value
    at.checkbox(key="signup_key_saved").check().run()
    at.button(key="signup_key_continue").click().run()
    at.button(key="signup_catalogue_skip").click().run()
    assert "Connect your WhatsApp Business number" in texts(at)  # step 4 of 5
    at.button(key="sign_out").click().run()
    back = sign_in(new_app(), key, lang=None)
    assert not back.exception
    assert back.title[0].value == "Shop set-up"
    assert "Connect your WhatsApp Business number" in texts(back)  # the WhatsApp step, not the start again
    back.button(key="signup_whatsapp_skip").click().run()
    back.button(key="signup_trial").click().run()
    assert back.title[0].value == "Overview"
    again = sign_in(new_app(), key, lang=None)
    assert again.title[0].value == "Overview"  # finished: no set-up page any more
