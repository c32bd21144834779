-- The owner's WhatsApp channel (issue 19): verified owner numbers, numbered alerts the owner answers with
-- "JIBU 2 …", a shop-wide pause that survives restarts, quiet time after the owner typed in the WhatsApp
-- Business app (Coexistence echoes), the owner's morning digest hour and away message.

CREATE TABLE business_owners (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id UUID NOT NULL REFERENCES businesses(id),
    phone VARCHAR(20) NOT NULL,
    verified_at TIMESTAMP WITH TIME ZONE,
    code_hash TEXT,                                   -- sha256 of the one-time code; cleared once used
    code_expires_at TIMESTAMP WITH TIME ZONE,
    code_attempts INTEGER NOT NULL DEFAULT 0,
    added_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (business_id, phone)
);
CREATE INDEX idx_business_owners_phone ON business_owners (phone) WHERE verified_at IS NOT NULL;

-- Every alert the owner gets, numbered per shop so a reply can name it ("JIBU 2 Iko, karibu").
CREATE TABLE owner_alerts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id UUID NOT NULL REFERENCES businesses(id),
    number INTEGER NOT NULL,
    kind VARCHAR(30) NOT NULL,
    conversation_id UUID REFERENCES conversations(id),
    order_id UUID REFERENCES orders(id),
    notification_id UUID REFERENCES notifications(id),
    body TEXT NOT NULL,
    message_id UUID REFERENCES messages(id),          -- the owner-chat message that carried it
    delivery VARCHAR(20) NOT NULL DEFAULT 'queued'
        CHECK (delivery IN ('queued', 'sent', 'delivered', 'read', 'failed', 'dashboard_only')),
    delivery_error TEXT,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    answered_at TIMESTAMP WITH TIME ZONE,
    realerted_at TIMESTAMP WITH TIME ZONE,
    UNIQUE (business_id, number)
);
CREATE INDEX idx_owner_alerts_conversation ON owner_alerts (conversation_id, created_at DESC);
CREATE INDEX idx_owner_alerts_open ON owner_alerts (business_id, created_at) WHERE answered_at IS NULL;

ALTER TABLE businesses
    ADD COLUMN paused_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN away_message TEXT,
    ADD COLUMN digest_hour SMALLINT NOT NULL DEFAULT 7 CHECK (digest_hour BETWEEN 0 AND 23),
    ADD COLUMN last_digest_on DATE;

ALTER TABLE conversations
    ADD COLUMN quiet_until TIMESTAMP WITH TIME ZONE;   -- the owner is talking here (echoes): bot silent
