""""ile ya pili" and "ya kwanza" point at what the customer reads (customer test s28): after a summary listing flour
then sugar, "ile ya pili iwe mbili" made the flour two (the second named); after a one-line summary, "na hiyo ya kwanza
pia moja size 40" added the summary's line again instead of the list's first. Sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, make_shop

CATALOGUE = """name,description,price,currency,is_available,metadata
Zebra Maize Flour 2kg,Maize meal,200,KES,true,"{""category"": ""flour""}"
Alpha Sugar 1kg,White sugar,180,KES,true,"{""category"": ""sugar""}"
Leather Sandals,Handmade sandals,900,KES,true,"{""category"": ""sandals"", ""sizes"": ""37-44""}"
Beach Sandals,Rubber sandals,600,KES,true,"{""category"": ""sandals"", ""sizes"": ""37-44""}"
"""


def lines(reply) -> dict[tuple[str, str | None], int]:
    return {(i["name"], i.get("variant")): i["quantity"] for i in reply.order["items"]}


def test_the_second_line_is_the_second_the_summary_shows(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    first = ask(conn, shop, "nataka zebra moja na sukari moja", "254719950001")
    shown = [line.split("×")[1].split("@")[0].strip() for line in first.reply.splitlines() if "×" in line]
    reply = ask(conn, shop, "ile ya pili iwe mbili", "254719950001")
    got = {name: q for (name, _), q in lines(reply).items()}
    assert got == {shown[0]: 1, shown[1]: 2}, (first.reply, reply.reply)


def test_the_first_of_the_list_after_a_one_line_summary_is_the_list_s_first(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    listed = ask(conn, shop, "sandals", "254719950002")
    names = [line.split(":")[0].strip("• ").strip() for line in listed.reply.splitlines() if line.startswith("•")]
    assert len(names) == 2, listed.reply
    ask(conn, shop, "ile ya pili size 41, pair mbili", "254719950002")
    reply = ask(conn, shop, "na hiyo ya kwanza pia moja size 40", "254719950002")
    assert {name for name, _ in lines(reply)} == set(names), reply.reply
