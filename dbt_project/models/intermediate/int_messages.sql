-- Every message with its business-local day and, for bot answers, the confidence/language of the
-- answer and whether it handed the chat to a person. Incremental (delete+insert on message_id): every
-- message not loaded yet, whatever its created_at (backfills, `demo simulate`), plus the last
-- message_lookback_hours again (the engine fills confidence/tokens on a customer message seconds after
-- it is stored). `loaded_at` marks the run that loaded a row; the daily marts rebuild the days it touched.
{{ config(
    materialized='incremental',
    unique_key='message_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    indexes=[
      {'columns': ['message_id'], 'unique': True},
      {'columns': ['created_at']},
      {'columns': ['loaded_at']},
      {'columns': ['activity_date']},
      {'columns': ['business_id', 'created_at']},
      {'columns': ['author', 'conversation_id']},
    ]
) }}

with
{% if is_incremental() %}
watermark as (
    select coalesce(max(created_at), '-infinity'::timestamptz)
           - interval '{{ var("message_lookback_hours") }} hours' as since
    from {{ this }}
),

msgs as (
    select s.* from {{ ref('stg_messages') }} s
    where s.created_at >= (select since from watermark)
    union all
    select s.* from {{ ref('stg_messages') }} s
    left join {{ this }} t on t.message_id = s.message_id
    where t.message_id is null and s.created_at < (select since from watermark)
),
{% else %}
msgs as (
    select * from {{ ref('stg_messages') }}
),
{% endif %}

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
    current_timestamp as loaded_at
from msgs m
join {{ ref('stg_businesses') }} b on b.business_id = m.business_id
left join {{ ref('stg_messages') }} p on p.message_id = m.reply_to
