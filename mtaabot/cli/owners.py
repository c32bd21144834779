"""`mtaabot business add-owner` and `mtaabot owners digest|realert` (what the Dagster schedules run)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from mtaabot import businesses
from mtaabot.cli.business import business
from mtaabot.cli.common import db_connection, echo_json


@business.command("add-owner")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.option("--phone", required=True, help="The new owner's WhatsApp number, e.g. 0722123456.")
def add_owner(business_ref: str, phone: str) -> None:
    """Send a one-time code to PHONE on WhatsApp; the number becomes an owner once it sends the code back."""
    from mtaabot.owners import alerts, registry

    with db_connection() as conn:
        shop = businesses.resolve_business(conn, business_ref)
        row, code = registry.start_verification(conn, shop["id"], phone)
        if row["verified_at"] is not None:
            echo_json({"phone": row["phone"], "verified": True, "message": "already a verified owner"})
            return
        conversation = _conversation(conn, shop["id"], row["phone"])
        from mtaabot.whatsapp.outbox import enqueue_reply, store_bot_message

        text = (f"MtaaBot: namba ya kuthibitisha kuwa mwenye {shop['name']} ni {code}. Itume hapa ndani ya dakika "
                f"{registry.CODE_MINUTES}. · Your code to become an owner of {shop['name']}: {code}.")
        msg = store_bot_message(conn, business_id=shop["id"], conversation_id=conversation["id"], text=text,
                                author="system", intent=alerts.ALERT_INTENT)
        enqueue_reply(conn, msg["id"])
    echo_json({"phone": row["phone"], "verified": False,
               "message": f"a code was sent on WhatsApp; it is valid for {registry.CODE_MINUTES} minutes"})


def _conversation(conn, business_id, phone):
    from mtaabot.owners.alerts import owner_conversation

    return owner_conversation(conn, business_id, phone)


@click.group("owners")
def owners() -> None:
    """The owner's WhatsApp channel: morning digest and reminders (Dagster runs these on a schedule)."""


@owners.command("digest")
def digest() -> None:
    """Send the morning digest to shops whose digest hour has come today."""
    from mtaabot.owners.digest import send_due_digests

    with db_connection() as conn:
        echo_json({"sent_to": send_due_digests(conn, datetime.now(UTC))})


@owners.command("realert")
def realert() -> None:
    """Remind owners of hand-overs nobody answered (and tell those customers they are not forgotten)."""
    from mtaabot.owners.digest import realert_unanswered

    with db_connection() as conn:
        echo_json({"reminded": [a["number"] for a in realert_unanswered(conn, datetime.now(UTC))]})


COMMANDS = [owners]


@business.command("set-hours")
@click.option("--business", "business_ref", required=True, help="Business id or name.")
@click.option("--hours", "opening_hours", help='Opening hours, e.g. "Mon-Sat 7am-9pm" or "Jumatatu-Jumamosi saa '
                                               'moja asubuhi hadi saa tatu usiku".')
@click.option("--away-message", help="What customers are told when they reach a person outside opening hours.")
@click.option("--digest-hour", type=click.IntRange(0, 23), help="Hour (Nairobi time) of the morning digest.")
@click.option("--quiet-hours", help='Hours (Nairobi) when alerts to the owner wait until morning, e.g. "22-6"; '
                                    '"off" sends them at any time; "default" follows MTAABOT_OWNER_QUIET_HOURS.')
@click.option("--booking-capacity", type=click.IntRange(0, 1000),
              help="Bookings the shop serves at the same time (chairs, stylists); 0 = no limit.")
def set_hours(business_ref: str, opening_hours: str | None, away_message: str | None, digest_hour: int | None,
              quiet_hours: str | None, booking_capacity: int | None) -> None:
    """Opening hours, the away message, the digest hour, the owner's quiet hours and how many bookings the shop
    serves at once (each checked as it will be read)."""
    import re

    from mtaabot.errors import UserError
    from mtaabot.hours import parse_opening_hours

    if opening_hours is not None and parse_opening_hours(opening_hours) is None:
        raise UserError(f"cannot read the opening hours {opening_hours!r}; try \"Mon-Sat 7am-9pm\"")
    clear_quiet = False
    if quiet_hours is not None:
        quiet_hours = quiet_hours.strip().lower().replace(" ", "")
        if quiet_hours == "default":
            quiet_hours, clear_quiet = None, True
        elif not re.fullmatch(r"off|([01]?\d|2[0-3])-([01]?\d|2[0-3])", quiet_hours):
            raise UserError(f"cannot read the quiet hours {quiet_hours!r}; give START-END hours 0-23 like "
                            "\"22-6\", or \"off\"")
    with db_connection() as conn:
        shop = businesses.resolve_business(conn, business_ref)
        row = conn.execute(
            """UPDATE businesses SET opening_hours = coalesce(%s, opening_hours), away_message = coalesce(%s, away_message),
                   digest_hour = coalesce(%s, digest_hour),
                   owner_quiet_hours = CASE WHEN %s THEN NULL ELSE coalesce(%s, owner_quiet_hours) END,
                   booking_capacity = CASE WHEN %s::int IS NULL THEN booking_capacity ELSE nullif(%s::int, 0) END,
                   updated_at = CURRENT_TIMESTAMP
               WHERE id = %s RETURNING name, opening_hours, away_message, digest_hour, owner_quiet_hours,
                   booking_capacity""",
            (opening_hours, away_message, digest_hour, clear_quiet, quiet_hours, booking_capacity, booking_capacity,
             shop["id"])).fetchone()
    echo_json(row)
