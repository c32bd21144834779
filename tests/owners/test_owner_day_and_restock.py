"""Owner words from owner test s26: a day's bookings from WhatsApp ("miadi ya kesho", "bookings tomorrow"), new
stock of a thing marked out ("earbuds zimefika 10" left it out and asked for a count), and the English help for an
English owner's words that are no command ("whats selling today" got the Swahili help)."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_salon
from tests.owners.conftest import shop_with_owner

OWNER = "254700000881"


def test_tomorrow_s_bookings_are_listed_by_time(conn, monkeypatch):
    salon = make_salon(conn, "name,price,category\nKnotless Braids,3500,Hair\nGel Nails,1200,Nails\n", minutes=120)
    from mtaabot.owners.registry import add_trusted_owner

    add_trusted_owner(conn, salon["id"], OWNER)
    conn.commit()
    monkeypatch.setenv("MTAABOT_OWNER_QUIET_HOURS", "off")
    ask(conn, salon, "gel nails kesho saa nne asubuhi", customer="254712800001")
    ask(conn, salon, "ndio", customer="254712800001")
    ask(conn, salon, "knotless braids kesho saa tatu asubuhi", customer="254712800002")
    ask(conn, salon, "ndio", customer="254712800002")
    listed = ask(conn, salon, "miadi ya kesho", customer=OWNER)
    assert listed.owner_command == "orders", listed.reply
    lines = listed.reply.splitlines()[1:]
    assert lines[0].startswith("09:00") and "Knotless Braids" in lines[0] and "254712800002" in lines[0], listed.reply
    assert lines[1].startswith("10:00") and "Gel Nails" in lines[1]
    english = ask(conn, salon, "bookings tomorrow", customer=OWNER)
    assert english.reply.startswith("Bookings on") and len(english.reply.splitlines()) == 3
    assert "Hakuna miadi" in ask(conn, salon, "miadi ya leo", customer=OWNER).reply
    # asked in a sentence (the whole help; customer test s30b)
    for said in ("kesho tuko na nani?", "who is coming tomorrow?"):
        asked = ask(conn, salon, said, customer=OWNER)
        assert "Knotless Braids" in asked.reply and "Gel Nails" in asked.reply, asked.reply


def test_new_stock_of_a_thing_marked_out_puts_it_back_counted(conn, monkeypatch):
    shop = shop_with_owner(conn, monkeypatch, OWNER)
    conn.execute("UPDATE products SET is_available = false, stock = NULL WHERE business_id = %s "
                 "AND name = 'Tray of Eggs'", (shop["id"],))
    conn.commit()
    back = ask(conn, shop, "mayai zimefika 10", customer=OWNER)
    assert "zimebaki 10" in back.reply, back.reply
    row = conn.execute("SELECT is_available, stock FROM products WHERE business_id = %s AND name = 'Tray of Eggs'",
                       (shop["id"],)).fetchone()
    assert row["is_available"] and row["stock"] == 10
    asked = ask(conn, shop, "mayai ziko?", customer="254712800003")
    assert "KES" in asked.reply and "imeisha" not in asked.reply.lower(), asked.reply


def test_an_english_owner_s_words_that_are_no_command_get_the_english_help(conn, monkeypatch):
    shop = shop_with_owner(conn, monkeypatch, OWNER)
    assert ask(conn, shop, "whats selling today", customer=OWNER).reply.startswith("Owner commands")
    assert ask(conn, shop, "nini kinauzwa sana", customer=OWNER).reply.startswith("Amri za mwenye duka")


def test_owner_words_that_were_misread_now_do_what_was_meant_or_say_why_not(conn, monkeypatch):
    """"confirm" alone was "There is no order #?."; "oda 1 imefika" showed the order; "leo tunafunga saa kumi" gave
    the day's numbers; "OUT af1 size 43" put every size out (owner test s26)."""
    shop = shop_with_owner(conn, monkeypatch, OWNER)
    ask(conn, shop, "nataka sukari mbili", customer="254712800004")
    number = ask(conn, shop, "ndio", customer="254712800004").order["number"]
    which = ask(conn, shop, "thibitisha", customer=OWNER)
    assert "Oda ipi?" in which.reply and f"#{number}" in which.reply, which.reply
    ask(conn, shop, f"oda {number} imelipwa", customer=OWNER)
    delivered = ask(conn, shop, f"oda {number} imefika", customer=OWNER)
    status = conn.execute("SELECT status FROM orders WHERE business_id = %s AND number = %s",
                          (shop["id"], number)).fetchone()["status"]
    assert status == "fulfilled", delivered.reply
    hours = ask(conn, shop, "leo tunafunga saa kumi", customer=OWNER)
    assert "Hakuna kilichobadilika" in hours.reply and "mazungumzo" not in hours.reply, hours.reply
    sized = ask(conn, shop, "ISHA sukari size 43", customer=OWNER)  # no sizes: nothing out, never the whole product
    assert "Hakuna kilichobadilika" in sized.reply, sized.reply
    assert conn.execute("SELECT is_available FROM products WHERE business_id = %s AND name = 'Kabras Sugar 1kg'",
                        (shop["id"],)).fetchone()["is_available"]


