"""The one place for plans: price in KES, monthly AI-reply quota, period length, and the trial."""

from __future__ import annotations

from dataclasses import dataclass

from mtaabot.errors import UserError

PERIOD_DAYS = 30  # a paid "month" is 30 days, so renewals add whole, predictable periods
TRIAL_DAYS = 14  # matches mtaabot.businesses.TRIAL_DAYS (new businesses start on trial)
TRIAL_AI_REPLIES = 300  # trial quota for the whole 14 days


class UnknownPlan(UserError):
    """A plan code that is not lite, pro or enterprise."""


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    price_kes: int
    monthly_ai_replies: int
    period_days: int = PERIOD_DAYS

    @property
    def paid(self) -> bool:
        return self.price_kes > 0

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "price_kes": self.price_kes,
                "monthly_ai_replies": self.monthly_ai_replies, "period_days": self.period_days}


LITE = Plan("lite", "Lite", 999, 1_000)
PRO = Plan("pro", "Pro", 2_999, 10_000)
ENTERPRISE = Plan("enterprise", "Enterprise", 9_999, 100_000)
TRIAL = Plan("trial", "Trial", 0, TRIAL_AI_REPLIES, TRIAL_DAYS)

PLANS: dict[str, Plan] = {p.code: p for p in (LITE, PRO, ENTERPRISE)}


def get_plan(code: str | None) -> Plan:
    """A paid plan by code (case-insensitive); UnknownPlan names the valid codes."""
    plan = PLANS.get((code or "").strip().lower())
    if plan is None:
        raise UnknownPlan(f"unknown plan {code!r}; choose one of {', '.join(PLANS)}")
    return plan


def plan_for_tier(tier: str) -> Plan:
    """The plan of a stored subscription row (`plan_tier`), falling back to lite for legacy rows."""
    return PLANS.get(tier or "lite", LITE)


def format_kes(amount: int | float) -> str:
    return f"KES {amount:,.0f}"
