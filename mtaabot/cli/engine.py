"""`mtaabot ask`, `mtaabot detect-language`, `mtaabot embed`, `mtaabot eval` (conversation engine entry points)."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

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


@click.command("ask")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.option("--customer", help="Customer phone number (default: a new customer per message).")
@click.argument("text")
def ask(business_ref: str, customer: str | None, text: str) -> None:
    """Answer TEXT as if it arrived on WhatsApp (stored like a real message); prints the engine's JSON.

    With TEXT `-`, reads one message per line from stdin and prints one JSON object per line.
    """
    from mtaabot import businesses
    from mtaabot.conversations import (
        Customer,
        get_or_create_conversation,
        kept_without_a_job,
        store_inbound_message,
        waiting_since_the_owner,
    )
    from mtaabot.embeddings import count_stale_products, embed_stale_products
    from mtaabot.errors import UserError
    from mtaabot.orders.checkout import send_due_prompts
    from mtaabot.phones import normalize_whatsapp_number
    from mtaabot.whatsapp.worker import answer_here

    fixed = Customer(phone=normalize_whatsapp_number(customer)) if customer else None
    lines = sys.stdin if text == "-" else [text]
    with db_connection() as conn:
        business = businesses.resolve_business(conn, business_ref)
        if count_stale_products(conn, business["id"]):
            embed_stale_products(conn, business["id"])
        for line in lines:
            message = line.rstrip("\r\n")
            if not message.strip():
                if text != "-":
                    raise UserError("the message text is empty")
                continue
            who = fixed or Customer(bsuid=f"local.{uuid.uuid4().hex}")
            conv = get_or_create_conversation(conn, business["id"], who)
            msg, _ = store_inbound_message(conn, business_id=business["id"], conversation_id=conv["id"],
                                           content=message, wamid=f"local.{uuid.uuid4().hex}")
            paused_at = conn.execute("SELECT paused_at FROM businesses WHERE id = %s",
                                     (business["id"],)).fetchone()["paused_at"]
            # as the worker answers a WhatsApp message (STOP, "futa data yangu", a handed-over chat), not sent
            result = answer_here(conn, business_id=business["id"], conversation_id=conv["id"], message_id=msg["id"])
            conn.commit()
            if paused_at is not None and getattr(result, "owner_command", None) == "resume":
                # the owner's RESUME: what customers wrote during the pause is answered now, as the worker does
                for kept in kept_without_a_job(conn, business["id"], paused_at):
                    answer_here(conn, business_id=business["id"], conversation_id=kept["conversation_id"],
                                message_id=kept["id"])
                    conn.commit()
            if getattr(result, "owner_command", None) == "hand_back":
                # BOT n: what the customer wrote since the owner's last word is answered now, as the worker does
                for back in conn.execute("""SELECT id FROM conversations WHERE business_id = %s
                                            AND handed_back_at > CURRENT_TIMESTAMP - interval '1 minute'""",
                                         (business["id"],)).fetchall():
                    for waiting in waiting_since_the_owner(conn, business["id"], back["id"]):
                        if not waiting["has_job"]:
                            answer_here(conn, business_id=business["id"], conversation_id=back["id"],
                                        message_id=waiting["id"])
                            conn.commit()
            if result.order and result.order["status"] == "awaiting_payment":
                send_due_prompts(conn)  # as the worker would: the M-Pesa prompt goes out now
            echo_json(result.as_contract())
            sys.stdout.flush()


@click.command("detect-language")
def detect_language_cmd() -> None:
    """Read messages on stdin (one per line); print {"text", "language", "confidence"} per line."""
    from mtaabot.language import detect_language

    for line in sys.stdin:
        message = line.rstrip("\r\n")
        if not message.strip():
            continue
        result = detect_language(message)
        echo_json({"text": message, "language": result.language, "confidence": result.confidence})
        sys.stdout.flush()


@click.command("eval")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Folder with language_dev.jsonl, catalogue_dev.csv, retrieval_dev.jsonl, escalation_dev.jsonl; "
                   "or a v2 set: messages.jsonl + catalogue.csv (+ shops.json), e.g. tests/fixtures/eval_v2.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON instead of a table.")
def eval_cmd(directory: Path, as_json: bool) -> None:
    """Score language ID, retrieval and escalation on labelled files (in a throw-away schema of the database)."""
    from mtaabot.devtools.evaluation import format_table, run_all

    with db_connection() as conn:
        metrics = run_all(conn, directory)
        conn.rollback()
    if as_json:
        echo_json(metrics)
    else:
        click.echo(format_table(metrics))


COMMANDS = [embed, ask, detect_language_cmd, eval_cmd]