def test_one_size_out_is_said_to_customers_and_the_other_sizes_stay_on_sale(conn, monkeypatch):
    """"superstar size 44 zimeisha" was refused ("single sizes are not tracked"), and customers kept being offered
    size 44 (owner test s27)."""
    from mtaabot.devtools import demo

    shop = shop_with_owner(conn, monkeypatch, OWNER, catalogue=demo.demo_catalogue()["Kicks Kona"])
    said = ask(conn, shop, "superstar size 44 zimeisha", customer=OWNER)
    assert "size 44" in said.reply, said.reply
    refused = ask(conn, shop, "nipe superstar size 44", customer="254712800011")
    assert refused.order is None and "44" in refused.reply, refused.reply
    # the sizes there are, without the one out ("tuko na size 39-44" of a size 44 out; customer test s30)
    assert "39, 40, 41, 42, 43" in refused.reply and "39-44" not in refused.reply, refused.reply
    taken = ask(conn, shop, "nipe superstar size 43", customer="254712800012")
    assert taken.order is not None and taken.order["items"][0]["variant"] == "size 43", taken.reply
    ask(conn, shop, "IKO superstar size 44", customer=OWNER)
    back = ask(conn, shop, "nipe superstar size 44", customer="254712800013")
    assert back.order is not None, back.reply
    # two sizes out asked in one message: one sentence (the same sentence came twice; customer test s30)
    ask(conn, shop, "superstar size 43 zimeisha", customer=OWNER)
    ask(conn, shop, "superstar size 44 zimeisha", customer=OWNER)
    both = ask(conn, shop, "nataka superstar size 43 na ingine size 44", customer="254712800014")
    assert both.reply.count("39, 40, 41, 42") == 1 and "43 na 44" in both.reply, both.reply


def _owned_salon(conn, monkeypatch, catalogue: str):
    """A salon (every row a two-hour service) with OWNER as its verified owner, alerts sent at any hour."""
    from mtaabot.owners.registry import add_trusted_owner

    salon = make_salon(conn, catalogue, minutes=120)
    add_trusted_owner(conn, salon["id"], OWNER)
    conn.commit()
    monkeypatch.setenv("MTAABOT_OWNER_QUIET_HOURS", "off")
    return salon


@pytest.mark.parametrize("said", ["booking {n} ihamishe kesho saa nne asubuhi, saa nane tumejaa",
                                  "move booking {n} to tomorrow 10am"])
def test_the_owner_moves_a_booking_and_the_client_is_told(conn, monkeypatch, said):
    """"booking 4 ihamishe kesho saa nne asubuhi, saa nane tumejaa" was answered with the day's list and nothing moved;
    the client came at the time agreed while the books said 14:00 (customer test s30)."""

    salon = _owned_salon(conn, monkeypatch, "name,price,category\nKnotless Braids,3500,Hair\n")
    client = "254712800021"
    ask(conn, salon, "knotless braids kesho saa nane", customer=client)
    n = ask(conn, salon, "ndio", customer=client).order["number"]
    moved = ask(conn, salon, said.format(n=n), customer=OWNER)
    assert moved.owner_command == "booking_move" and "10:00" in moved.reply, moved.reply
    told = conn.execute("""SELECT m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id
                           WHERE c.customer_phone = %s ORDER BY m.created_at DESC LIMIT 1""", (client,)).fetchone()
    assert "10:00" in told["content"], told
    asked = ask(conn, salon, "booking yangu ni saa ngapi kesho?", customer=client)
    assert "10:00" in asked.reply, asked.reply


@pytest.mark.parametrize("said", ["MIADI {n} ihamishe saa tano", "booking {n} isogeze hadi saa kumi",
                                  "move booking {n} to 2pm"])
