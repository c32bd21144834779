{{ config(materialized='incremental', unique_key=['business_id', 'activity_date'],
          incremental_strategy='delete+insert', on_schema_change='append_new_columns',
          indexes=[{'columns': ['business_id', 'activity_date']}, {'columns': ['dbt_loaded_at']}]) }}

-- Additive incremental (macros/incremental_days.sql, delta_plan): new customer messages are added to their
-- day's counts, whose shares are then recomputed; a day with a reloaded message is recomputed whole.
{%- set plan = delta_plan() %}

with sums as (
    select
        business_id,
        activity_date,
        coalesce(detected_language, 'UNKNOWN') as detected_language,
        count(*) as messages
    from {{ delta_rows(plan, ['business_id', 'activity_date', 'detected_language', 'is_customer']) }} m
    where is_customer
    group by 1, 2, 3
    {% if plan is not none %}
    union all
    select business_id, activity_date, detected_language, messages
    from {{ this }} where {{ pairs_in(plan.add) }}
    {% endif %}
),

counts as (
    select business_id, activity_date, detected_language, sum(messages) as messages
    from sums
    group by 1, 2, 3
)

select
    business_id,
    activity_date,
    detected_language::text as detected_language,
    messages::bigint as messages,
    round(messages::numeric / sum(messages) over (partition by business_id, activity_date), 4)::numeric(6, 4) as share,
    {{ plan_mark(plan) }} as dbt_loaded_at
from counts
