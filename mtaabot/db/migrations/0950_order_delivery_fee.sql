-- The delivery cost the owner puts on one order ("ODA 25 DELIVERY 200"): part of the order's total, so the customer
-- pays goods and delivery in one M-Pesa payment. NULL: none set (a pickup, or a delivery the owner has not priced).
-- It counts only while the order is a delivery: a customer who turns it into a pickup stops paying it.
ALTER TABLE orders
    ADD COLUMN delivery_fee_kes NUMERIC(12, 2),
    ADD CONSTRAINT orders_delivery_fee_check CHECK (delivery_fee_kes IS NULL OR delivery_fee_kes >= 0);
