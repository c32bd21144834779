"""`mtaabot dbt ARGS…`: dbt in dbt_project/ with the connection from DATABASE_URL or the embedded server."""

from __future__ import annotations

import sys

import click


@click.command("dbt", context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                        "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def dbt(args: tuple[str, ...]) -> None:
    """Run dbt (e.g. `mtaabot dbt build`) against the MtaaBot database; exit code is dbt's."""
    from mtaabot.dbt_runner import run_dbt

    if not args:
        args = ("--help",)
    result = run_dbt(args)
    sys.exit(result.returncode)


COMMANDS = [dbt]
