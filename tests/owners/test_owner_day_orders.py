"""The owner asks for one day's orders or money on WhatsApp: "oda za jana" lists the orders placed yesterday whatever
became of them (it listed today's open orders), "nani amelipa leo?" / "who paid today?" who paid and how much (the whole
help came back)."""

from __future__ import annotations

from tests.engine.conftest import ask
from tests.owners.test_owner_order_money import OWNER, confirmed, owned_shop

OTHER = "254712900402"


def test_yesterday_s_orders_are_those_placed_yesterday_even_when_done(conn, monkeypatch):
    shop = owned_shop(conn, monkeypatch)
    old = confirmed(conn, shop, "nataka sukari mbili")
    ask(conn, shop, f"THIBITISHA {old}", customer=OWNER)
    conn.execute("UPDATE orders SET created_at = created_at - interval '1 day' WHERE business_id = %s AND number = %s",
                 (shop["id"], old))
    new = confirmed(conn, shop, "nataka unga moja", customer=OTHER)
    said = ask(conn, shop, "oda za jana", customer=OWNER).reply
    assert f"#{old} " in said and f"#{new} " not in said and "Kabras Sugar" in said
    english = ask(conn, shop, "yesterday's orders", customer=OWNER).reply
    assert f"#{old} " in english and english.startswith("Orders yesterday")


def test_who_paid_today_lists_whole_and_part_payments_with_the_total(conn, monkeypatch):
    shop = owned_shop(conn, monkeypatch)
    whole = confirmed(conn, shop, "nataka sukari mbili")
    part = confirmed(conn, shop, "nataka unga mbili", customer=OTHER)
    unpaid = confirmed(conn, shop, "nataka sukari moja", customer="254712900403")
    ask(conn, shop, f"THIBITISHA {whole}", customer=OWNER)
    ask(conn, shop, f"THIBITISHA {part} 100", customer=OWNER)
    said = ask(conn, shop, "nani amelipa leo?", customer=OWNER).reply
    assert f"#{whole} KES 360" in said and f"#{part} KES 100" in said and f"#{unpaid} " not in said
    assert "KES 460" in said  # received today in all
    assert ask(conn, shop, "who paid yesterday?", customer=OWNER).reply == "Nobody paid yesterday."
    assert ask(conn, shop, "who paid today?", customer=OWNER).reply.startswith("Paid today:")


def test_payments_and_handovers_in_the_owner_s_own_words(conn, monkeypatch):
    # each got the whole help, a list of every order, or "no product 'pesa ngapi'" (tester s32)
    shop = owned_shop(conn, monkeypatch)
    first = confirmed(conn, shop, "nataka sukari mbili")
    second = confirmed(conn, shop, "nataka unga mbili", customer=OTHER)
    third = confirmed(conn, shop, "nataka sukari moja", customer="254712900403")
    fourth = confirmed(conn, shop, "nataka unga moja", customer="254712900404")
    unpaid = ask(conn, shop, "ni nani hajalipa?", customer=OWNER).reply
    assert all(f"#{n} " in unpaid for n in (first, second, third, fourth)), unpaid
    assert ask(conn, shop, f"mark order {first} as paid", customer=OWNER).reply == f"Order #{first}: paid."
    part = ask(conn, shop, f"mteja wa oda {second} amenipa cash 100, atalete 320 kesho", customer=OWNER)
    assert "KES 100" in part.reply and "KES 320" in part.reply, part.reply
    both = ask(conn, shop, f"mteja wa oda {third} amekuja akachukua na kulipa cash", customer=OWNER)
    assert "imelipwa" in both.reply and "imekamilika" in both.reply, both.reply
    ask(conn, shop, f"{fourth} amelipa", customer=OWNER)
    statuses = conn.execute("SELECT number, status FROM orders WHERE business_id = %s", (shop["id"],)).fetchall()
    assert {r["number"]: r["status"] for r in statuses} == {first: "paid", second: "awaiting_payment",
                                                           third: "fulfilled", fourth: "paid"}
    came = ask(conn, shop, "pesa ngapi imeingia leo", customer=OWNER).reply
    assert "KES 850" in came, came  # 360 + 100 + 180 + 210
    still = ask(conn, shop, "who hasn't paid?", customer=OWNER).reply
    assert f"#{second} " in still and f"#{first} " not in still and f"#{fourth} " not in still, still


def test_collected_words_close_a_paid_order(conn, monkeypatch):
    shop = owned_shop(conn, monkeypatch)
    n = confirmed(conn, shop, "nataka sukari mbili")
    ask(conn, shop, f"THIBITISHA {n}", customer=OWNER)
    done = ask(conn, shop, f"oda {n} imechukuliwa", customer=OWNER)
    assert "imekamilika" in done.reply, done.reply
    assert "Hakuna oda" in ask(conn, shop, "ODA", customer=OWNER).reply


def test_a_hand_over_alert_says_what_the_customer_is_ordering(conn, monkeypatch):
    # the alert read only "ni ngapi jumla? / ndio / mwenye duka": no things, no total (tester s32)
    shop = owned_shop(conn, monkeypatch)
    ask(conn, shop, "nataka sukari mbili", customer=OTHER)
    n = ask(conn, shop, "ndio", customer=OTHER).order["number"]
    ask(conn, shop, "nataka kuongea na mwenye duka", customer=OTHER)
    alert = conn.execute("""SELECT body FROM notifications WHERE business_id = %s AND kind = 'escalation'
                            ORDER BY created_at DESC LIMIT 1""", (shop["id"],)).fetchone()["body"]
    assert f"oda #{n}" in alert and "2× Kabras Sugar 1kg" in alert and "KES 360" in alert, alert


def test_two_orders_paid_in_one_sentence_and_words_for_a_waiting_customer_sent_nowhere(conn, monkeypatch):
    # "oda 2 na 3 zimelipwa" listed the orders and recorded nothing; "pole sana, niletee kesho" while a customer
    # waited got the whole help, with no word that nothing was sent (tester s32b)
    shop = owned_shop(conn, monkeypatch)
    first = confirmed(conn, shop, "nataka sukari mbili")
    second = confirmed(conn, shop, "nataka unga mbili", customer=OTHER)
    ask(conn, shop, f"oda {first} na {second} zimelipwa", customer=OWNER)
    statuses = {r["number"]: r["status"] for r in conn.execute(
        "SELECT number, status FROM orders WHERE business_id = %s", (shop["id"],)).fetchall()}
    assert statuses == {first: "paid", second: "paid"}
    ask(conn, shop, "nataka kuongea na mwenye duka", customer="254712900405")
    alert = conn.execute("SELECT number FROM owner_alerts WHERE business_id = %s ORDER BY created_at DESC LIMIT 1",
                         (shop["id"],)).fetchone()["number"]
    said = ask(conn, shop, "pole sana, niletee kesho tuicheck", customer=OWNER)
    assert said.reply.startswith("Haijatumwa") and f"JIBU {alert} pole sana" in said.reply, said.reply
