-- Billing: subscriptions become the payment ledger (pending STK pushes, paid periods, failures),
-- plus a log of every M-Pesa callback that matched a payment. The seed's columns stay as they are:
-- a pending payment is a row with is_active = false and status = 'pending' whose starts_at/ends_at
-- are provisional until it is paid.
ALTER TABLE subscriptions
    ADD COLUMN status VARCHAR(20) NOT NULL DEFAULT 'active',
    ADD COLUMN amount_kes INTEGER,
    ADD COLUMN phone VARCHAR(20),
    ADD COLUMN merchant_request_id VARCHAR(255),
    ADD COLUMN result_code INTEGER,
    ADD COLUMN result_desc TEXT,
    ADD COLUMN failure_reason TEXT,
    ADD COLUMN raw_callback JSONB,
    ADD COLUMN settled_by VARCHAR(20),
    ADD COLUMN created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ADD COLUMN paid_at TIMESTAMP WITH TIME ZONE,
    ADD CONSTRAINT subscriptions_status_check
        CHECK (status IN ('pending', 'active', 'failed', 'cancelled', 'expired')),
    ADD CONSTRAINT subscriptions_plan_tier_check CHECK (plan_tier IN ('lite', 'pro', 'enterprise')),
    ADD CONSTRAINT subscriptions_settled_by_check
        CHECK (settled_by IS NULL OR settled_by IN ('callback', 'reconcile', 'push_error', 'manual')),
    ADD CONSTRAINT subscriptions_period_check CHECK (ends_at > starts_at);

CREATE UNIQUE INDEX uq_subscriptions_checkout ON subscriptions (mpesa_checkout_id)
    WHERE mpesa_checkout_id IS NOT NULL;
CREATE INDEX idx_subscriptions_business_period ON subscriptions (business_id, status, ends_at);
CREATE INDEX idx_subscriptions_pending ON subscriptions (created_at) WHERE status = 'pending';

-- Every callback that matched a payment (duplicates too), raw, for audit. Callbacks with an unknown
-- CheckoutRequestID or a malformed body change nothing in the database: they are only logged.
CREATE TABLE mpesa_callbacks (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id UUID NOT NULL REFERENCES businesses(id),
    subscription_id UUID NOT NULL REFERENCES subscriptions(id),
    checkout_request_id VARCHAR(255) NOT NULL,
    result_code INTEGER,
    outcome VARCHAR(20) NOT NULL CHECK (outcome IN ('activated', 'failed', 'duplicate', 'receipt_added')),
    payload JSONB NOT NULL,
    remote_addr VARCHAR(64),
    received_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_mpesa_callbacks_business ON mpesa_callbacks (business_id, received_at DESC);
CREATE INDEX idx_mpesa_callbacks_checkout ON mpesa_callbacks (checkout_request_id);
