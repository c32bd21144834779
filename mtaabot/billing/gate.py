"""May this business get an AI reply right now? (active plan or trial, and under the monthly quota)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import psycopg


@dataclass(frozen=True)
class GateResult:
    allowed: bool
    reason: str | None = None  # "no_active_plan" | "quota_reached"
    customer_message: str | None = None  # hand-over text for the customer when not allowed
    owner_notice: str | None = None  # notification text for the owner when not allowed


def check_ai_allowed(conn: psycopg.Connection, business_id: uuid.UUID | str) -> GateResult:
    """PLACEHOLDER until the billing issue lands: always allowed."""
    return GateResult(allowed=True)
