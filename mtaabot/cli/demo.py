"""`mtaabot demo seed` (and `demo simulate`, added by the analytics work)."""

from __future__ import annotations

import click

from mtaabot.cli.common import db_connection, echo_json


@click.group("demo")
def demo() -> None:
    """Demo shops and simulated history."""


@demo.command("seed")
@click.option("--no-embed", is_flag=True, help="Skip embedding the demo catalogues.")
def seed(no_embed: bool) -> None:
    """Create two or three demo shops with catalogues (safe to re-run)."""
    from mtaabot.demo import seed_demo

    with db_connection() as conn:
        summary = seed_demo(conn)
        if not no_embed:
            from mtaabot.embeddings import embed_stale_products

            embed_stale_products(conn)
    for shop in summary:
        echo_json(shop)


COMMANDS = [demo]
