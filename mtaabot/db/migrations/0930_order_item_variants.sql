-- One order line per product AND size/colour: "nataka mbili size 42 moja 43" is two lines of the same shoe
-- (2 x size 42, 1 x size 43), each with its own count, not one line "2 x (size 42)". The line's key becomes
-- (order, product, variant); a line without a variant is still one per product (NULLS NOT DISTINCT).
-- Existing rows are kept as they are: every (order, product) was unique, so every (order, product, variant) is.
ALTER TABLE order_items DROP CONSTRAINT IF EXISTS order_items_order_id_product_id_key;
ALTER TABLE order_items
    ADD CONSTRAINT order_items_order_product_variant_key UNIQUE NULLS NOT DISTINCT (order_id, product_id, variant);
