-- Part of an order's money received ("THIBITISHA 32 200": a deposit, a first part in cash or on M-Pesa).
-- orders.paid_amount_kes already holds what was paid; while the order still waits for the rest it holds what the
-- owner has recorded so far, and part_received_at when the latest part was recorded, so a customer's payment claim
-- made before it (the part itself) is not read as a claim about the rest.
ALTER TABLE orders
    ADD COLUMN part_received_at TIMESTAMPTZ,
    ADD CONSTRAINT orders_paid_amount_check CHECK (paid_amount_kes IS NULL OR paid_amount_kes >= 0);
