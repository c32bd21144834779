-- Haggling: each shop chooses what the bot does when a customer asks for a better price.
--   notify   (default) polite answer, the owner is told (MtaaBot's behaviour before this migration)
--   none     polite fixed-price answer, nobody is disturbed
--   escalate the chat goes to the owner
--   discount the bot may offer up to max_discount_pct off the product being discussed; the offer is
--            kept for the chat (price_offers) and an order of that product uses it
ALTER TABLE businesses
    ADD COLUMN haggle_policy VARCHAR(10) NOT NULL DEFAULT 'notify',
    ADD COLUMN max_discount_pct NUMERIC(4, 1),
    ADD CONSTRAINT businesses_haggle_policy_check CHECK (haggle_policy IN ('notify', 'none', 'escalate', 'discount')),
    ADD CONSTRAINT businesses_max_discount_check CHECK (max_discount_pct IS NULL OR (max_discount_pct > 0 AND max_discount_pct <= 50)),
    ADD CONSTRAINT businesses_discount_needs_pct CHECK (haggle_policy <> 'discount' OR max_discount_pct IS NOT NULL);

CREATE TABLE price_offers (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id UUID NOT NULL REFERENCES businesses(id),
    conversation_id UUID NOT NULL REFERENCES conversations(id),
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    price NUMERIC(12, 2) NOT NULL CHECK (price > 0),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    UNIQUE (conversation_id, product_id)
);
CREATE INDEX idx_price_offers_business ON price_offers (business_id);
