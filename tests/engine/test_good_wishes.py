"""Good wishes and goodbyes are answered in kind: "Merry Christmas mama njeri na familia!", "usiku mwema mama" and
"Good morning, God bless you" were "we don't sell that" or the opening hours (customer test, session 24). The
sentences are this file's own."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, make_shop


@pytest.mark.parametrize(("text", "customer", "said"), [
    ("Merry Christmas mama njeri na familia!", "254719400001", "sikukuu"),
    ("Happy holidays! 🎄", "254719400002", "holidays"),
    ("usiku mwema mama", "254719400003", "nawe pia"),
    ("Good morning, God bless you", "254719400004", "same to you"),
])
def test_good_wishes_are_answered_in_kind(conn, text, customer, said):
    """Seasonal greetings and goodbyes were "we don't sell that" or the opening hours (customer test, session 24)."""
    shop = make_shop(conn)
    reply = ask(conn, shop, text, customer).reply
    assert said in reply, reply
    assert "hatuuzi" not in reply and "don't sell" not in reply and "Tunafungua" not in reply, reply
