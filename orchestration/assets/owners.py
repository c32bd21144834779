"""Asset `owner_followups`: the owners' morning digests (at each shop's chosen hour), reminders for hand-overs
nobody answered (mtaabot.owners.digest) and prices the owners set to start today (mtaabot.price_changes). Runs
every 5 minutes."""

from datetime import UTC, datetime

import dagster as dg

from orchestration.resources import MtaabotDatabase


@dg.asset(group_name="owners", kinds={"python", "postgres"},
          description="Morning digest to each shop owner's WhatsApp at the hour they set, and a reminder (owner "
                      "and customer) for hand-overs unanswered for 15 minutes within opening hours, and the prices "
                      "owners set to start today (\"BEI unga 210 kuanzia kesho\") written to the catalogue, and timed "
                      "pauses (\"SIMAMISHA saa 2\") ended.")
def owner_followups(context: dg.AssetExecutionContext, database: MtaabotDatabase) -> dg.MaterializeResult:
    from mtaabot.owners.digest import realert_unanswered, send_due_digests
    from mtaabot.owners.pause import resume_lapsed
    from mtaabot.price_changes import apply_due

    now = datetime.now(UTC)
    with database.connect() as conn:
        prices = apply_due(conn)  # before the digest, which may quote them
        conn.commit()
        resumed = resume_lapsed(conn, now)  # "SIMAMISHA saa 2" two hours on
        digests = send_due_digests(conn, now)
        reminded = realert_unanswered(conn, now)
    context.log.info("digests sent to %d shop(s); %d hand-over reminder(s); %d price(s) started today; %d pause(s) "
                     "ended", len(digests), len(reminded), prices, resumed)
    return dg.MaterializeResult(metadata={"digests": len(digests), "reminders": len(reminded),
                                          "prices_started": prices, "pauses_ended": resumed})
