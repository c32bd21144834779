-- Engine answers and their tokens per business, business-local day and the customer's language.
-- Incremental like the daily marts (only changed days rebuilt).
{{ config(materialized='incremental', unique_key=['business_id', 'usage_date'],
          incremental_strategy='delete+insert', on_schema_change='append_new_columns',
          indexes=[{'columns': ['business_id', 'usage_date']}, {'columns': ['dbt_loaded_at']}]) }}

select
    business_id,
    activity_date as usage_date,
    coalesce(reply_language, 'UNKNOWN')::text as reply_language,
    count(*)::bigint as ai_replies,
    coalesce(sum(tokens_used), 0)::bigint as tokens_out,
    round(coalesce(sum(tokens_used), 0)::numeric / count(*), 2)::numeric(10, 2) as tokens_per_reply,
    {{ loaded_mark() }} as dbt_loaded_at
from {{ ref('int_messages') }}
where role = 'bot' and author = 'ai' and {{ changed_days() }}
group by 1, 2, 3