def test_an_hour_alone_keeps_the_booking_s_day(conn, monkeypatch, said):
    """"MIADI 8 ihamishe saa tano" moved Saturday's booking to today, and the client was told today (owner test s31)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo


    salon = _owned_salon(conn, monkeypatch, "name,price,category\nKnotless Braids,3500,Hair\n")
    client = f"25471280003{len(said) % 10}"
    ask(conn, salon, "knotless braids keshokutwa saa nane", customer=client)
    booked = ask(conn, salon, "ndio", customer=client).order
    n, day = booked["number"], datetime.fromisoformat(booked["booking_at"]).astimezone(ZoneInfo("Africa/Nairobi")).date()
    assert day == datetime.now(ZoneInfo("Africa/Nairobi")).date() + timedelta(days=2)
    ask(conn, salon, said.format(n=n), customer=OWNER)
    at = conn.execute("SELECT booking_at FROM orders WHERE business_id = %s AND number = %s",
                      (salon["id"], n)).fetchone()["booking_at"].astimezone(ZoneInfo("Africa/Nairobi"))
    assert at.date() == day and at.hour in (11, 14, 16), at


def test_a_booking_moved_verb_first_and_a_day_s_bookings_asked_in_english(conn, monkeypatch):
    """"hamisha miadi ya 1 iwe saa tatu" and "what bookings do I have on saturday?" got the whole help (owner test
    s31)."""
    from zoneinfo import ZoneInfo


    salon = _owned_salon(conn, monkeypatch, "name,price,category\nKnotless Braids,3500,Hair\n")
    client = "254712800041"
    ask(conn, salon, "knotless braids jumamosi saa nane", customer=client)
    n = ask(conn, salon, "ndio", customer=client).order["number"]
    moved = ask(conn, salon, f"hamisha miadi ya {n} iwe saa tatu", customer=OWNER)
    at = conn.execute("SELECT booking_at FROM orders WHERE business_id = %s AND number = %s",
                      (salon["id"], n)).fetchone()["booking_at"].astimezone(ZoneInfo("Africa/Nairobi"))
    assert moved.owner_command == "booking_move" and at.hour == 9 and at.weekday() == 5, (at, moved.reply)
    listed = ask(conn, salon, "what bookings do I have on saturday?", customer=OWNER)
    assert f"#{n}" in listed.reply and "09:00" in listed.reply, listed.reply


def test_a_client_moving_a_booking_the_owner_moved_is_told_from_the_owner_s_time(conn, monkeypatch):
    """The owner moved #5 to 10:00; the client's "nitachelewa kidogo, nitafika saa nne na nusu" was told to the owner as
    moved "from 09:00", the time before the owner's move (owner test s31)."""

    salon = _owned_salon(conn, monkeypatch, "name,price,category\nKnotless Braids,3500,Hair\n")
    client = "254712800051"
    ask(conn, salon, "knotless braids jumamosi saa tatu asubuhi", customer=client)
    n = ask(conn, salon, "ndio", customer=client).order["number"]
    ask(conn, salon, f"MIADI {n} ihamishe saa nne asubuhi", customer=OWNER)
    ask(conn, salon, "nitachelewa kidogo, nitafika saa nne na nusu", customer=client)
    alert = conn.execute("SELECT body FROM notifications WHERE business_id = %s ORDER BY created_at DESC LIMIT 1",
                         (salon["id"],)).fetchone()["body"]
    assert "10:00" in alert and "10:30" in alert and "09:00" not in alert, alert


def test_the_week_s_bookings(conn, monkeypatch):
    """"miadi za wiki hii" said "Hakuna miadi Tue 08 Dec" while Friday and Saturday were booked (owner test s31b)."""

    salon = _owned_salon(conn, monkeypatch, "name,price,category\nKnotless Braids,3500,Hair\n")
    client = "254712800061"
    ask(conn, salon, "knotless braids keshokutwa saa nane", customer=client)
    n = ask(conn, salon, "ndio", customer=client).order["number"]
    week = ask(conn, salon, "miadi za wiki hii", customer=OWNER)
    assert f"#{n}" in week.reply and "14:00" in week.reply, week.reply


def test_a_booking_moved_by_its_service_and_day(conn, monkeypatch):
    """"miadi ya box braids ya jumamosi isogeze iwe saa tano" listed Saturday's bookings and moved nothing (owner test
    s31b): the one booking of that service that day moves."""
    from zoneinfo import ZoneInfo


    salon = _owned_salon(conn, monkeypatch, "name,price,category\nKnotless Braids,3500,Hair\nCornrows,800,Hair\n")
    ask(conn, salon, "knotless braids jumamosi saa tatu asubuhi", customer="254712800071")
    n = ask(conn, salon, "ndio", customer="254712800071").order["number"]
    ask(conn, salon, "cornrows jumamosi saa tatu asubuhi", customer="254712800072")
    m = ask(conn, salon, "ndio", customer="254712800072").order["number"]
    moved = ask(conn, salon, "miadi ya knotless braids ya jumamosi isogeze iwe saa tano", customer=OWNER)
    at = {r["number"]: r["booking_at"].astimezone(ZoneInfo("Africa/Nairobi")).hour for r in conn.execute(
        "SELECT number, booking_at FROM orders WHERE business_id = %s", (salon["id"],)).fetchall()}
    assert at == {n: 11, m: 9}, (at, moved.reply)


