-- One row per chat and business-local day with at least one customer message: the distinct customers of a
-- shop-day (mart_daily_business_activity.unique_customers, mart_escalation_rate_daily.conversations) are a
-- count of its rows, read through the (business_id, activity_date) index for the days a load touched, instead
-- of a count(distinct) over every message of those days. Incremental (append, macros/chat_days.sql): a load
-- only adds the chat-days of its new customer messages that are not here yet.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    indexes=[
      {'columns': ['conversation_id', 'activity_date'], 'unique': True},
      {'columns': ['business_id', 'activity_date']},
    ]
) }}

{{ chat_days('m.is_customer') }}
