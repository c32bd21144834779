{{ config(materialized='incremental', unique_key=['business_id', 'usage_date'],
          incremental_strategy='delete+insert', on_schema_change='append_new_columns',
          indexes=[{'columns': ['business_id', 'usage_date']}, {'columns': ['dbt_loaded_at']}]) }}

select
    business_id,
    activity_date as usage_date,
    coalesce(sum(tokens_used) filter (where is_customer), 0)::bigint as tokens_in,
    coalesce(sum(tokens_used) filter (where is_engine_reply), 0)::bigint as tokens_out,
    (coalesce(sum(tokens_used) filter (where is_customer), 0)
     + coalesce(sum(tokens_used) filter (where is_engine_reply), 0))::bigint as tokens_total,
    count(*) filter (where role = 'bot' and author = 'ai')::bigint as ai_replies,
    {{ loaded_mark() }} as dbt_loaded_at
from {{ ref('int_messages') }}
where {{ changed_days() }}
group by 1, 2