def test_a_booking_not_yet_confirmed_moved_by_the_owner_waits_for_the_client_s_yes(conn, monkeypatch):
    """The owner moved a booking the client had not said yes to: the client heard "Tutakuona!" and the owner's
    MIADI list never showed it (tester s32). Now the client is asked to confirm the owner's time."""
    salon = _owned_salon(conn, monkeypatch, "name,price,category\nKnotless Braids,3500,Hair\n")
    client = "254712800031"
    n = ask(conn, salon, "knotless braids kesho saa nane", customer=client).order["number"]
    moved = ask(conn, salon, f"MIADI {n} ihamishe kesho saa nne", customer=OWNER)
    assert "10:00" in moved.reply and "NDIO" in moved.reply, moved.reply
    told = conn.execute("""SELECT m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id
                           WHERE c.customer_phone = %s ORDER BY m.created_at DESC LIMIT 1""", (client,)).fetchone()
    assert "10:00" in told["content"] and "NDIO" in told["content"] and "Tutakuona" not in told["content"], told
    yes = ask(conn, salon, "sawa ndio", customer=client)
    assert yes.order["status"] == "awaiting_payment" and "10:00" in yes.reply, yes.reply
    listed = ask(conn, salon, "MIADI kesho", customer=OWNER)
    assert f"#{n}" in listed.reply and "10:00" in listed.reply, listed.reply


def test_a_booking_cancelled_with_a_reason_tells_the_client_why_and_the_owner_which_booking(conn, monkeypatch):
    """"ghairi miadi 2, stylist mgonjwa": the client was not told why, and the owner read "Oda #2" of a booking
    (tester s32)."""
    salon = _owned_salon(conn, monkeypatch, "name,price,category\nKnotless Braids,3500,Hair\n")
    client = "254712800041"
    ask(conn, salon, "knotless braids kesho saa nane", customer=client)
    n = ask(conn, salon, "ndio", customer=client).order["number"]
    done = ask(conn, salon, f"ghairi miadi {n}, stylist mgonjwa", customer=OWNER)
    assert done.reply.startswith(f"Miadi #{n}: imesitishwa."), done.reply
    told = [r["content"] for r in conn.execute(
        """SELECT m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id
           WHERE c.customer_phone = %s AND m.role = 'bot' ORDER BY m.created_at""", (client,)).fetchall()]
    assert any("stylist mgonjwa" in t for t in told), told


def test_a_booking_moved_to_a_closed_hour_is_moved_with_a_word_about_the_hours(conn, monkeypatch):
    """A booking moved to a Sunday of a Mon-Sat salon said nothing (tester s32): the owner's word stands, the hours are
    pointed out."""
    salon = _owned_salon(conn, monkeypatch, "name,price,category\nKnotless Braids,3500,Hair\n")
    conn.execute("UPDATE businesses SET opening_hours = 'Mon-Sat 8am-7pm' WHERE id = %s", (salon["id"],))
    client = "254712800051"
    ask(conn, salon, "knotless braids jumatatu saa nane", customer=client)
    n = ask(conn, salon, "ndio", customer=client).order["number"]
    moved = ask(conn, salon, f"MIADI {n} ihamishe jumapili saa nne", customer=OWNER)
    assert "Sun" in moved.reply and "Mon-Sat 8am-7pm" in moved.reply, moved.reply
    open_day = ask(conn, salon, f"MIADI {n} ihamishe jumamosi saa nne", customer=OWNER)
    assert "Sat" in open_day.reply and "Mon-Sat" not in open_day.reply, open_day.reply


def test_the_owner_s_own_note_on_a_cancel_is_never_sent_to_the_client(conn, monkeypatch):
    """"GHAIRI 4 mteja hakuagiza", "GHAIRI 5, nimemrudishia 3000, 500 ni ya transport": notes about the customer or the
    money were sent to the customer word for word (tester s32b)."""
    salon = _owned_salon(conn, monkeypatch, "name,price,category\nKnotless Braids,3500,Hair\n")
    for k, note in enumerate(["mteja hakuagiza", "nimemrudishia 3000, 500 ni ya transport"]):
        client = f"25471280006{k}"
        ask(conn, salon, "knotless braids kesho saa nane", customer=client)
        n = ask(conn, salon, "ndio", customer=client).order["number"]
        ask(conn, salon, f"GHAIRI {n}, {note}", customer=OWNER)
        told = [r["content"] for r in conn.execute(
            """SELECT m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id
               WHERE c.customer_phone = %s AND m.role = 'bot'""", (client,)).fetchall()]
        assert not any(note in t for t in told), told
