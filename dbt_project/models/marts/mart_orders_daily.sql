-- Orders, payments and revenue per shop per local day, and how many of the customers who asked about a
-- product that day ordered (conversion).
-- Incremental (delete+insert on the day): a run rebuilds the (shop, day)s whose orders fct_orders loaded
-- since this mart's previous run, and those whose messages int_messages loaded (customers asking); both
-- read through their (business_id, day) indexes, as is int_asking_chat_days. Rows exist only for days with
-- orders.
{{ config(materialized='incremental', unique_key=['business_id', 'order_date'],
          incremental_strategy='delete+insert', on_schema_change='append_new_columns',
          indexes=[{'columns': ['business_id', 'order_date']}]) }}

{%- set orders_mark = previous_load_mark('orders_loaded_at') %}
{%- set messages_mark = previous_load_mark('dbt_loaded_at') %}
{%- set incremental = orders_mark is not none and messages_mark is not none %}
{%- set days = [] %}
{%- if incremental and execute %}
    {%- set found = run_query('select distinct business_id::text, order_date::text from ' ~ ref('fct_orders')
                              ~ ' where loaded_at > ' ~ orders_mark
                              ~ ' union select distinct business_id::text, activity_date::text from '
                              ~ ref('int_messages') ~ ' where loaded_at > ' ~ messages_mark) %}
    {%- set days = found.rows | list %}
{%- endif %}
{%- set only_changed -%}
    {%- if incremental -%}
        {%- if days | length == 0 -%} and false
        {%- else -%} and {{ day_pairs_in(days, 'business_id', 'order_date') }}
        {%- endif -%}
    {%- endif -%}
{%- endset %}

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
    where true {{ only_changed }}
    group by 1, 2
),

askers as (
    -- customers whose chat was about products that day (int_asking_chat_days: one row per such chat-day, read
    -- by its (business_id, activity_date) index for the days with orders, not those days' messages)
    select business_id, activity_date as order_date, count(*)::bigint as customers_asking
    from {{ ref('int_asking_chat_days') }}
    where (business_id, activity_date) in (select business_id, order_date from orders)
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
    round(o.orders::numeric / nullif(a.customers_asking, 0), 4)::numeric(10, 4) as conversion,
    (select max(loaded_at) from {{ ref('fct_orders') }}) as orders_loaded_at,
    {{ loaded_mark() }} as dbt_loaded_at
from orders o
left join askers a on a.business_id = o.business_id and a.order_date = o.order_date
