"""`mtaabot` command line: one click group, each command family in its own module."""

from __future__ import annotations

import importlib
import logging
import sys

import click

from mtaabot.config import offline_models

offline_models()  # models load only from installed packages or local paths

_COMMAND_MODULES = (
    "mtaabot.cli.db",
    "mtaabot.cli.business",
    "mtaabot.cli.haggling",
    "mtaabot.cli.orders",
    "mtaabot.cli.owners",
    "mtaabot.cli.products",
    "mtaabot.cli.engine",
    "mtaabot.cli.serve",
    "mtaabot.cli.worker",
    "mtaabot.cli.billing",
    "mtaabot.cli.demo",
    "mtaabot.cli.analytics",
    "mtaabot.cli.run",
    "mtaabot.cli.ops",
    "mtaabot.cli.privacy",
    "mtaabot.cli.jobs",
    "mtaabot.cli.operators",
)


class MtaaGroup(click.Group):
    """Turns domain errors into a one-line message on stderr and exit code 1 (no traceback)."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        from mtaabot.errors import USER_ERRORS

        try:
            return super().invoke(ctx)
        except USER_ERRORS as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=MtaaGroup)
@click.option("-v", "--verbose", is_flag=True, help="Log debug details to stderr.")
def main(verbose: bool) -> None:
    """MtaaBot: WhatsApp answers from a shop's own catalogue, in Sheng, Swahili or English."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


for _name in _COMMAND_MODULES:
    _module = importlib.import_module(_name)
    for _cmd in getattr(_module, "COMMANDS", ()):
        main.add_command(_cmd)
