"""`mtaabot ask`, `mtaabot detect-language`, `mtaabot embed` (conversation engine entry points)."""

from __future__ import annotations

import click

from mtaabot.cli.common import db_connection, echo_json


@click.command("embed")
@click.option("--business", "business_ref", help="Only this business (id or name).")
def embed(business_ref: str | None) -> None:
    """Embed products whose text changed or that have no vector for the current model."""
    from mtaabot import businesses
    from mtaabot.embeddings import embed_stale_products, model_version

    with db_connection() as conn:
        business_id = businesses.resolve_business(conn, business_ref)["id"] if business_ref else None
        count = embed_stale_products(conn, business_id=business_id)
    echo_json({"embedded": count, "model": model_version()})


COMMANDS = [embed]
