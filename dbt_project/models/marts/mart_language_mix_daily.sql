{{ config(materialized='incremental', unique_key=['business_id', 'activity_date'],
          incremental_strategy='delete+insert', on_schema_change='append_new_columns',
          indexes=[{'columns': ['business_id', 'activity_date']}, {'columns': ['dbt_loaded_at']}]) }}

with counts as (
    select
        business_id,
        activity_date,
        coalesce(detected_language, 'UNKNOWN') as detected_language,
        count(*) as messages
    from {{ ref('int_messages') }}
    where is_customer and {{ changed_days() }}
    group by 1, 2, 3
)

select
    business_id,
    activity_date,
    detected_language::text as detected_language,
    messages::bigint as messages,
    round(messages::numeric / sum(messages) over (partition by business_id, activity_date), 4)::numeric(6, 4) as share,
    {{ loaded_mark() }} as dbt_loaded_at
from counts
