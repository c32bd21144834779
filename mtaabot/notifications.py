"""Owner notifications: one place that records something the owner must know.

Every notice is a `notifications` row (the dashboard reads them); the owner's WhatsApp channel pushes
the same rows to the owner's phone. Callers run inside their own transaction; nothing here commits.
"""

from __future__ import annotations

import uuid

import psycopg


def notify(conn: psycopg.Connection, business_id: uuid.UUID | str, kind: str, body: str, *,
           conversation_id: uuid.UUID | str | None = None, order_id: uuid.UUID | str | None = None
           ) -> uuid.UUID:
    """Record a notice for the owner of `business_id`; returns its id."""
    row = conn.execute(
        """INSERT INTO notifications (business_id, conversation_id, order_id, kind, body)
           VALUES (%s, %s, %s, %s, %s) RETURNING id""",
        (str(business_id), str(conversation_id) if conversation_id else None,
         str(order_id) if order_id else None, kind[:30], body),
    ).fetchone()
    return row["id"]


