{{ config(materialized='incremental', unique_key=['business_id', 'usage_date'],
          incremental_strategy='delete+insert', on_schema_change='append_new_columns',
          indexes=[{'columns': ['business_id', 'usage_date']}, {'columns': ['dbt_loaded_at']}]) }}

-- Additive incremental (macros/incremental_days.sql, delta_plan): a day with only new messages gets their
-- sums added to its row; a day with a reloaded message is recomputed whole.
{%- set plan = delta_plan() %}

with sums as (
    select
        business_id,
        activity_date as usage_date,
        coalesce(sum(tokens_used) filter (where is_customer), 0) as tokens_in,
        coalesce(sum(tokens_used) filter (where is_engine_reply), 0) as tokens_out,
        count(*) filter (where role = 'bot' and author = 'ai') as ai_replies
    from {{ delta_rows(plan, ['business_id', 'activity_date', 'tokens_used', 'is_customer', 'is_engine_reply', 'role', 'author']) }} m
    group by 1, 2
    {% if plan is not none %}
    union all
    select business_id, usage_date, tokens_in, tokens_out, ai_replies
    from {{ this }} where {{ pairs_in(plan.add, 'business_id', 'usage_date') }}
    {% endif %}
),

days as (
    select business_id, usage_date, sum(tokens_in) as tokens_in, sum(tokens_out) as tokens_out,
           sum(ai_replies) as ai_replies
    from sums
    group by 1, 2
)

select
    business_id,
    usage_date,
    tokens_in::bigint as tokens_in,
    tokens_out::bigint as tokens_out,
    (tokens_in + tokens_out)::bigint as tokens_total,
    ai_replies::bigint as ai_replies,
    {{ plan_mark(plan) }} as dbt_loaded_at
from days
