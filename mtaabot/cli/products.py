"""`mtaabot products import|list`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mtaabot import businesses, products
from mtaabot.cli.common import db_connection, echo_json
from mtaabot.errors import UserError


@click.group("products")
def products_group() -> None:
    """Manage a shop's catalogue."""


@products_group.command("import")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--no-embed", is_flag=True, help="Skip embedding (run `mtaabot embed` later).")
def import_(business_ref: str, csv_file: Path, no_embed: bool) -> None:
    """Import name,description,price,currency,is_available,metadata rows; idempotent on name.

    Good rows are saved even when some rows fail; failures are listed with their line numbers
    and the exit code is 1.
    """
    try:
        text = csv_file.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise UserError(f"CSV file not found: {csv_file}") from exc
    except UnicodeDecodeError as exc:
        raise UserError(f"{csv_file} is not UTF-8 text; save it as CSV UTF-8") from exc
    with db_connection() as conn:
        row = businesses.resolve_business(conn, business_ref)
        report = products.import_csv(conn, row["id"], text)
        conn.commit()
        embedded = 0
        if not no_embed:
            from mtaabot.embeddings import embed_stale_products

            embedded = embed_stale_products(conn, business_id=row["id"])
    echo_json({"business_id": row["id"], **report.as_dict(), "embedded": embedded})
    for err in report.errors:
        click.echo(f"line {err['line']}: {err['error']}", err=True)
    if not report.ok:
        sys.exit(1)


@products_group.command("list")
@click.option("--business", "business_ref", required=True)
def list_(business_ref: str) -> None:
    """A shop's products (JSON lines)."""
    with db_connection() as conn:
        row = businesses.resolve_business(conn, business_ref)
        for product in products.list_products(conn, row["id"]):
            echo_json({k: product[k] for k in ("id", "name", "price", "currency", "is_available", "metadata")})


COMMANDS = [products_group]
