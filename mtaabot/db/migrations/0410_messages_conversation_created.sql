-- Analytics: a chat's messages in time order. int_messages finds the answer each hand-over marks (the
-- bot answer nearest in time in that chat) with one short index range scan per hand-over; with only the
-- conversation_id index it compared every hand-over with every answer of its chat, which grows with the
-- square of a long chat (minutes at 10M messages, where a loyal customer's chat has thousands).
CREATE INDEX IF NOT EXISTS idx_messages_conversation_created ON messages (conversation_id, created_at);
