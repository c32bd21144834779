-- Additions the product needs on top of the seed: tenant key on every tenant-owned table,
-- hashed API keys, product embeddings with their model, WhatsApp ids, customer identity
-- without a phone number, notifications for owners.

-- Businesses: what replies need (hours, owner contact) and the trial clock.
ALTER TABLE businesses
    ADD COLUMN description TEXT,
    ADD COLUMN opening_hours TEXT,
    ADD COLUMN owner_phone VARCHAR(20),
    ADD COLUMN owner_password_hash TEXT,
    ADD COLUMN trial_ends_at TIMESTAMP WITH TIME ZONE,
    ADD CONSTRAINT businesses_tone_check CHECK (tone IN ('mtaa', 'rafiki', 'kazi', 'sana')),
    ADD CONSTRAINT businesses_status_check CHECK (status IN ('active', 'suspended', 'trial'));
CREATE UNIQUE INDEX uq_businesses_name ON businesses (lower(name));

-- API configs: mtaabot_api_key holds only a SHA-256 hash ("sha256$<hex>"); the prefix helps owners
-- recognise a key without storing it.
ALTER TABLE api_configs
    ADD COLUMN api_key_prefix VARCHAR(16),
    ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP;
CREATE UNIQUE INDEX uq_api_configs_business ON api_configs (business_id);
CREATE UNIQUE INDEX uq_api_configs_phone_number_id ON api_configs (whatsapp_phone_number_id)
    WHERE whatsapp_phone_number_id IS NOT NULL;

-- Products: one row per (business, name) so imports are idempotent; content hash for re-embedding.
ALTER TABLE products
    ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    ADD COLUMN content_hash TEXT;
CREATE UNIQUE INDEX uq_products_business_name ON products (business_id, name);

CREATE FUNCTION mtaabot_products_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.content_hash := md5(coalesce(NEW.name, '') || E'\x1f' || coalesce(NEW.description, '')
                            || E'\x1f' || coalesce(NEW.metadata::text, ''));
    IF TG_OP = 'INSERT' OR NEW IS DISTINCT FROM OLD THEN
        NEW.updated_at := CURRENT_TIMESTAMP;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER products_touch BEFORE INSERT OR UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION mtaabot_products_touch();

-- Embeddings: one row per product per model; content_hash says which product text it came from.
CREATE TABLE product_embeddings (
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    business_id UUID NOT NULL REFERENCES businesses(id),
    model VARCHAR(200) NOT NULL,
    content_hash TEXT NOT NULL,
    embedding vector(384) NOT NULL,
    embedded_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (product_id, model)
);
CREATE INDEX idx_product_embeddings_business ON product_embeddings (business_id, model);
CREATE INDEX idx_product_embeddings_hnsw ON product_embeddings USING hnsw (embedding vector_cosine_ops);

-- Conversations: customer identity works without a phone number (BSUID).  customer_phone keeps
-- the seed's NOT NULL/UNIQUE role as "the address we key the chat on": the E.164 digits when
-- WhatsApp gives them, otherwise the BSUID (or a short hash of it when longer than 20 chars).
ALTER TABLE conversations
    ADD COLUMN customer_bsuid VARCHAR(128),
    ADD COLUMN customer_wa_id VARCHAR(20),
    ADD COLUMN customer_name VARCHAR(255),
    ADD COLUMN created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    ADD COLUMN last_customer_message_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN window_closed_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN opted_out BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN escalated_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN escalation_reason VARCHAR(50),
    ADD COLUMN handed_back_at TIMESTAMP WITH TIME ZONE,
    ADD CONSTRAINT conversations_status_check CHECK (status IN ('ai_active', 'human_escalated', 'closed'));
CREATE UNIQUE INDEX uq_conversations_business_bsuid ON conversations (business_id, customer_bsuid)
    WHERE customer_bsuid IS NOT NULL;
CREATE INDEX idx_conversations_business_status ON conversations (business_id, status);

-- Messages: tenant key, WhatsApp id (unique per business), type, raw payload, delivery status.
ALTER TABLE messages
    ADD COLUMN business_id UUID REFERENCES businesses(id),
    ADD COLUMN wamid VARCHAR(255),
    ADD COLUMN message_type VARCHAR(20) NOT NULL DEFAULT 'text',
    ADD COLUMN author VARCHAR(10) NOT NULL DEFAULT 'customer',
    ADD COLUMN payload JSONB,
    ADD COLUMN intent VARCHAR(30),
    ADD COLUMN product_ids UUID[],
    ADD COLUMN reply_to UUID REFERENCES messages(id),
    ADD COLUMN delivery_status VARCHAR(20),
    ADD COLUMN delivery_error_code INTEGER,
    ADD COLUMN delivery_updated_at TIMESTAMP WITH TIME ZONE,
    ADD CONSTRAINT messages_author_check CHECK (author IN ('customer', 'ai', 'owner', 'system')),
    ADD CONSTRAINT messages_language_check CHECK (detected_language IS NULL OR detected_language IN ('SHENG', 'SWA', 'ENG'));
CREATE UNIQUE INDEX uq_messages_business_wamid ON messages (business_id, wamid) WHERE wamid IS NOT NULL;
CREATE INDEX idx_messages_business_created ON messages (business_id, created_at);

-- Owner notifications (escalations, renewal and quota notices) for the dashboard and WhatsApp notifier.
CREATE TABLE notifications (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id UUID NOT NULL REFERENCES businesses(id),
    conversation_id UUID REFERENCES conversations(id),
    kind VARCHAR(30) NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    read_at TIMESTAMP WITH TIME ZONE,
    sent_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX idx_notifications_business ON notifications (business_id, created_at DESC);
