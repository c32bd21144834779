"""Secrets at rest: access tokens are Fernet ciphertext in the column, verify tokens hashed; rotation;
a wrong or malformed key is refused with the variable named and nothing decrypted wrongly."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from cryptography.fernet import Fernet, InvalidToken

from tests.conftest import ROOT
from tests.fakes.fake_graph import FakeGraph
from tests.webhook.conftest import ACCESS_TOKEN, PHONE_NUMBER_ID, VERIFY_TOKEN, App, fixture

TOKEN = "EAAG-secret-token-for-rotation-0001"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private MTAABOT_HOME (its own key file) for this test and its subprocesses."""
    monkeypatch.setenv("MTAABOT_HOME", str(tmp_path))
    monkeypatch.delenv("MTAABOT_SECRET_KEY", raising=False)
    return tmp_path


def _raw(conn: psycopg.Connection) -> dict[str, Any]:
    conn.commit()
    return conn.execute("SELECT whatsapp_access_token AS t, webhook_verify_token AS v FROM api_configs "
                        "WHERE whatsapp_phone_number_id = '555000111'").fetchone()


def _connect(run_cli, conn) -> None:
    from mtaabot.businesses import create_business

    create_business(conn, name="Duka la Siri", tone="mtaa", whatsapp_number="0711000222")
    conn.commit()
    done = run_cli("business", "connect-whatsapp", "--business", "Duka la Siri", "--phone-number-id", "555000111",
                   "--access-token", "-", "--verify-token", "-", input=f"{TOKEN}\nmy-verify-token\n")
    assert done.returncode == 0, done.stderr


def test_tokens_are_ciphertext_and_rotation_reencrypts_under_a_new_key(
        home: Path, conn: psycopg.Connection, run_cli) -> None:
    from mtaabot import secretbox

    _connect(run_cli, conn)
    key_file = home / "secret.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    first = _raw(conn)
    assert first["t"].startswith("fernet:") and TOKEN not in first["t"]
    assert first["v"].startswith("sha256$") and "my-verify-token" not in first["v"]
    assert secretbox.decrypt(first["t"]) == TOKEN
    old_key = key_file.read_text().strip()

    done = run_cli("secrets", "rotate")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["reencrypted"] == 1
    second = _raw(conn)
    new_key = key_file.read_text().strip()
    assert new_key != old_key and "\n" not in new_key  # the old key is gone from the file
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert second["t"] != first["t"] and second["t"].startswith("fernet:")
    assert secretbox.decrypt(second["t"]) == TOKEN  # same token under the new key
    with pytest.raises(InvalidToken):  # the old key alone can no longer read it
        Fernet(old_key.encode()).decrypt(second["t"].removeprefix("fernet:").encode())
    assert json.loads(run_cli("secrets", "check").stdout)["undecryptable"] == []


def test_env_key_rotation_and_a_legacy_clear_token(home: Path, conn: psycopg.Connection, run_cli) -> None:
    k1, k2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    _connect(run_cli, conn)
    conn.execute("UPDATE api_configs SET whatsapp_access_token = %s", (TOKEN,))  # stored before encryption
    conn.commit()
    done = run_cli("secrets", "rotate", env={"MTAABOT_SECRET_KEY": k1})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["encrypted_from_clear"] == 1
    under_k1 = _raw(conn)["t"]
    assert Fernet(k1.encode()).decrypt(under_k1.removeprefix("fernet:").encode()).decode() == TOKEN
    # new key first, old after it: rotate moves everything to the new key
    done = run_cli("secrets", "rotate", env={"MTAABOT_SECRET_KEY": f"{k2},{k1}"})
    assert done.returncode == 0, done.stderr
    under_k2 = _raw(conn)["t"]
    assert Fernet(k2.encode()).decrypt(under_k2.removeprefix("fernet:").encode()).decode() == TOKEN


def test_a_wrong_or_malformed_key_is_refused_and_nothing_changes(
        home: Path, conn: psycopg.Connection, run_cli) -> None:
    _connect(run_cli, conn)
    before = _raw(conn)
    wrong = {"MTAABOT_SECRET_KEY": Fernet.generate_key().decode()}
    check = run_cli("secrets", "check", env=wrong)
    assert check.returncode == 1 and "error: " in check.stderr and "MTAABOT_SECRET_KEY" in check.stderr
    rotate = run_cli("secrets", "rotate", env=wrong)
    assert rotate.returncode == 1 and "nothing was changed" in rotate.stderr
    assert _raw(conn) == before
    bad = run_cli("secrets", "check", env={"MTAABOT_SECRET_KEY": "not-a-key"})
    assert bad.returncode == 1 and "MTAABOT_SECRET_KEY is not a valid Fernet key" in bad.stderr


