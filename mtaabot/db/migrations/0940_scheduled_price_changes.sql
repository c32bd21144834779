-- A price the owner set to start on a later day ("BEI unga 210 kuanzia kesho"): kept here until that day, then
-- written to products.price. businesses.price_changes_due_on is the earliest day still pending (NULL: none), read
-- with the shop's row on every message so that a due change costs no extra statement to notice.
CREATE TABLE price_changes (
    id BIGSERIAL PRIMARY KEY,
    business_id UUID NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    price DECIMAL(12, 2) NOT NULL CHECK (price > 0),
    starts_on DATE NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    applied_at TIMESTAMP WITH TIME ZONE
);
-- one pending price per product and day: saying it again replaces it
CREATE UNIQUE INDEX uq_price_changes_pending ON price_changes (product_id, starts_on) WHERE applied_at IS NULL;
CREATE INDEX idx_price_changes_due ON price_changes (business_id, starts_on) WHERE applied_at IS NULL;

ALTER TABLE businesses ADD COLUMN price_changes_due_on DATE;
