-- House in order (issue 25): columns nothing reads or writes.
-- businesses.owner_password_hash: owners sign in with their API key, operators have their own accounts.
-- notifications.read_at / sent_at: never written (the dashboard shows notices by time; owner WhatsApp alerts
-- are tracked in owner_alerts and the outbox).
ALTER TABLE businesses DROP COLUMN IF EXISTS owner_password_hash;
ALTER TABLE notifications DROP COLUMN IF EXISTS read_at, DROP COLUMN IF EXISTS sent_at;