def test_readyz_names_the_key_problem(home: Path, conn: psycopg.Connection, run_cli) -> None:
    """A running webhook that meets a token its key cannot open (stored under another key after it started)
    answers 503 with the reason; a malformed key stops it before it serves anything."""
    from mtaabot.businesses import create_business

    _connect(run_cli, conn)
    app = App()
    try:
        assert requests.get(app.url + "/readyz", timeout=10).status_code == 200
        create_business(conn, name="Duka la Pili", tone="mtaa", whatsapp_number="0711000333")
        conn.commit()
        other = run_cli("business", "connect-whatsapp", "--business", "Duka la Pili", "--phone-number-id", "555000222",
                        "--access-token", "-", "--verify-token", "-", input=f"{TOKEN}x\nanother-verify\n",
                        env={"MTAABOT_SECRET_KEY": Fernet.generate_key().decode()})
        assert other.returncode == 0, other.stderr
        ready = requests.get(app.url + "/readyz", timeout=10)
        assert ready.status_code == 503 and "cannot be decrypted" in ready.json()["reason"]
    finally:
        app.close()
    # a malformed key: the webhook server refuses to start and names the variable
    started = subprocess.run([sys.executable, "-c", "from webhook import create_app; create_app()"],
                             capture_output=True, text=True, env=os.environ | {"MTAABOT_SECRET_KEY": "garbage"},
                             timeout=120, cwd=ROOT)
    assert started.returncode != 0 and "MTAABOT_SECRET_KEY is not a valid Fernet key" in started.stderr


def test_sending_uses_the_clear_token_and_no_log_line_holds_it(
        app: App, shop: dict[str, Any], worker: Any, graph: FakeGraph, db_url: str,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    ok = requests.get(app.url + "/webhook", params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                                    "hub.challenge": "42"}, timeout=10)
    assert ok.status_code == 200 and ok.text == "42"
    assert app.post_webhook(fixture("text.json")).status_code == 200
    [sent] = graph.wait_for(1)
    assert sent.token == ACCESS_TOKEN + "Mam" and sent.phone_number_id == PHONE_NUMBER_ID
    with psycopg.connect(db_url) as c:
        raw = c.execute("SELECT whatsapp_access_token FROM api_configs").fetchone()[0]
    assert raw.startswith("fernet:") and ACCESS_TOKEN not in raw
    leaks = [r for r in caplog.records if not r.name.startswith("urllib3")  # the test's own HTTP client
             and (ACCESS_TOKEN in r.getMessage() or VERIFY_TOKEN in r.getMessage())]
    assert any("hub.verify_token=[redacted]" in r.getMessage() for r in caplog.records if r.name == "werkzeug")
    assert [(r.name, r.getMessage()) for r in leaks] == []


def test_the_worker_refuses_to_start_with_a_wrong_or_missing_key(
        home: Path, conn: psycopg.Connection, run_cli) -> None:
    _connect(run_cli, conn)
    before = _raw(conn)
    wrong = run_cli("worker", env={"MTAABOT_SECRET_KEY": Fernet.generate_key().decode()}, timeout=120)
    assert wrong.returncode == 1 and wrong.stderr.startswith("error: ")
    assert "MTAABOT_SECRET_KEY" in wrong.stderr and "did not start" in wrong.stderr
    (home / "secret.key").unlink()  # the key file lost: a new key would open nothing
    missing = run_cli("worker", timeout=120)
    assert missing.returncode == 1 and "secret.key" in missing.stderr and "MTAABOT_SECRET_KEY" in missing.stderr
    malformed = run_cli("worker", env={"MTAABOT_SECRET_KEY": "garbage"}, timeout=120)
    assert malformed.returncode == 1 and "MTAABOT_SECRET_KEY is not a valid Fernet key" in malformed.stderr
    assert _raw(conn) == before  # nothing re-encrypted or decrypted wrongly


def test_the_webhook_refuses_to_start_with_a_key_that_opens_no_token(home: Path, conn: psycopg.Connection,
                                                                    run_cli) -> None:
    _connect(run_cli, conn)
    probe = "from webhook import create_app; create_app(); print('started')"
    ok = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                        env=os.environ | {"MTAABOT_HOME": str(home)})
    assert ok.returncode == 0 and "started" in ok.stdout, ok.stderr
    wrong = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                           env=os.environ | {"MTAABOT_HOME": str(home),
                                             "MTAABOT_SECRET_KEY": Fernet.generate_key().decode()})
    assert wrong.returncode != 0 and "started" not in wrong.stdout
    assert "MTAABOT_SECRET_KEY" in wrong.stderr and "the webhook did not start" in wrong.stderr
