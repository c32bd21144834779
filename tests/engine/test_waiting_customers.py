"""A customer who says nobody is answering is handed to the owner, not answered with "we don't sell that"."""

from __future__ import annotations

import pytest

from tests.engine.conftest import ask, last_alert, make_shop


@pytest.mark.parametrize("text", ["mbona hamjibu??", "Hakuna mtu anajibu hapa", "why is no one replying?",
                                  "jibu haraka bana"])
def test_nobody_answering_goes_to_the_owner(conn, text):
    """"mbona hamjibu??" was "Samahani, hatuuzi bidhaa hiyo"; "jibu haraka bana" was thanked for shopping."""
    shop = make_shop(conn)
    result = ask(conn, shop, text)
    assert result.escalated and result.intent == "human" and text in (last_alert(conn, shop) or "")
    assert "hatuuzi" not in result.reply.lower() and "don't sell" not in result.reply
