-- Orders and bookings taken in the chat (migration 0600). Delivery location, note and payer phone are left out.
select
    id as order_id,
    business_id,
    number as order_number,
    conversation_id,
    status as order_status,
    kind as order_kind,
    source as order_source,
    fulfilment,
    total_kes,
    paid_amount_kes,
    booking_at,
    created_at,
    confirmed_at,
    paid_at,
    fulfilled_at,
    cancelled_at,
    xmin as row_xmin  -- the transaction that wrote this version of the row (fct_orders loads what changed)
from {{ source('mtaabot', 'orders') }}
