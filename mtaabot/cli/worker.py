"""`mtaabot worker`: answer stored WhatsApp messages and send the outbox (run as many copies as needed)."""

from __future__ import annotations

import logging
import os
import signal
import sys

import click


@click.command("worker")
@click.option("--senders", default=4, show_default=True, type=int, help="Sender threads (outbound HTTP).")
@click.option("--engines", default=2, show_default=True, type=int,
              help="Engine threads (answers overlap on database waits; chats stay in order).")
@click.option("--poll", default=None, type=float,
              help="Slow poll in seconds when no NOTIFY wakes the worker (default MTAABOT_WORKER_POLL_SECONDS, 2).")
@click.option("--batch", default=None, type=int,
              help="Most messages answered together per engine thread (default MTAABOT_WORKER_BATCH_SIZE, 64).")
@click.option("--rate", default=None, type=float,
              help="Messages per second per business number (default WHATSAPP_RATE_PER_SECOND or 80).")
def worker(senders: int, engines: int, poll: float | None, batch: int | None, rate: float | None) -> None:
    """Engine replies + outbound WhatsApp sends until SIGTERM/Ctrl-C."""
    from mtaabot.db import database_url
    from mtaabot.db.migrate import migrate
    from mtaabot.db.pool import connect
    from mtaabot.logsetup import configure_logging
    from mtaabot.whatsapp.worker import Worker

    logging.getLogger().setLevel(logging.INFO)
    configure_logging()  # MTAABOT_LOG_FORMAT=json: JSON lines carrying each message's request id
    from mtaabot.config import get_settings

    nice = get_settings().worker_nice
    if nice and hasattr(os, "nice"):  # the webhook on the same cores answers Meta first (README "Scaling out")
        os.nice(nice)
    url = database_url()
    with connect(url) as conn:
        migrate(conn)
        from mtaabot import secretbox

        secretbox.require_working_key(conn, service="the worker")
    w = Worker(url, senders=senders, engines=engines, poll_seconds=poll, rate_per_second=rate, batch_size=batch)

    def _stop(*_: object) -> None:
        w.stop_event.set()
        w.outbox_ready.wake_all()
        w.jobs_ready.wake_all()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    w.start()
    click.echo(f"worker started ({engines} engine threads, batches of up to {w.batch_size}, {senders} senders); "
               "Ctrl-C to stop", err=True)
    sys.stderr.flush()
    while not w.stop_event.wait(1.0):
        pass
    w.stop()
    click.echo(f"worker stopped: {w.counts}", err=True)
    if w.failed:
        sys.exit(1)


COMMANDS = [worker]
