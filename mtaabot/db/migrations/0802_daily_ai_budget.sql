-- Cost limit (issue 22): a per-shop cap on AI replies per Nairobi day, on top of the plan's monthly quota.
-- NULL = the deployment default (MTAABOT_DAILY_AI_BUDGET, unset = no daily cap); 0 is not allowed (suspend).
ALTER TABLE businesses
    ADD COLUMN daily_ai_budget INTEGER CHECK (daily_ai_budget IS NULL OR daily_ai_budget > 0);
