"""Property: whatever the catalogue, every price in a reply is that shop's catalogue price, written `KES 1,450`."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtaabot.reply_builder import format_price, prices_in
from tests.engine.conftest import ask, make_shop

NOUNS = ["Sugar", "Rice", "Soap", "Bread", "Milk", "Cement", "Paint", "Jeans", "Sneakers", "Charger", "Padlock",
         "Kettle", "Blanket", "Torch", "Umbrella", "Backpack", "Mattress", "Radio", "Sandals", "Honey"]
BRANDS = st.text(alphabet="ABCDEFGHKLMNPRSTZ", min_size=3, max_size=6).map(str.capitalize)
PRICES = st.decimals(min_value=Decimal("1"), max_value=Decimal("250000"), places=2, allow_nan=False,
                     allow_infinity=False)
CATALOGUES = st.lists(st.tuples(BRANDS, st.sampled_from(NOUNS), PRICES, st.booleans()), min_size=1, max_size=5,
                      unique_by=lambda t: t[1])


def _csv(rows) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["name", "description", "price", "currency", "is_available", "metadata"])
    for brand, noun, price, available in rows:
        writer.writerow([f"{brand} {noun}", f"{noun.lower()} from {brand}", str(price), "KES", str(available), ""])
    return buf.getvalue()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=CATALOGUES, pick=st.integers(min_value=0, max_value=4),
       template=st.sampled_from(["How much is the {n}?", "{n} ni bei gani?", "Niaje, {n} iko?", "price list"]))
def test_reply_prices_equal_catalogue_prices(conn, rows, pick, template):
    shop = make_shop(conn, catalogue=_csv(rows))
    brand, noun, price, _ = rows[pick % len(rows)]
    result = ask(conn, shop, template.format(n=noun.lower()))
    catalogue = {Decimal(str(p)) for _, _, p, _ in rows}
    assert result.reply
    for value in prices_in(result.reply):
        assert value in catalogue, (result.reply, catalogue)
    for product in result.products:
        assert Decimal(str(product["price"])) in catalogue
    if "{n}" in template:
        assert result.products and result.products[0]["name"] == f"{brand} {noun}", result.reply
        assert format_price(price) in result.reply
