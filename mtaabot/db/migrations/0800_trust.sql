-- Trust and operations (issue 22): an operator's suspension kept apart from the billing-derived
-- `businesses.status` (billing overwrites that; a suspension wins until an operator lifts it), a per-shop
-- retention period, and an audit log of operator actions (who, what, when; never the data itself).
ALTER TABLE businesses
    ADD COLUMN suspended_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN suspension_reason TEXT,
    ADD COLUMN suspended_by VARCHAR(100),
    ADD COLUMN retention_months SMALLINT NOT NULL DEFAULT 24 CHECK (retention_months BETWEEN 1 AND 120);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    actor VARCHAR(100) NOT NULL,              -- operator (OS user or MTAABOT_OPERATOR), "customer", "retention"
    action VARCHAR(40) NOT NULL,              -- suspend, reactivate, privacy_export, privacy_erase, ...
    business_id UUID REFERENCES businesses(id),
    subject VARCHAR(100),                     -- a row id (conversation), never a phone number or message text
    detail JSONB NOT NULL DEFAULT '{}'        -- reasons and counts only
);
CREATE INDEX idx_audit_log_business ON audit_log (business_id, at DESC);

-- A customer's own erasure request in the chat waits for their "yes" (erasure_requested_at); an erased
-- conversation keeps its row (orders and counts point at it) under an anonymous key, marked erased_at.
ALTER TABLE conversations
    ADD COLUMN erasure_requested_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN erased_at TIMESTAMP WITH TIME ZONE;
