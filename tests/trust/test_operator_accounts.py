"""Operator accounts: one per person (argon2id), managed with `mtaabot operator add|list|remove` (password
from stdin, never an argument); the dashboard signs operators in by account, the shared env password only
bootstraps while no account exists; suspend/reactivate on the operator page is recorded under the operator's
own name with the reason; an owner's session ends when the shop's API key is rotated."""

from __future__ import annotations

import json

import psycopg
import pytest

from tests.dashboard.conftest import new_app, open_page, texts

PASSWORD = "mvua-ya-masika-2026"


def _add(run_cli, name: str = "wanjiku", password: str = PASSWORD):
    return run_cli("operator", "add", name, "--password-stdin", input=password + "\n")


def test_operator_cli_add_list_remove(conn: psycopg.Connection, run_cli) -> None:
    done = _add(run_cli)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["username"] == "wanjiku"
    stored = conn.execute("SELECT password_hash FROM operator_accounts WHERE username = 'wanjiku'").fetchone()
    assert stored["password_hash"].startswith("$argon2id$") and PASSWORD not in stored["password_hash"]
    listed = [json.loads(line) for line in run_cli("operator", "list").stdout.splitlines()]
    assert [r["username"] for r in listed] == ["wanjiku"] and "password_hash" not in listed[0]
    again = _add(run_cli)
    assert again.returncode == 1 and "already exists" in again.stderr
    short = _add(run_cli, "otieno", "short")
    assert short.returncode == 1 and "at least 12 characters" in short.stderr
    no_terminal = run_cli("operator", "add", "otieno", input="")
    assert no_terminal.returncode != 0 and "--password-stdin" in no_terminal.stderr
    gone = run_cli("operator", "remove", "wanjiku")
    assert gone.returncode == 0 and run_cli("operator", "list").stdout.strip() == ""
    missing = run_cli("operator", "remove", "wanjiku")
    assert missing.returncode == 1 and "no operator named wanjiku" in missing.stderr
    conn.commit()
    actions = [r["action"] for r in conn.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["operator_add", "operator_remove"]


def _operator_sign_in(name: str, password: str):
    at = new_app().run()
    at.text_input(key="login_operator_name").input(name)
    at.text_input(key="login_operator_password").input(password)
    at.button(key="operator_sign_in").click().run()
    return at


def test_dashboard_operator_signs_in_with_own_account_and_env_password_only_bootstraps(
        shops, run_cli, conn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MTAABOT_OPERATOR_PASSWORD", "bootstrap horse battery")
    boot = _operator_sign_in("", "bootstrap horse battery")  # no account yet: the bootstrap password works
    assert not boot.exception and boot.selectbox(key="operator_business")
    assert _add(run_cli).returncode == 0
    boot.run()  # the bootstrap session ends once an account exists
    assert not boot.exception and [b for b in boot.button if b.key == "operator_sign_in"]
    refused = _operator_sign_in("", "bootstrap horse battery")
    assert [b for b in refused.button if b.key == "operator_sign_in"] and refused.error
    wrong = _operator_sign_in("wanjiku", PASSWORD + "x")
    assert wrong.error and [b for b in wrong.button if b.key == "operator_sign_in"]
    at = _operator_sign_in("wanjiku", PASSWORD)
    assert not at.exception and at.selectbox(key="operator_business")
    conn.commit()
    logins = conn.execute("SELECT actor, action FROM audit_log WHERE action LIKE 'operator_login%%' ORDER BY id"
                          ).fetchall()
    assert [(r["actor"], r["action"]) for r in logins] == [("wanjiku", "operator_login_failed"),
                                                           ("wanjiku", "operator_login")]
    assert run_cli("operator", "remove", "wanjiku").returncode == 0
    at.run()  # a removed account's session ends
    assert [b for b in at.button if b.key == "operator_sign_in"]


def test_operator_page_suspends_and_reactivates_under_the_operators_name(shops, run_cli, conn) -> None:
    a, _ = shops
    assert _add(run_cli).returncode == 0
    at = _operator_sign_in("wanjiku", PASSWORD)
    open_page(at, "operator")
    assert not at.exception, at.exception
    at.selectbox(key="operator_shop").set_value(a.id).run()
    at.button(key="operator_suspend").click().run()  # no reason: refused, nothing changes
    assert any("needs a reason" in e.value for e in at.error)
    at.text_input(key="operator_reason").input("spam complaints from customers")
    at.button(key="operator_suspend").click().run()
    assert not at.exception and any("suspended" in s.value for s in at.success)
    conn.commit()
    shop = conn.execute("SELECT suspended_by, suspension_reason FROM businesses WHERE id = %s", (a.id,)).fetchone()
    assert (shop["suspended_by"], shop["suspension_reason"]) == ("wanjiku", "spam complaints from customers")
    at.selectbox(key="operator_shop").set_value(a.id).run()
    at.button(key="operator_reactivate").click().run()
    assert not at.exception and any("reactivated" in s.value for s in at.success)
    conn.commit()
    rows = conn.execute("SELECT actor, action, detail FROM audit_log WHERE business_id = %s ORDER BY id",
                        (a.id,)).fetchall()
    assert [(r["actor"], r["action"]) for r in rows] == [("wanjiku", "suspend"), ("wanjiku", "reactivate")]
    assert rows[0]["detail"]["reason"] == "spam complaints from customers"
    assert "wanjiku" in texts(at)  # the audit table on the page names who did it


def test_owner_pages_are_for_operators_only(shops) -> None:
    a, _ = shops
    at = new_app().run()
    at.text_input(key="login_api_key").input(a.api_key)
    at.button(key="owner_sign_in").click().run()
    with pytest.raises(ValueError):  # the operator page is not even registered for an owner
        at.switch_page("app_pages/operator.py")


def test_rotating_the_api_key_ends_the_owners_dashboard_session(shops, conn) -> None:
    from mtaabot.businesses import rotate_api_key

    a, _ = shops
    at = new_app().run()
    at.text_input(key="login_api_key").input(a.api_key)
    at.button(key="owner_sign_in").click().run()
    assert not at.exception and not [b for b in at.button if b.key == "owner_sign_in"]  # signed in
    at.run()
    assert not [b for b in at.button if b.key == "owner_sign_in"]  # still signed in on the next page load
    new_key = rotate_api_key(conn, a.id)
    conn.commit()
    at.run()
    assert [b for b in at.button if b.key == "owner_sign_in"]  # back at the sign-in form
    assert a.name not in texts(at)
    at.text_input(key="login_api_key").input(new_key)
    at.button(key="owner_sign_in").click().run()
    assert not [b for b in at.button if b.key == "owner_sign_in"]
