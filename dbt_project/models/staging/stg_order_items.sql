-- Order lines with the name and unit price snapshotted when the order was taken.
select
    id as order_item_id,
    order_id,
    business_id,
    product_id,
    name as product_name,
    quantity,
    unit_price,
    round(quantity * unit_price, 2) as line_total_kes
from {{ source('mtaabot', 'order_items') }}
