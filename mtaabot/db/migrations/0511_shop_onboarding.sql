-- Dashboard: a shop opened from the browser (self-serve sign-up) and how far its owner got. Each step
-- is stamped when done or skipped, so the set-up resumes where it stopped after a sign-out or a lost
-- connection. Shops made on the command line have no row (nothing to finish).
CREATE TABLE IF NOT EXISTS shop_onboarding (
    business_id UUID PRIMARY KEY REFERENCES businesses(id) ON DELETE CASCADE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    key_saved_at TIMESTAMP WITH TIME ZONE,
    catalogue_at TIMESTAMP WITH TIME ZONE,
    whatsapp_at TIMESTAMP WITH TIME ZONE,
    plan_at TIMESTAMP WITH TIME ZONE,
    completed_at TIMESTAMP WITH TIME ZONE
);
