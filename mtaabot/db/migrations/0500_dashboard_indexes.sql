-- Dashboard: customers active in a window are counted from conversations (a customer wrote in the
-- window exactly when their last message is inside it), not by scanning messages.
CREATE INDEX IF NOT EXISTS idx_conversations_business_last_customer
    ON conversations (business_id, last_customer_message_at);
