"""A pack word that only one product is sold by ("tray moja na maziwa 2": the Tray of Eggs) named nothing: the eggs
were lost and the order had milk only. Catalogue and sentences are this file's own."""

from __future__ import annotations

from tests.engine.conftest import ask, make_shop, order_lines

CATALOGUE = """name,description,price,currency,is_available,metadata
Tray of Kienyeji Eggs,30 free-range eggs (mayai),540,KES,true,"{""category"": ""groceries""}"
Fresh Milk 500ml,Pasteurised milk (maziwa),70,KES,true,"{""category"": ""dairy""}"
"""



def test_the_pack_word_is_the_thing_sold_by_it(conn):
    shop = make_shop(conn, catalogue=CATALOGUE)
    result = ask(conn, shop, "tray moja na maziwa 2", "254719900001")
    assert order_lines(result) == {("Tray of Kienyeji Eggs", None): 1, ("Fresh Milk 500ml", None): 2}, result.reply
    assert "680" in result.reply, result.reply
