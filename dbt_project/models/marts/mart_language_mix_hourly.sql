-- Customer messages per business, business-local day and hour, and language: when in the day do
-- customers write, and in which register. Incremental like the daily marts (only changed days rebuilt).
{{ config(materialized='incremental', unique_key=['business_id', 'activity_date'],
          incremental_strategy='delete+insert', on_schema_change='append_new_columns',
          indexes=[{'columns': ['business_id', 'activity_date']}, {'columns': ['dbt_loaded_at']}]) }}

with msgs as (
    select
        m.business_id,
        m.activity_date,
        extract(hour from m.created_at at time zone b.timezone)::int as hour_of_day,
        coalesce(m.detected_language, 'UNKNOWN') as detected_language
    from {{ ref('int_messages') }} m
    join {{ ref('stg_businesses') }} b on b.business_id = m.business_id
    where m.is_customer
),

counts as (
    select business_id, activity_date, hour_of_day, detected_language, count(*) as messages
    from msgs
    where {{ changed_days() }}
    group by 1, 2, 3, 4
)

select
    business_id,
    activity_date,
    hour_of_day,
    detected_language::text as detected_language,
    messages::bigint as messages,
    round(messages::numeric / sum(messages) over (partition by business_id, activity_date, hour_of_day), 4)::numeric(6, 4) as share,
    {{ loaded_mark() }} as dbt_loaded_at
from counts
