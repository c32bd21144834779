"""Secrets out of shells: `business connect-whatsapp` takes the access token from stdin ('-'), the environment
or a hidden prompt, so it never has to sit in `ps` or the shell history; a token typed as an argument still
works (the documented CLI contract) but is warned about; no token at all is refused with what to do."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.conftest import ROOT

TOKEN = "EAAG-shell-secret-0042"


@pytest.fixture
def shop(conn: psycopg.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    from mtaabot.businesses import create_business

    monkeypatch.setenv("MTAABOT_HOME", str(tmp_path))
    monkeypatch.delenv("MTAABOT_SECRET_KEY", raising=False)
    for name in ("WHATSAPP_ACCESS_TOKEN", "WHATSAPP_VERIFY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    create_business(conn, name="Duka la Shell", tone="mtaa", whatsapp_number="0711000333")
    conn.commit()
    return "Duka la Shell"


def _stored(conn: psycopg.Connection) -> str | None:
    from mtaabot.secretbox import decrypt, hash_verify_token

    conn.commit()
    row = conn.execute("SELECT whatsapp_access_token, webhook_verify_token FROM api_configs "
                       "WHERE whatsapp_phone_number_id = '777000111'").fetchone()
    if row is None or row["whatsapp_access_token"] is None:
        return None
    assert row["webhook_verify_token"] == hash_verify_token("verify-shell-1")
    return decrypt(row["whatsapp_access_token"])


ARGS = ("business", "connect-whatsapp", "--business", "Duka la Shell", "--phone-number-id", "777000111")


def test_tokens_piped_on_stdin(conn, run_cli, shop) -> None:
    done = run_cli(*ARGS, "--access-token", "-", "--verify-token", "-", input=f"{TOKEN}\nverify-shell-1\n")
    assert done.returncode == 0, done.stderr
    assert _stored(conn) == TOKEN and "warning" not in done.stderr and TOKEN not in done.stdout + done.stderr


def test_token_from_the_environment(conn, run_cli, shop) -> None:
    done = run_cli(*ARGS, "--verify-token", "-", input="verify-shell-1\n", env={"WHATSAPP_ACCESS_TOKEN": TOKEN})
    assert done.returncode == 0, done.stderr
    assert _stored(conn) == TOKEN


def test_no_token_anywhere_is_refused_with_the_ways_to_give_it(conn, run_cli, shop) -> None:
    done = run_cli(*ARGS, "--verify-token", "-", input="verify-shell-1\n")
    assert done.returncode != 0
    assert "--access-token -" in done.stderr and "WHATSAPP_ACCESS_TOKEN" in done.stderr
    assert _stored(conn) is None


def test_a_token_typed_as_an_argument_still_works_but_is_warned_about(conn, run_cli, shop) -> None:
    done = run_cli(*ARGS, "--access-token", TOKEN, "--verify-token", "verify-shell-1")
    assert done.returncode == 0, done.stderr
    assert "visible in `ps`" in done.stderr and _stored(conn) == TOKEN


def test_hidden_prompt_in_a_terminal(conn, db_url, shop) -> None:
    """Run in a real pseudo-terminal: both tokens are asked for and not echoed back."""
    exe = Path(sys.executable).parent / "mtaabot"
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI with the pty as its terminal
        os.chdir(ROOT)
        os.execve(str(exe), [str(exe), *ARGS], os.environ | {"DATABASE_URL": db_url})
    seen, answers = b"", [TOKEN, "verify-shell-1"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if seen.rstrip().endswith(b":") and answers:
            os.write(fd, (answers.pop(0) + "\n").encode())
            seen += b"\n<answered>\n"
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, seen.decode(errors="replace")
    assert b"WhatsApp access token:" in seen and TOKEN.encode() not in seen  # asked, never echoed
    assert _stored(conn) == TOKEN
