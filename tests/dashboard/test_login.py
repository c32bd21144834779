"""Sign-in: pages need a signed-in user; owner keys and the operator password are checked for real."""

from __future__ import annotations

import pytest

from tests.dashboard.conftest import metric, new_app, open_page, set_language, sign_in, texts


def test_pages_require_sign_in(shops) -> None:
    at = new_app().run()
    assert not at.exception
    assert "Ingia" in at.title[0].value  # Kiswahili until the visitor switches
    set_language(at, "en")
    assert "Sign in" in at.title[0].value
    assert not at.metric  # no numbers before signing in
    with pytest.raises(ValueError):  # the data pages are not even registered
        at.switch_page("app_pages/overview.py")


def test_wrong_api_key_is_refused(shops) -> None:
    a, _ = shops
    at = sign_in(new_app(), a.api_key[:-3] + "xyz", lang=None)
    assert not at.exception
    assert any("Haikufaulu" in e.value for e in at.error)
    set_language(at, "en")
    at.text_input(key="login_api_key").input(a.api_key[:-3] + "xyz")
    at.button(key="owner_sign_in").click().run()
    assert any("did not work" in e.value for e in at.error)
    assert "Sign in" in at.title[0].value
    assert a.name not in texts(at)


def test_owner_signs_in_and_signs_out(shops) -> None:
    a, _ = shops
    at = sign_in(new_app(), a.api_key)
    assert not at.exception
    assert "Overview" in at.title[0].value and a.name in texts(at)
    assert not at.selectbox  # owners get no business switcher
    at.button(key="sign_out").click().run()
    assert "Sign in" in at.title[0].value


def test_operator_login_is_off_without_password(shops, monkeypatch) -> None:
    monkeypatch.delenv("MTAABOT_OPERATOR_PASSWORD", raising=False)
    at = set_language(new_app().run(), "en")
    assert "Operator sign-in is off" in texts(at)
    assert not [b for b in at.button if b.key == "operator_sign_in"]


def test_operator_wrong_password_is_refused(shops, monkeypatch) -> None:
    monkeypatch.setenv("MTAABOT_OPERATOR_PASSWORD", "correct horse battery")
    at = set_language(new_app().run(), "en")
    at.text_input(key="login_operator_password").input("correct horse")
    at.button(key="operator_sign_in").click().run()
    assert any("did not work" in e.value for e in at.error)
    assert "Sign in" in at.title[0].value


def test_operator_sees_every_business_and_switches(shops, monkeypatch) -> None:
    a, b = shops
    monkeypatch.setenv("MTAABOT_OPERATOR_PASSWORD", "correct horse battery")
    at = new_app().run()
    at.text_input(key="login_operator_password").input("correct horse battery")
    at.button(key="operator_sign_in").click().run()
    assert not at.exception
    switcher = at.selectbox(key="operator_business")
    assert set(switcher.options) >= {a.name, b.name}
    open_page(at, "products")
    at.selectbox(key="operator_business").set_value(a.id).run()
    assert metric(at, "Products") == "3" and a.name in texts(at)
    at.selectbox(key="operator_business").set_value(b.id).run()
    assert metric(at, "Products") == "1" and b.name in texts(at)
