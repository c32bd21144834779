{{ config(materialized='incremental', unique_key=['business_id', 'activity_date'],
          incremental_strategy='delete+insert', on_schema_change='append_new_columns',
          indexes=[{'columns': ['business_id', 'activity_date']}, {'columns': ['dbt_loaded_at']}]) }}

-- Additive incremental (macros/incremental_days.sql, delta_plan): a day with only new messages gets their
-- counts added to its row, a day with a reloaded message is recounted whole; on every touched day the
-- distinct customers are recounted from int_chat_days and the chat starts and hand-overs from
-- int_conversation_events (both small, by index).
{%- set plan = delta_plan() %}

with sums as (
    select
        business_id,
        activity_date,
        count(*) filter (where is_customer) as messages_in,
        count(*) filter (where role = 'bot') as messages_out,
        count(*) filter (where role = 'bot' and author = 'ai') as ai_replies,
        count(*) filter (where role = 'bot' and author = 'owner') as owner_replies,
        count(*) filter (where role = 'bot' and author = 'system') as system_messages,
        coalesce(sum(tokens_used), 0) as tokens_total
    from {{ delta_rows(plan, ['business_id', 'activity_date', 'is_customer', 'role', 'author', 'tokens_used']) }} m
    group by 1, 2
    {% if plan is not none %}
    union all
    select business_id, activity_date, messages_in, messages_out, ai_replies, owner_replies, system_messages,
           tokens_total
    from {{ this }} where {{ pairs_in(plan.add) }}
    {% endif %}
),

msgs as (
    select business_id, activity_date, sum(messages_in) as messages_in, sum(messages_out) as messages_out,
           sum(ai_replies) as ai_replies, sum(owner_replies) as owner_replies,
           sum(system_messages) as system_messages, sum(tokens_total) as tokens_total
    from sums
    group by 1, 2
),

customers as (
    select business_id, activity_date, count(*) as unique_customers
    from {{ ref('int_chat_days') }}
    {% if plan is not none %}where {{ pairs_in(plan.touched) }}{% endif %}
    group by 1, 2
),

events as (
    select
        business_id,
        activity_date,
        count(*) filter (where event = 'started') as new_conversations,
        count(*) filter (where event = 'escalated') as escalations
    from {{ ref('int_conversation_events') }}
    {% if plan is not none %}where {{ pairs_in(plan.touched) }}{% endif %}
    group by 1, 2
),

days as (
    select business_id, activity_date from msgs
    union
    select business_id, activity_date from events
)

select
    d.business_id,
    b.business_name::text as business_name,
    d.activity_date,
    coalesce(m.messages_in, 0)::bigint as messages_in,
    coalesce(m.messages_out, 0)::bigint as messages_out,
    coalesce(m.ai_replies, 0)::bigint as ai_replies,
    coalesce(m.owner_replies, 0)::bigint as owner_replies,
    coalesce(m.system_messages, 0)::bigint as system_messages,
    coalesce(c.unique_customers, 0)::bigint as unique_customers,
    coalesce(e.new_conversations, 0)::bigint as new_conversations,
    coalesce(e.escalations, 0)::bigint as escalations,
    -- Share of customer messages the bot answered itself (author 'ai'); null on a day with none in.
    round(coalesce(m.ai_replies, 0)::numeric / nullif(m.messages_in, 0), 4)::numeric(10, 4) as reply_rate,
    coalesce(m.tokens_total, 0)::bigint as tokens_total,
    {{ plan_mark(plan) }} as dbt_loaded_at
from days d
join {{ ref('stg_businesses') }} b on b.business_id = d.business_id
left join msgs m on m.business_id = d.business_id and m.activity_date = d.activity_date
left join customers c on c.business_id = d.business_id and c.activity_date = d.activity_date
left join events e on e.business_id = d.business_id and e.activity_date = d.activity_date
