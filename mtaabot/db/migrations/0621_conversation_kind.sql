-- The owner's own chat with the shop's number (alerts, commands) is not customer traffic: analytics and
-- customer lists leave it out.
ALTER TABLE conversations
    ADD COLUMN kind VARCHAR(10) NOT NULL DEFAULT 'customer',
    ADD CONSTRAINT conversations_kind_check CHECK (kind IN ('customer', 'owner'));
