-- Customer messages per business, business-local day and hour, and language: when in the day do
-- customers write, and in which register. Additive incremental like mart_language_mix_daily, by the hour:
-- an incremental run rewrites only the (business, day, hour)s it has new messages for (unique key with the
-- hour; a day's other hours keep their rows), so what it writes follows the new rows, not the size of the
-- days they fall on (10,000 new messages at 1M touch ~750 days of ~23 rows each, but ~1/3 of their hours).
-- A day with a reloaded message is recounted whole (every hour it has; a day's hours never go away:
-- messages are never deleted and their time and role never change).
{{ config(materialized='incremental', unique_key=['business_id', 'activity_date', 'hour_of_day'],
          incremental_strategy='delete+insert', on_schema_change='append_new_columns',
          indexes=[{'columns': ['business_id', 'activity_date']}, {'columns': ['dbt_loaded_at']}]) }}

{%- set plan = delta_plan() %}

with fresh as (
    select
        m.business_id,
        m.activity_date,
        extract(hour from m.created_at at time zone b.timezone)::int as hour_of_day,
        coalesce(m.detected_language, 'UNKNOWN') as detected_language,
        count(*) as messages
    from {{ delta_rows(plan, ['business_id', 'activity_date', 'created_at', 'detected_language', 'is_customer']) }} m
    join {{ ref('stg_businesses') }} b on b.business_id = m.business_id
    where m.is_customer
    group by 1, 2, 3, 4
),

sums as (
    select business_id, activity_date, hour_of_day, detected_language, messages from fresh
    {% if plan is not none %}
    union all
    -- what the mart has for those hours of the days that only got new messages
    select t.business_id, t.activity_date, t.hour_of_day, t.detected_language, t.messages
    from {{ this }} t
    where {{ pairs_in(plan.add, 't.business_id', 't.activity_date') }}
      and (t.business_id, t.activity_date, t.hour_of_day) in (
          select business_id, activity_date, hour_of_day from fresh)
    {% endif %}
),

counts as (
    select business_id, activity_date, hour_of_day, detected_language, sum(messages) as messages
    from sums
    group by 1, 2, 3, 4
)

select
    business_id,
    activity_date,
    hour_of_day,
    detected_language::text as detected_language,
    messages::bigint as messages,
    round(messages::numeric / sum(messages) over (partition by business_id, activity_date, hour_of_day), 4)::numeric(6, 4) as share,
    {{ plan_mark(plan) }} as dbt_loaded_at
from counts
