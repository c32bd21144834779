-- Analytics (issue 24), numbered after 0621 which adds conversations.kind (the analytics range 0400-0499
-- runs before it). stg_messages leaves out the owner's own chat (`not exists (… conversations c where
-- c.id = m.conversation_id and c.kind = 'owner')`). Without an index the planner materialised a sequential
-- scan of every conversation for that anti-join in each refresh with new messages (28 ms at 1M messages,
-- 95K conversations; growing with the history). A partial index on the few owner chats makes it a probe.
CREATE INDEX IF NOT EXISTS idx_conversations_owner ON conversations (id) WHERE kind = 'owner';
