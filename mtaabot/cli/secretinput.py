"""Reading secrets for CLI commands without putting them on the command line.

A value typed as a command-line argument is visible to every local user in `ps` and stays in the shell
history. `read_secret` takes, in order: `-` as the option value (one line from stdin), the value given on the
command line (kept for the documented CLI contract, with a warning on stderr), the named environment variable
(read through the settings object), and finally a hidden prompt when stdin is a terminal.
"""

from __future__ import annotations

import sys

import click

_STDIN_LINES: list[str] = []


def _stdin_line(what: str) -> str:
    """One line from stdin per secret asked for with `-` (several `-` options read consecutive lines)."""
    line = sys.stdin.readline()
    if not line:
        raise click.UsageError(f"{what}: expected one line on stdin (given as '-'), got end of input")
    value = line.rstrip("\r\n").strip()
    if not value:
        raise click.UsageError(f"{what}: the line read from stdin is empty")
    return value


def read_secret(given: str | None, *, what: str, option: str, env_name: str, env_value: str | None,
                confirm: bool = False) -> str:
    """The secret from `-`/stdin, the option, the environment, or a hidden prompt (in that order).

    `option` is the flag name (for messages), `env_name` the variable `env_value` came from."""
    if given == "-":
        return _stdin_line(what)
    if given:
        click.echo(f"warning: {option} on the command line is visible in `ps` and your shell history; "
                   f"pass '{option} -' and pipe it on stdin, set {env_name}, or leave it out to be prompted",
                   err=True)
        return given.strip()
    if env_value:
        return env_value.strip()
    if sys.stdin is not None and sys.stdin.isatty():
        value = click.prompt(what, hide_input=True, confirmation_prompt=confirm, err=True)
        if value.strip():
            return value.strip()
    raise click.UsageError(f"{what} is needed: pipe it on stdin with '{option} -', set {env_name}, "
                           "or run in a terminal to be prompted (typing it as an argument works but is visible "
                           "in `ps` and shell history)")
