-- Every message with its business-local day and, for bot answers, the confidence/language of the
-- answer and whether it handed the chat to a person. Incremental (delete+insert on message_id), see
-- below. `loaded_at` marks the run that loaded a row; the daily marts rebuild the days it touched.
{{ config(
    materialized='incremental',
    unique_key='message_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    indexes=[
      {'columns': ['message_id'], 'unique': True},
      {'columns': ['loaded_at']},
      {'columns': ['activity_date']},
      {'columns': ['business_id', 'created_at']},
      {'columns': ['author', 'conversation_id']},
    ]
) }}

{#- Incremental: every message stored or changed by a transaction that had not committed when the
    previous run read `messages` (changed_xid >= that run's snapshot xmin, kept here as loaded_xmin; see
    migration 0400): new messages, backfilled ones with an old created_at, and customer messages the
    engine filled in after they were stored. One index range scan, whatever the size of the history.
    A table loaded before loaded_xmin existed is loaded whole once. #}
{%- set previous_xmin = none %}
{%- if execute and is_incremental()
      and 'loaded_xmin' in (adapter.get_columns_in_relation(this) | map(attribute='name')) %}
    {%- set previous_xmin = run_query('select loaded_xmin::text from ' ~ this
                                      ~ ' order by loaded_at desc nulls last limit 1').columns[0].values() | first %}
{%- endif %}

with
msgs as (
    select * from {{ ref('stg_messages') }}
    {% if previous_xmin is not none %}
    where changed_xid >= '{{ previous_xmin }}'::xid8
    {% endif %}
),

escalations as (
    select conversation_id, created_at
    from {{ ref('stg_notifications') }}
    where kind = 'escalation' and conversation_id is not null
)

select
    m.message_id,
    m.business_id,
    m.conversation_id,
    m.role,
    m.author,
    m.created_at,
    (m.created_at at time zone b.timezone)::date as activity_date,
    m.detected_language,
    m.confidence_score,
    m.tokens_used,
    m.reply_to,
    m.role = 'user' as is_customer,
    m.role = 'bot' and m.author in ('ai', 'system') and m.reply_to is not null as is_engine_reply,
    coalesce(m.detected_language, p.detected_language) as reply_language,
    coalesce(m.confidence_score, p.confidence_score) as reply_confidence,
    (m.role = 'bot' and m.reply_to is not null and exists (
        select 1 from escalations e
        where e.conversation_id = m.conversation_id
          and e.created_at >= p.created_at
          and e.created_at <= m.created_at + interval '5 seconds'
    )) as escalated,
    current_timestamp as loaded_at,
    -- the oldest transaction still running when this load read `messages` (see above)
    pg_snapshot_xmin(pg_current_snapshot()) as loaded_xmin
from msgs m
join {{ ref('stg_businesses') }} b on b.business_id = m.business_id
left join {{ ref('stg_messages') }} p on p.message_id = m.reply_to
