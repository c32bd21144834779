-- Billing: AI replies per shop per UTC hour, so the gate's "AI replies used since the period began" is a sum of
-- at most 24 x 30 counter rows plus an exact count of the period's first partial hour, instead of a count of
-- every AI reply of the period (up to 100,000 index entries per reply for an Enterprise shop late in its month).
--
-- The counters are kept by triggers on `messages`, so every way a row arrives or changes is counted the same as
-- the stored rows themselves: the engine's replies, backdated or bulk inserts (simulations, tests, imports),
-- a created_at / author / role / business_id changed later, a deleted row. Nothing else writes this table.
-- Erasure and retention keep message rows (their text is overwritten), so the shop's usage stays, as before.
CREATE TABLE ai_reply_usage (
    business_id UUID NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
    hour TIMESTAMP WITH TIME ZONE NOT NULL,  -- date_trunc('hour', created_at, 'UTC')
    replies INTEGER NOT NULL,
    PRIMARY KEY (business_id, hour)
);

INSERT INTO ai_reply_usage (business_id, hour, replies)
SELECT business_id, date_trunc('hour', created_at, 'UTC'), count(*)
FROM messages
WHERE role = 'bot' AND author = 'ai' AND business_id IS NOT NULL AND created_at IS NOT NULL
GROUP BY 1, 2;

CREATE FUNCTION mtaabot_ai_reply_usage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.role = 'bot' AND OLD.author = 'ai' AND OLD.business_id IS NOT NULL
            AND OLD.created_at IS NOT NULL THEN
        UPDATE ai_reply_usage SET replies = replies - 1
        WHERE business_id = OLD.business_id AND hour = date_trunc('hour', OLD.created_at, 'UTC');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.role = 'bot' AND NEW.author = 'ai' AND NEW.business_id IS NOT NULL
            AND NEW.created_at IS NOT NULL THEN
        INSERT INTO ai_reply_usage (business_id, hour, replies)
        VALUES (NEW.business_id, date_trunc('hour', NEW.created_at, 'UTC'), 1)
        ON CONFLICT (business_id, hour) DO UPDATE SET replies = ai_reply_usage.replies + 1;
    END IF;
    RETURN NULL;
END $$;

-- AFTER triggers: a reply skipped by ON CONFLICT DO NOTHING (a retried answer) is never counted. The WHEN
-- clauses keep every other message (customer messages, delivery-status updates) free of any trigger call.
CREATE TRIGGER messages_ai_usage_insert AFTER INSERT ON messages FOR EACH ROW
    WHEN (NEW.role = 'bot' AND NEW.author = 'ai') EXECUTE FUNCTION mtaabot_ai_reply_usage();
CREATE TRIGGER messages_ai_usage_update AFTER UPDATE OF business_id, role, author, created_at ON messages FOR EACH ROW
    WHEN ((OLD.role = 'bot' AND OLD.author = 'ai' OR NEW.role = 'bot' AND NEW.author = 'ai')
          AND (OLD.business_id, OLD.role, OLD.author, OLD.created_at)
              IS DISTINCT FROM (NEW.business_id, NEW.role, NEW.author, NEW.created_at))
    EXECUTE FUNCTION mtaabot_ai_reply_usage();
CREATE TRIGGER messages_ai_usage_delete AFTER DELETE ON messages FOR EACH ROW
    WHEN (OLD.role = 'bot' AND OLD.author = 'ai') EXECUTE FUNCTION mtaabot_ai_reply_usage();

CREATE FUNCTION mtaabot_ai_reply_usage_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ai_reply_usage;
    RETURN NULL;
END $$;
CREATE TRIGGER messages_ai_usage_truncate AFTER TRUNCATE ON messages FOR EACH STATEMENT
    EXECUTE FUNCTION mtaabot_ai_reply_usage_truncated();
