{{ config(materialized='incremental', unique_key=['business_id', 'activity_date'],
          incremental_strategy='delete+insert', on_schema_change='append_new_columns',
          indexes=[{'columns': ['business_id', 'activity_date']}, {'columns': ['dbt_loaded_at']}]) }}

-- Engine answers (author ai or system, linked to the customer message) by confidence bucket of width 0.2.
-- Additive incremental (macros/incremental_days.sql, delta_plan): new answers are added to their day's
-- buckets; a day with a reloaded message is recomputed whole.
{%- set plan = delta_plan() %}

with sums as (
    select
        business_id,
        activity_date,
        {{ confidence_bucket_label('reply_confidence') }} as confidence_bucket,
        {{ confidence_bucket_lower('reply_confidence') }} as bucket_lower,
        count(*) as replies,
        count(*) filter (where escalated) as escalated_replies
    from {{ delta_rows(plan, ['business_id', 'activity_date', 'reply_confidence', 'escalated', 'is_engine_reply']) }} m
    where is_engine_reply and reply_confidence is not null
    group by 1, 2, 3, 4
    {% if plan is not none %}
    union all
    select business_id, activity_date, confidence_bucket, bucket_lower, replies, escalated_replies
    from {{ this }} where {{ pairs_in(plan.add) }}
    {% endif %}
)

select
    business_id,
    activity_date,
    confidence_bucket::text as confidence_bucket,
    bucket_lower::numeric(2, 1) as bucket_lower,
    sum(replies)::bigint as replies,
    sum(escalated_replies)::bigint as escalated_replies,
    {{ plan_mark(plan) }} as dbt_loaded_at
from sums
group by 1, 2, 3, 4
