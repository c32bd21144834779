-- Quiet hours per shop (issue 19): when alerts to the owner's WhatsApp are held until morning.
-- "22-6" (Nairobi hours, start-end) or "off"; NULL = the deployment default (MTAABOT_OWNER_QUIET_HOURS).
ALTER TABLE businesses
    ADD COLUMN owner_quiet_hours VARCHAR(5)
        CHECK (owner_quiet_hours ~ '^(off|([01]?[0-9]|2[0-3])-([01]?[0-9]|2[0-3]))$');
