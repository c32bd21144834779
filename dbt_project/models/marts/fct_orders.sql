-- One row per order a customer confirmed (drafts, i.e. carts never confirmed, are left out), on the shop's
-- local day it was placed.
-- Incremental (delete+insert on order_id): a run loads the orders created or changed since the previous
-- one: every row version written by a transaction the previous run's snapshot did not see (kept as
-- loaded_snapshot, as int_messages does). The row's own xmin says which transaction wrote it, so every
-- writer (checkout, callbacks, owner commands, erasure) is covered without a trigger
-- (macros/incremental_days.sql: unseen_row). orders is a
-- few percent of messages, so this one filtered scan costs little; the joins then touch only the changed
-- orders. `loaded_at` marks the run; mart_orders_daily rebuilds the days it touched.
{{ config(
    materialized='incremental',
    unique_key='order_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    indexes=[
      {'columns': ['order_id'], 'unique': True},
      {'columns': ['business_id', 'order_date']},
      {'columns': ['loaded_at']},
    ]
) }}

{%- set previous = previous_load_snapshot() %}

with changed as (
    select * from {{ ref('stg_orders') }}
    {% if previous is not none %}
    where {{ unseen_row(previous) }}
    {% endif %}
),

lines as (
    -- a product in two sizes is two lines of one product
    select order_id, count(*)::bigint as lines, count(distinct product_id)::bigint as products,
           sum(quantity)::numeric(12, 2) as units
    from {{ ref('stg_order_items') }}
    {% if previous is not none %}
    where order_id in (select order_id from changed)
    {% endif %}
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
    coalesce(l.products, 0)::bigint as products,
    coalesce(l.units, 0)::numeric(12, 2) as units,
    o.created_at,
    o.paid_at,
    current_timestamp as loaded_at,
    -- the oldest transaction still running when this load read `orders` (see int_messages)
    pg_snapshot_xmin(pg_current_snapshot()) as loaded_xmin,
    pg_current_snapshot() as loaded_snapshot
from changed o
join {{ ref('stg_businesses') }} b on b.business_id = o.business_id
left join lines l on l.order_id = o.order_id
where o.order_status <> 'draft'
