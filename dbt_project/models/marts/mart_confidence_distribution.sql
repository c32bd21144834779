{{ config(materialized='incremental', unique_key=['business_id', 'activity_date'],
          incremental_strategy='delete+insert', on_schema_change='append_new_columns',
          indexes=[{'columns': ['business_id', 'activity_date']}, {'columns': ['dbt_loaded_at']}]) }}

-- Engine answers (author ai or system, linked to the customer message) by confidence bucket of width 0.2.
select
    business_id,
    activity_date,
    {{ confidence_bucket_label('reply_confidence') }} as confidence_bucket,
    {{ confidence_bucket_lower('reply_confidence') }} as bucket_lower,
    count(*)::bigint as replies,
    count(*) filter (where escalated)::bigint as escalated_replies,
    {{ loaded_mark() }} as dbt_loaded_at
from {{ ref('int_messages') }}
where is_engine_reply and reply_confidence is not null and {{ changed_days() }}
group by 1, 2, 3, 4
