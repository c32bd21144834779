-- Orders, payments and revenue per shop per local day, and how many of the customers who asked about a
-- product that day ordered (conversion).
with orders as (
    select
        business_id,
        order_date,
        count(*)::bigint as orders,
        count(*) filter (where is_paid)::bigint as paid_orders,
        count(*) filter (where order_status = 'cancelled')::bigint as cancelled_orders,
        count(*) filter (where order_kind = 'booking')::bigint as bookings,
        coalesce(sum(total_kes) filter (where is_paid), 0)::numeric(14, 2) as revenue_kes
    from {{ ref('fct_orders') }}
    group by 1, 2
),

first_order as (
    select min(created_at) as since from {{ ref('fct_orders') }}
),

askers as (
    -- customers whose chat was about products that day (the engine's answer or the message carries the intent)
    select
        m.business_id,
        (m.created_at at time zone b.timezone)::date as order_date,
        count(distinct m.conversation_id)::bigint as customers_asking
    from {{ ref('stg_messages') }} m
    join {{ ref('stg_businesses') }} b on b.business_id = m.business_id
    cross join first_order f
    where m.intent in ('product', 'price_list', 'order', 'booking', 'order_summary', 'discount_offer')
      and m.created_at >= f.since - interval '1 day'
    group by 1, 2
)

select
    o.business_id,
    o.order_date,
    o.orders,
    o.paid_orders,
    o.cancelled_orders,
    o.bookings,
    round(o.paid_orders::numeric / nullif(o.orders, 0), 4)::numeric(10, 4) as paid_share,
    o.revenue_kes,
    round(o.revenue_kes / nullif(o.paid_orders, 0), 2)::numeric(14, 2) as average_basket_kes,
    coalesce(a.customers_asking, 0)::bigint as customers_asking,
    round(o.orders::numeric / nullif(a.customers_asking, 0), 4)::numeric(10, 4) as conversion
from orders o
left join askers a on a.business_id = o.business_id and a.order_date = o.order_date
