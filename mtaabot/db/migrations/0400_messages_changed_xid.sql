-- Analytics: the transaction that last stored or changed what the marts read of a message, so the
-- incremental dbt load (int_messages) finds everything it has not seen (new messages, backfilled ones
-- with an old created_at, and customer messages the engine filled in later) by an index range scan
-- instead of re-reading a time window or anti-joining the whole history. A dbt run records the oldest
-- transaction still in progress when it read (pg_snapshot_xmin); every message whose changed_xid is at
-- least that was either seen then (and is loaded again harmlessly) or is new to it. xid8 is 64-bit, so
-- it never wraps around. Delivery-status updates do not touch it (the trigger names its columns).
-- Rows stored before this migration keep NULL: adding the column rewrites nothing, and the first dbt
-- run after it loads int_messages whole.
ALTER TABLE messages ADD COLUMN changed_xid xid8;
ALTER TABLE messages ALTER COLUMN changed_xid SET DEFAULT pg_current_xact_id();
CREATE INDEX idx_messages_changed_xid ON messages (changed_xid);

CREATE FUNCTION mtaabot_messages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_xid := pg_current_xact_id();
    RETURN NEW;
END $$;
CREATE TRIGGER messages_changed
    BEFORE UPDATE OF conversation_id, business_id, role, author, created_at, detected_language,
                     confidence_score, tokens_used, reply_to
    ON messages FOR EACH ROW EXECUTE FUNCTION mtaabot_messages_changed();
