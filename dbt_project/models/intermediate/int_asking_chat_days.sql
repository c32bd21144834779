-- One row per chat and business-local day in which the customer asked about products (the engine's answer or
-- the message carries a product, price, order or booking intent): mart_orders_daily's customers_asking is a
-- count of these rows for the days with orders, instead of a count(distinct) over those days' messages.
-- Incremental (append, macros/chat_days.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    indexes=[
      {'columns': ['conversation_id', 'activity_date'], 'unique': True},
      {'columns': ['business_id', 'activity_date']},
    ]
) }}

{{ chat_days("m.intent in ('product', 'price_list', 'order', 'booking', 'booking_which', 'order_summary', 'discount_offer')") }}
