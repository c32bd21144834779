"""Operator control: suspend a shop by hand, lift it, and the audit log of operator actions.

A suspension is stored apart from `businesses.status` (which billing recomputes from payments) in
`businesses.suspended_at` / `suspension_reason` / `suspended_by`, so it wins over any billing change until an
operator reactivates the shop. While suspended, the gate (`mtaabot.billing.gate`) refuses every AI reply: each
customer message is stored and the customer gets one polite notice; the owner is told on suspension.

The audit log records who did what and when, with reasons and counts only, never customers' data.
Nothing here commits; callers own the transaction.
"""

from __future__ import annotations

import getpass
import os
import uuid
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from mtaabot.config import get_settings

SUSPENSION_KIND = "suspension"


class OperatorError(ValueError):
    """An operator action that cannot be done as asked (already suspended, empty reason...)."""


def current_operator() -> str:
    """Who is acting: MTAABOT_OPERATOR when set, else the OS user running the command."""
    name = (get_settings().operator or "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except Exception:  # no passwd entry (containers)
            name = f"uid:{os.getuid()}"
    return name[:100]


def audit(conn: psycopg.Connection, action: str, *, business_id: uuid.UUID | str | None = None,
          subject: str | None = None, detail: dict[str, Any] | None = None, actor: str | None = None) -> int:
    """One audit row: who (`actor`, default the current operator), what (`action`, `subject` = a row id),
    when (now), `detail` = reasons and counts. Never pass message text or phone numbers here."""
    row = conn.execute(
        """INSERT INTO audit_log (actor, action, business_id, subject, detail) VALUES (%s, %s, %s, %s, %s)
           RETURNING id""",
        ((actor or current_operator())[:100], action[:40], str(business_id) if business_id else None,
         subject[:100] if subject else None, Jsonb(detail or {}))).fetchone()
    return row["id"]


def audit_entries(conn: psycopg.Connection, business_id: uuid.UUID | str | None = None,
                  limit: int = 100) -> list[dict[str, Any]]:
    return conn.execute(
        """SELECT id, at, actor, action, business_id, subject, detail FROM audit_log
           WHERE %(b)s::uuid IS NULL OR business_id = %(b)s::uuid ORDER BY at DESC, id DESC LIMIT %(n)s""",
        {"b": str(business_id) if business_id else None, "n": limit}).fetchall()


def suspension_owner_notice(shop_name: str, reason: str, lang: str = "SWA") -> str:
    """What the owner reads about the suspension, in their language (ENG or SWA)."""
    from mtaabot.owners.alerts import say

    return say("suspended", lang, shop=shop_name, reason=reason)


def suspend(conn: psycopg.Connection, business_id: uuid.UUID | str, reason: str,
            actor: str | None = None) -> dict[str, Any]:
    """Suspend a shop by hand (wins over billing until `reactivate`); the owner is told; audited."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise OperatorError("a suspension needs a reason (--reason), e.g. --reason \"spam complaints\"")
    bid = str(business_id)
    shop = conn.execute("SELECT id, name, suspended_at FROM businesses WHERE id = %s FOR UPDATE", (bid,)).fetchone()
    if shop is None:
        from mtaabot.businesses import BusinessNotFound

        raise BusinessNotFound(f"no business with id {business_id}")
    if shop["suspended_at"] is not None:
        raise OperatorError(f"{shop['name']} is already suspended since {shop['suspended_at']:%Y-%m-%d %H:%M} "
                            "(reactivate it first to change the reason)")
    who = (actor or current_operator())[:100]
    row = conn.execute(
        """UPDATE businesses SET suspended_at = CURRENT_TIMESTAMP, suspension_reason = %s, suspended_by = %s,
               updated_at = CURRENT_TIMESTAMP WHERE id = %s
           RETURNING id, name, status, suspended_at, suspension_reason, suspended_by""",
        (reason, who, bid)).fetchone()
    audit(conn, "suspend", business_id=bid, subject=bid, detail={"reason": reason}, actor=who)
    _tell_owner(conn, bid, suspension_owner_notice(shop["name"], reason, _owner_lang(conn, bid)))
    return row


def reactivate(conn: psycopg.Connection, business_id: uuid.UUID | str, actor: str | None = None,
               note: str | None = None) -> dict[str, Any]:
    """Lift a manual suspension (billing decides again); the owner is told; audited."""
    bid = str(business_id)
    shop = conn.execute("SELECT id, name, suspended_at, suspension_reason FROM businesses WHERE id = %s FOR UPDATE",
                        (bid,)).fetchone()
    if shop is None:
        from mtaabot.businesses import BusinessNotFound

        raise BusinessNotFound(f"no business with id {business_id}")
    if shop["suspended_at"] is None:
        raise OperatorError(f"{shop['name']} is not suspended")
    who = (actor or current_operator())[:100]
    row = conn.execute(
        """UPDATE businesses SET suspended_at = NULL, suspension_reason = NULL, suspended_by = NULL,
               updated_at = CURRENT_TIMESTAMP WHERE id = %s
           RETURNING id, name, status, suspended_at, suspension_reason, suspended_by""", (bid,)).fetchone()
    audit(conn, "reactivate", business_id=bid, subject=bid,
          detail={"lifted_reason": shop["suspension_reason"], **({"note": note} if note else {})}, actor=who)
    from mtaabot.owners.alerts import say

    _tell_owner(conn, bid, say("suspension_lifted", _owner_lang(conn, bid), shop=shop["name"]))
    return row


def _owner_lang(conn: psycopg.Connection, business_id: str) -> str:
    from mtaabot.owners.alerts import lang_of_owners
    from mtaabot.owners.registry import owner_phones

    return lang_of_owners(conn, business_id, owner_phones(conn, business_id))


def _tell_owner(conn: psycopg.Connection, business_id: str, body: str) -> None:
    """Dashboard notification plus the owner's WhatsApp (the owner is not the suspended shop's customer)."""
    from mtaabot.notifications import PUSHED, notify

    nid = notify(conn, business_id, SUSPENSION_KIND, body)
    if SUSPENSION_KIND not in PUSHED:
        from mtaabot.owners.alerts import alert

        alert(conn, business_id, SUSPENSION_KIND, body, notification_id=nid)


# What a suspended shop may still send a customer: the suspension notice and answers to the customer's own
# privacy requests (opt-out/in, erasure).
ALLOWED_WHILE_SUSPENDED = frozenset({"gate", "opt_out", "opt_in", "erasure_question", "erasure_done",
                                     "erasure_cancelled"})


def send_blocked(conn: psycopg.Connection, item: dict[str, Any], intent: str | None) -> str | None:
    """Why this outbox row must not go out (a suspended shop writing to a customer), or None."""
    row = conn.execute(
        """SELECT b.suspended_at, c.kind FROM businesses b JOIN conversations c ON c.business_id = b.id
           WHERE b.id = %s AND c.id = %s""", (str(item["business_id"]), str(item["conversation_id"]))).fetchone()
    return blocked_reason(row["suspended_at"], row["kind"], intent) if row is not None else None


def blocked_reason(suspended_at: Any, conversation_kind: str | None, intent: str | None) -> str | None:
    """`send_blocked` on columns the caller already read (the sender reads them with the message it sends)."""
    if suspended_at is None or conversation_kind == "owner" or intent in ALLOWED_WHILE_SUSPENDED:
        return None
    return "shop suspended by the MtaaBot operator: nothing is sent to its customers"
