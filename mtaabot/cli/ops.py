"""Operator commands: `mtaabot business suspend|reactivate|audit` (added to the `business` group),
`mtaabot db backup|restore` (added to the `db` group) and `mtaabot secrets rotate`."""

from __future__ import annotations

import click

from mtaabot import businesses, operator
from mtaabot.cli.business import business
from mtaabot.cli.common import db_connection, echo_json
from mtaabot.cli.db import db


def _view(row: dict) -> dict:
    return {"id": row["id"], "name": row["name"], "suspended": row["suspended_at"] is not None,
            "suspended_at": row["suspended_at"], "suspension_reason": row["suspension_reason"],
            "suspended_by": row["suspended_by"], "billing_status": row["status"]}


@business.command("suspend")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.option("--reason", required=True, help="Why (recorded in the audit log and told to the owner).")
def suspend(business_ref: str, reason: str) -> None:
    """Suspend a shop by hand: no AI replies, customers' messages kept and answered with one polite notice.
    Wins over billing until `mtaabot business reactivate`."""
    with db_connection() as conn:
        shop = businesses.resolve_business(conn, business_ref)
        row = operator.suspend(conn, shop["id"], reason)
    echo_json(_view(row))


@business.command("reactivate")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.option("--note", help="Optional note for the audit log.")
def reactivate(business_ref: str, note: str | None) -> None:
    """Lift a manual suspension (billing decides again whether the bot answers)."""
    with db_connection() as conn:
        shop = businesses.resolve_business(conn, business_ref)
        row = operator.reactivate(conn, shop["id"], note=note)
    echo_json(_view(row))


@business.command("audit")
@click.option("--business", "business_ref", help="Business id or name (default: every shop).")
@click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True)
def audit(business_ref: str | None, limit: int) -> None:
    """Operator actions (who, what, when), newest first, one JSON object per line."""
    with db_connection() as conn:
        bid = businesses.resolve_business(conn, business_ref)["id"] if business_ref else None
        for row in operator.audit_entries(conn, bid, limit):
            echo_json(row)


@business.command("set-retention")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.option("--months", type=int, required=True, help="Keep customers' messages and identity this long (1-120).")
def set_retention(business_ref: str, months: int) -> None:
    """How long this shop keeps customers' data before it is anonymised (default 24 months)."""
    from mtaabot.retention import set_retention as apply

    with db_connection() as conn:
        shop = businesses.resolve_business(conn, business_ref)
        echo_json(apply(conn, shop["id"], months))


@business.command("set-ai-budget")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.option("--daily", required=True, help="AI replies allowed per Nairobi day, or 'off' (deployment default).")
def set_ai_budget(business_ref: str, daily: str) -> None:
    """A cost limit on top of the plan: past it, customers get the hand-over and the owner is told (once a day)."""
    from mtaabot.errors import UserError

    value = None if daily.strip().lower() in ("off", "default", "none") else daily.strip()
    if value is not None and (not value.isdigit() or int(value) < 1):
        raise UserError(f"--daily must be a whole number of AI replies (1 or more) or 'off', not {daily!r}")
    with db_connection() as conn:
        shop = businesses.resolve_business(conn, business_ref)
        row = conn.execute("""UPDATE businesses SET daily_ai_budget = %s, updated_at = CURRENT_TIMESTAMP WHERE id = %s
                              RETURNING id, name, daily_ai_budget""", (int(value) if value else None, shop["id"])
                           ).fetchone()
        operator.audit(conn, "set_ai_budget", business_id=shop["id"], subject=str(shop["id"]),
                       detail={"daily": row["daily_ai_budget"]})
    echo_json(row)


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
def backup_cmd(file: str) -> None:
    """Dump the whole database to FILE with the server's own pg_dump (custom format, readable by you only)."""
    from mtaabot.backup import backup

    echo_json(backup(file).as_dict())


@db.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds data (everything in it).")
def restore_cmd(file: str, force: bool) -> None:
    """Restore a `mtaabot db backup` FILE into this database (refused when it holds data, unless --force);
    newer migrations are applied afterwards."""
    from mtaabot.backup import restore

    echo_json(restore(file, force=force).as_dict())


@click.group("secrets")
def secrets_group() -> None:
    """Shops' secrets at rest (WhatsApp access tokens encrypted under MTAABOT_SECRET_KEY or the key file)."""


@secrets_group.command("rotate")
def rotate_cmd() -> None:
    """Re-encrypt every stored secret under the current key. With MTAABOT_SECRET_KEY: put the new key first
    (old keys after it, comma-separated), run this, then drop the old keys. Without it: a new key is generated
    in MTAABOT_HOME/secret.key and replaces the old one. Tokens stored in clear are encrypted too."""
    from mtaabot import secretbox

    with db_connection() as conn:
        report = secretbox.rotate(conn)
    secretbox.finish_rotation()  # only once the database change is committed
    with db_connection() as conn:
        operator.audit(conn, "secrets_rotate", detail={k: v for k, v in report.items() if k != "key_source"})
    echo_json(report)


@secrets_group.command("check")
def check_cmd() -> None:
    """Can every stored secret be decrypted with the configured key? Exit 1 when not."""
    from mtaabot import secretbox

    with db_connection() as conn:
        result = secretbox.check(conn)
    echo_json({"key_source": secretbox.key_source(), **result})
    if result["undecryptable"]:
        raise secretbox.SecretKeyError(f"{len(result['undecryptable'])} stored access token(s) cannot be decrypted "
                                       f"with the key from {secretbox.key_source()}")


COMMANDS: list = [secrets_group]  # the other commands here hang off existing groups
