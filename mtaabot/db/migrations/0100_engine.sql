-- Conversation engine: one bot answer per customer message (retries never make a second),
-- full-text search over the catalogue with the language-neutral `simple` configuration.
CREATE UNIQUE INDEX uq_messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL;

CREATE INDEX idx_products_search_simple ON products USING gin (
    to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(description, '') || ' '
                || coalesce(metadata::text, ''))
);

CREATE INDEX idx_notifications_conversation ON notifications (conversation_id) WHERE conversation_id IS NOT NULL;
