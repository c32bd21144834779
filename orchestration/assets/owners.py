"""Asset `owner_followups`: the owners' morning digests (at each shop's chosen hour) and reminders for
hand-overs nobody answered (mtaabot.owners.digest). Runs every 5 minutes."""

from datetime import UTC, datetime

import dagster as dg

from orchestration.resources import MtaabotDatabase


@dg.asset(group_name="owners", kinds={"python", "postgres"},
          description="Morning digest to each shop owner's WhatsApp at the hour they set, and a reminder (owner "
                      "and customer) for hand-overs unanswered for 15 minutes within opening hours.")
def owner_followups(context: dg.AssetExecutionContext, database: MtaabotDatabase) -> dg.MaterializeResult:
    from mtaabot.owners.digest import realert_unanswered, send_due_digests

    now = datetime.now(UTC)
    with database.connect() as conn:
        digests = send_due_digests(conn, now)
        reminded = realert_unanswered(conn, now)
    context.log.info("digests sent to %d shop(s); %d hand-over reminder(s)", len(digests), len(reminded))
    return dg.MaterializeResult(metadata={"digests": len(digests), "reminders": len(reminded)})
