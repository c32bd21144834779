-- One row per order a customer confirmed (drafts, i.e. carts never confirmed, are left out), on the shop's
-- local day it was placed.
with lines as (
    select order_id, count(*)::bigint as lines, sum(quantity)::numeric(12, 2) as units
    from {{ ref('stg_order_items') }}
    group by 1
)

select
    o.order_id,
    o.business_id,
    o.order_number,
    (o.created_at at time zone b.timezone)::date as order_date,
    o.order_status::text as order_status,
    o.order_kind::text as order_kind,
    o.order_source::text as order_source,
    o.fulfilment::text as fulfilment,
    o.total_kes::numeric(12, 2) as total_kes,
    coalesce(o.paid_amount_kes, 0)::numeric(12, 2) as paid_amount_kes,
    o.order_status in ('paid', 'fulfilled') as is_paid,
    coalesce(l.lines, 0)::bigint as lines,
    coalesce(l.units, 0)::numeric(12, 2) as units,
    o.created_at,
    o.paid_at
from {{ ref('stg_orders') }} o
join {{ ref('stg_businesses') }} b on b.business_id = o.business_id
left join lines l on l.order_id = o.order_id
where o.order_status <> 'draft'
