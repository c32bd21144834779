"""`mtaabot worker`: answer stored WhatsApp messages and send the outbox (run as many copies as needed)."""

from __future__ import annotations

import logging
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
    url = database_url()
    with connect(url) as conn:
        migrate(conn)
        _refuse_a_wrong_secret_key(conn)
    w = Worker(url, senders=senders, engines=engines, poll_seconds=poll, rate_per_second=rate, batch_size=batch)

    def _stop(*_: object) -> None:
        w.stop_event.set()
        w.outbox_ready.set()

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


def _refuse_a_wrong_secret_key(conn: object) -> None:
    """A malformed key, or a key that opens none of the stored WhatsApp access tokens (wrong key, or the key
    file lost and a new one generated), stops the worker before it starts, naming the variable: it could send
    nothing and would only fill the outbox with failures. Some tokens unreadable: a warning, the rest work."""
    from mtaabot import secretbox

    secretbox.keys()  # malformed: SecretKeyError naming MTAABOT_SECRET_KEY or the key file
    result = secretbox.check(conn)  # type: ignore[arg-type]
    row = conn.execute(  # type: ignore[attr-defined]
        "SELECT count(*) AS n FROM api_configs WHERE whatsapp_access_token LIKE 'fernet:%'").fetchone()
    encrypted = row["n"] if isinstance(row, dict) else row[0]
    bad = len(result["undecryptable"])
    if encrypted and bad == encrypted:
        raise secretbox.SecretKeyError(
            f"none of the {encrypted} stored WhatsApp access token(s) can be decrypted with the key from "
            f"{secretbox.key_source()}: wrong or missing key. Set {secretbox.ENV} to the key they were encrypted "
            "with (old keys may follow the current one, comma-separated); the worker did not start")
    if bad:
        logging.getLogger(__name__).warning(
            "%d stored WhatsApp access token(s) cannot be decrypted with the key from %s; those shops' replies "
            "will fail until the right key is configured", bad, secretbox.key_source())


COMMANDS = [worker]
