-- Trust and operations, second part (issue 22).
-- 1. A request id that follows one customer message from the webhook to the worker to the Graph call: stored
--    with the inbound job and with the outbox row the answer goes out on, so each process logs it.
ALTER TABLE inbound_jobs ADD COLUMN request_id VARCHAR(40);
ALTER TABLE outbox ADD COLUMN request_id VARCHAR(40);

-- 2. Operator accounts: one per person (argon2id hash), instead of one shared dashboard password.
CREATE TABLE operator_accounts (
    id BIGSERIAL PRIMARY KEY,
    username VARCHAR(60) NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,59}$'),
    password_hash TEXT NOT NULL,
    created_by VARCHAR(100) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_login_at TIMESTAMP WITH TIME ZONE,
    disabled_at TIMESTAMP WITH TIME ZONE
);

-- 3. Payments you can prove: a success callback whose Amount or PhoneNumber differs from what was asked is
--    held (nothing activates, nothing is marked paid) until the Daraja STK query confirms or refutes it.
ALTER TABLE subscriptions
    ADD COLUMN held_reason TEXT,
    DROP CONSTRAINT subscriptions_status_check,
    ADD CONSTRAINT subscriptions_status_check
        CHECK (status IN ('pending', 'active', 'failed', 'cancelled', 'expired', 'underpaid', 'held'));
ALTER TABLE order_payments
    ADD COLUMN held_reason TEXT,
    DROP CONSTRAINT order_payments_status_check,
    ADD CONSTRAINT order_payments_status_check
        CHECK (status IN ('queued', 'pending', 'paid', 'failed', 'underpaid', 'superseded', 'held'));
ALTER TABLE mpesa_callbacks
    DROP CONSTRAINT mpesa_callbacks_outcome_check,
    ADD CONSTRAINT mpesa_callbacks_outcome_check
        CHECK (outcome IN ('activated', 'failed', 'duplicate', 'receipt_added', 'paid', 'underpaid', 'held'));
CREATE INDEX idx_subscriptions_held ON subscriptions (updated_at) WHERE status = 'held';
CREATE INDEX idx_order_payments_held ON order_payments (updated_at) WHERE status = 'held';
