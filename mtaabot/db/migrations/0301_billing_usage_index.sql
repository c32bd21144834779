-- The gate counts this period's AI replies before every engine answer: a partial index makes that an
-- index-only count over (business_id, created_at) instead of a scan of every message of the business.
CREATE INDEX idx_messages_ai_replies ON messages (business_id, created_at) WHERE role = 'bot' AND author = 'ai';
