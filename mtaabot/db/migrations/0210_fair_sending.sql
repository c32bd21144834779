-- Fair, ordered sending (issue 21): a conversation's next outbox row waits while an earlier one is still
-- pending or being sent, so senders look up "is there an earlier unsent row in this chat" per candidate.
-- The inbound claim does the same per conversation (only its oldest pending job is runnable).
CREATE INDEX IF NOT EXISTS idx_outbox_conversation_unsent ON outbox (conversation_id, id)
    WHERE status IN ('pending', 'sending');
-- A business number that Meta throttled (429 / 130429) backs off as a whole: its send slot moves ahead and
-- senders skip that shop's rows until then (other shops' replies keep going).
CREATE INDEX IF NOT EXISTS idx_api_configs_business ON api_configs (business_id);
