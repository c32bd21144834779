"""`mtaabot jobs failed|retry`: failed inbound jobs and outbound messages, visible and re-queueable."""

from __future__ import annotations

import click

from mtaabot import businesses, jobs
from mtaabot.cli.common import db_connection, echo_json


@click.group("jobs")
def jobs_group() -> None:
    """Failed work in the queues (inbound message jobs, outbound WhatsApp messages)."""


@jobs_group.command("failed")
@click.option("--business", "business_ref", help="Business id or name (default: every shop).")
@click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True)
def failed_cmd(business_ref: str | None, limit: int) -> None:
    """Failed jobs, newest first, one JSON object per line (id, queue, business, attempts, last_error)."""
    with db_connection() as conn:
        bid = businesses.resolve_business(conn, business_ref)["id"] if business_ref else None
        for row in jobs.failed(conn, bid, limit):
            echo_json(row)


@jobs_group.command("retry")
@click.argument("job_ids", nargs=-1, required=True)
def retry_cmd(job_ids: tuple[str, ...]) -> None:
    """Put failed jobs back in the queue: IDs as shown by `mtaabot jobs failed` (outbox:12, inbound:7)."""
    with db_connection() as conn:
        for job_id in job_ids:
            echo_json(jobs.retry(conn, job_id))


COMMANDS = [jobs_group]
