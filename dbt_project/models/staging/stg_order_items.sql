-- Order lines with the name and unit price snapshotted when the order was taken. A product ordered in several
-- sizes or colours is one line per variant ("size 42", "size 43, black"; null: none said), each with its count.
select
    id as order_item_id,
    order_id,
    business_id,
    product_id,
    name as product_name,
    variant,
    quantity,
    unit_price,
    round(quantity * unit_price, 2) as line_total_kes
from {{ source('mtaabot', 'order_items') }}
