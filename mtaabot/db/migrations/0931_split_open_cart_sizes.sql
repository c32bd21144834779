-- Open carts written before 0930 kept several sizes of one product on one line ("size 41, size 44, size 45",
-- 3 pairs: each size said was one more pair). Where the pairs are as many as the sizes, each size becomes a line of
-- its own of one pair (same price, same total), so "ondoa size 44" and "size 44 iwe mbili" act on that size. Other
-- lines, and every order past the cart (confirmed, paid, cancelled), are kept as they were written.
WITH legacy AS (
    SELECT i.* FROM order_items i JOIN orders o ON o.id = i.order_id
    WHERE o.status = 'draft'
      AND i.variant ~ '^size [0-9]{1,2}(\.[0-9])?(, size [0-9]{1,2}(\.[0-9])?)+$'
      AND i.quantity = cardinality(string_to_array(i.variant, ', '))
), split AS (
    INSERT INTO order_items (order_id, business_id, product_id, name, quantity, unit_price, variant, created_at)
    SELECT l.order_id, l.business_id, l.product_id, l.name, 1, l.unit_price, s.size, l.created_at
    FROM legacy l CROSS JOIN LATERAL unnest(string_to_array(l.variant, ', ')) AS s(size)
    RETURNING id
)
DELETE FROM order_items WHERE id IN (SELECT id FROM legacy);
