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
    from mtaabot.devtools.demo import seed_demo

    with db_connection() as conn:
        summary = seed_demo(conn)
        if not no_embed:
            from mtaabot.embeddings import embed_stale_products

            embed_stale_products(conn)
    for shop in summary:
        echo_json(shop)


@demo.command("simulate")
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 3650), help="Days of history.")
@click.option("--messages", default=50_000, show_default=True, type=click.IntRange(1, 50_000_000),
              help="About how many messages to write (customer, bot and owner together).")
@click.option("--seed", default=None, type=int, help="Random seed for a repeatable history.")
@click.option("--shops", default=None, type=click.IntRange(1, 100_000),
              help="Add simulated shops (with catalogues) until there are this many; traffic is skewed "
                   "(a few big shops, many small).")
def simulate_cmd(days: int, messages: int, seed: int | None, shops: int | None) -> None:
    """Write realistic multi-shop message, escalation and billing history in bulk (for analytics)."""
    from mtaabot.devtools.simulate import simulate

    with db_connection() as conn:
        echo_json(simulate(conn, days=days, messages=messages, seed=seed, shops=shops))


COMMANDS = [demo]
