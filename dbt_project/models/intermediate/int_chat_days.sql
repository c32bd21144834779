-- One row per chat and business-local day with at least one customer message: the distinct customers of a
-- shop-day (mart_daily_business_activity.unique_customers, mart_escalation_rate_daily.conversations) are a
-- count of its rows, read through the (business_id, activity_date) index for the days a load touched, instead
-- of a count(distinct) over every message of those days. Incremental (append): a chat-day, once it has a
-- customer message, always has one (messages are never deleted, nor change role or time), so a load only
-- adds the chat-days of its new customer messages that are not here yet.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    indexes=[
      {'columns': ['conversation_id', 'activity_date'], 'unique': True},
      {'columns': ['business_id', 'activity_date']},
    ]
) }}

{%- set mark = previous_load_mark() %}

select distinct m.business_id, m.activity_date, m.conversation_id, {{ loaded_mark() }} as dbt_loaded_at
from {{ ref('int_messages') }} m
where m.is_customer
{% if mark is not none %}
  and m.loaded_at > {{ mark }}
  and not exists (select 1 from {{ this }} t
                  where t.conversation_id = m.conversation_id and t.activity_date = m.activity_date)
{% endif %}
