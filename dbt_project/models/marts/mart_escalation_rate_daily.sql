{{ config(materialized='incremental', unique_key=['business_id', 'activity_date'],
          incremental_strategy='delete+insert', on_schema_change='append_new_columns',
          indexes=[{'columns': ['business_id', 'activity_date']}, {'columns': ['dbt_loaded_at']}]) }}

-- conversations: chats with at least one customer message that day; escalations: chats handed to a
-- person that day (counted once per chat per day); escalation_rate = escalations / conversations.
-- Incremental: the days int_messages loaded since this mart's previous run (macros/incremental_days.sql,
-- delta_plan) are recounted from int_chat_days (one row per chat-day) and int_conversation_events, both
-- through their (business_id, activity_date) indexes: no message is read.
{%- set plan = delta_plan() %}

with active as (
    select business_id, activity_date, count(*) as conversations
    from {{ ref('int_chat_days') }}
    {% if plan is not none %}where {{ pairs_in(plan.touched) }}{% endif %}
    group by 1, 2
),

escalated as (
    select business_id, activity_date, count(distinct conversation_id) as escalations
    from {{ ref('int_conversation_events') }}
    where event = 'escalated' {% if plan is not none %}and {{ pairs_in(plan.touched) }}{% endif %}
    group by 1, 2
)

select
    a.business_id,
    a.activity_date,
    a.conversations::bigint as conversations,
    coalesce(e.escalations, 0)::bigint as escalations,
    round(coalesce(e.escalations, 0)::numeric / nullif(a.conversations, 0), 4)::numeric(10, 4) as escalation_rate,
    {{ plan_mark(plan) }} as dbt_loaded_at
from active a
left join escalated e on e.business_id = a.business_id and e.activity_date = a.activity_date
