-- Engine answers and their tokens per business, business-local day and the customer's language.
-- Additive incremental like mart_token_usage_daily (macros/incremental_days.sql, delta_plan).
{{ config(materialized='incremental', unique_key=['business_id', 'usage_date'],
          incremental_strategy='delete+insert', on_schema_change='append_new_columns',
          indexes=[{'columns': ['business_id', 'usage_date']}, {'columns': ['dbt_loaded_at']}]) }}

{%- set plan = delta_plan() %}

with sums as (
    select
        business_id,
        activity_date as usage_date,
        coalesce(reply_language, 'UNKNOWN')::text as reply_language,
        count(*) as ai_replies,
        coalesce(sum(tokens_used), 0) as tokens_out
    from {{ delta_rows(plan, ['business_id', 'activity_date', 'reply_language', 'tokens_used', 'role', 'author']) }} m
    where role = 'bot' and author = 'ai'
    group by 1, 2, 3
    {% if plan is not none %}
    union all
    select business_id, usage_date, reply_language, ai_replies, tokens_out
    from {{ this }} where {{ pairs_in(plan.add, 'business_id', 'usage_date') }}
    {% endif %}
),

days as (
    select business_id, usage_date, reply_language, sum(ai_replies) as ai_replies, sum(tokens_out) as tokens_out
    from sums
    group by 1, 2, 3
)

select
    business_id,
    usage_date,
    reply_language,
    ai_replies::bigint as ai_replies,
    tokens_out::bigint as tokens_out,
    round(tokens_out::numeric / ai_replies, 2)::numeric(10, 2) as tokens_per_reply,
    {{ plan_mark(plan) }} as dbt_loaded_at
from days
