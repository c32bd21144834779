-- When a sender is inside the Graph API call for an outbox row (set just before the POST, cleared
-- when the answer is known). A row whose lease expired with this set was interrupted mid-call: Meta
-- may or may not have accepted it, so it is not sent again (no duplicate); a later status webhook
-- carrying biz_opaque_callback_data "outbox:<id>" links it to its wamid.
ALTER TABLE outbox ADD COLUMN post_started_at TIMESTAMP WITH TIME ZONE;
