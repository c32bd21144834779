-- WhatsApp message path: inbound jobs (one per stored customer message), the outbox (one row per bot
-- message to send), a cross-process send-rate scheduler per business number, and a log of webhook
-- deliveries that could not be routed or parsed (nothing is silently dropped).

CREATE TABLE inbound_jobs (
    id BIGSERIAL PRIMARY KEY,
    business_id UUID NOT NULL REFERENCES businesses(id),
    conversation_id UUID NOT NULL REFERENCES conversations(id),
    message_id UUID NOT NULL UNIQUE REFERENCES messages(id),
    status VARCHAR(10) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    done_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX idx_inbound_jobs_pending ON inbound_jobs (id) WHERE status = 'pending';
CREATE INDEX idx_inbound_jobs_conversation_pending ON inbound_jobs (conversation_id, id) WHERE status = 'pending';

CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    business_id UUID NOT NULL REFERENCES businesses(id),
    conversation_id UUID NOT NULL REFERENCES conversations(id),
    message_id UUID NOT NULL UNIQUE REFERENCES messages(id),
    status VARCHAR(10) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    locked_until TIMESTAMP WITH TIME ZONE,
    last_error TEXT,
    wamid VARCHAR(255),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    sent_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX idx_outbox_due ON outbox (next_attempt_at, id) WHERE status IN ('pending', 'sending');
CREATE INDEX idx_outbox_business ON outbox (business_id, created_at);

CREATE TABLE whatsapp_send_slots (
    phone_number_id VARCHAR(100) PRIMARY KEY,
    next_slot_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE webhook_unprocessed (
    id BIGSERIAL PRIMARY KEY,
    business_id UUID REFERENCES businesses(id),
    phone_number_id VARCHAR(100),
    reason VARCHAR(100) NOT NULL,
    payload JSONB,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_webhook_unprocessed_received ON webhook_unprocessed (received_at DESC);

CREATE INDEX idx_messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL;
