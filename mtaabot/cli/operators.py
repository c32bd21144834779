"""`mtaabot operator add|list|remove`: one dashboard account per person who runs MtaaBot.

The password is never a command-line argument (it would show in `ps` and the shell history): it is asked for
at a hidden prompt (twice), or read as one line from stdin with `--password-stdin`.
"""

from __future__ import annotations

import sys

import click

from mtaabot import operator_accounts
from mtaabot.cli.common import db_connection, echo_json


@click.group("operator")
def operator_group() -> None:
    """Operator accounts for the dashboard (argon2id-hashed passwords)."""


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise click.UsageError("--password-stdin: expected the password as one line on stdin")
        return line
    if sys.stdin is None or not sys.stdin.isatty():
        raise click.UsageError("no terminal to ask for the password: pipe it with --password-stdin")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)


@operator_group.command("add")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password as one line from stdin.")
def add(username: str, password_stdin: bool) -> None:
    """Add an operator account. From the first account on, MTAABOT_OPERATOR_PASSWORD no longer signs in."""
    password = _password(password_stdin)
    with db_connection() as conn:
        row = operator_accounts.add_operator(conn, username, password)
    echo_json({"username": row["username"], "created_by": row["created_by"], "created_at": row["created_at"]})


@operator_group.command("list")
def list_() -> None:
    """Operator accounts (JSON lines; no hashes)."""
    with db_connection() as conn:
        for row in operator_accounts.list_operators(conn):
            echo_json(row)


@operator_group.command("remove")
@click.argument("username")
def remove(username: str) -> None:
    """Remove an operator account; their dashboard session ends at its next page load."""
    with db_connection() as conn:
        row = operator_accounts.remove_operator(conn, username)
    echo_json({"username": row["username"], "removed": True})


COMMANDS = [operator_group]
