-- "SIMAMISHA saa 2", "pause for 1 hour": the bot starts answering again at this moment by itself (the owners'
-- 5-minute Dagster asset resumes the shop and answers what was kept). NULL: paused until ENDELEA / RESUME.
ALTER TABLE businesses ADD COLUMN paused_until TIMESTAMP WITH TIME ZONE;
