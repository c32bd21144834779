-- Customer messages per business, business-local day and hour, and language: when in the day do
-- customers write, and in which register. Additive incremental like mart_language_mix_daily.
{{ config(materialized='incremental', unique_key=['business_id', 'activity_date'],
          incremental_strategy='delete+insert', on_schema_change='append_new_columns',
          indexes=[{'columns': ['business_id', 'activity_date']}, {'columns': ['dbt_loaded_at']}]) }}

{%- set plan = delta_plan() %}

with sums as (
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
    {% if plan is not none %}
    union all
    select business_id, activity_date, hour_of_day, detected_language, messages
    from {{ this }} where {{ pairs_in(plan.add) }}
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
