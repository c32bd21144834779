"""Owner notifications: one place that records something the owner must know.

Every notice is a `notifications` row (the dashboard reads them); the owner's WhatsApp channel pushes
the same rows to the owner's phone. Callers run inside their own transaction; nothing here commits.
"""

from __future__ import annotations

import uuid

import psycopg

# Kinds pushed to the owner's WhatsApp as well (mtaabot.owners.alerts); others stay on the dashboard.
PUSHED = frozenset({"escalation", "order", "order_paid", "order_payment_issue", "order_cancelled", "billing",
                    "discount", "payment", "undelivered", "quota_warning", "customer_message"})


def notify(conn: psycopg.Connection, business_id: uuid.UUID | str, kind: str, body: str, *,
           conversation_id: uuid.UUID | str | None = None, order_id: uuid.UUID | str | None = None
           ) -> uuid.UUID:
    """Record a notice for the owner of `business_id` (dashboard) and push it to the owner's WhatsApp."""
    row = conn.execute(
        """INSERT INTO notifications (business_id, conversation_id, order_id, kind, body)
           VALUES (%s, %s, %s, %s, %s) RETURNING id""",
        (str(business_id), str(conversation_id) if conversation_id else None,
         str(order_id) if order_id else None, kind[:30], body),
    ).fetchone()
    if kind in PUSHED:
        from mtaabot.owners.alerts import alert

        alert(conn, business_id, kind, body, conversation_id=conversation_id, order_id=order_id,
              notification_id=row["id"])
    return row["id"]


