-- Dashboard: the language each signed-in user reads the dashboard in (sw | en), remembered across
-- sign-ins. One row per dashboard user: `owner:<business id>` for a shop owner, `operator:<name>` for an
-- operator. Owner rows go with their shop.
CREATE TABLE IF NOT EXISTS dashboard_preferences (
    user_key VARCHAR(120) PRIMARY KEY,
    business_id UUID REFERENCES businesses(id) ON DELETE CASCADE,
    language VARCHAR(2) NOT NULL CHECK (language IN ('sw', 'en')),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS idx_dashboard_preferences_business ON dashboard_preferences (business_id);
