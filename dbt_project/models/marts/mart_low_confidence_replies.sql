{{ config(materialized='incremental', unique_key='message_id', incremental_strategy='delete+insert',
          on_schema_change='append_new_columns',
          indexes=[{'columns': ['message_id'], 'unique': True}, {'columns': ['business_id', 'created_at']},
                   {'columns': ['loaded_at']}, {'columns': ['confidence_score']}]) }}
{#- confidence_score: the notebooks' review list (lowest first, all shops) reads the first rows of this index #}

-- Engine answers below the review threshold, with the customer's text and the answer (anything that
-- looks like a phone number masked). No phone numbers, no customer identity.
with low as (
    select *
    from {{ ref('int_messages') }}
    where is_engine_reply and reply_confidence < {{ var('low_confidence_threshold') }}
    {%- set mark = previous_load_mark('loaded_at') %}
    {% if mark is not none %}
      and loaded_at > {{ mark }}
    {% endif %}
)

select
    l.business_id,
    l.message_id,
    l.created_at,
    l.activity_date,
    l.reply_language::text as detected_language,
    l.reply_confidence::numeric(3, 2) as confidence_score,
    {{ mask_numbers('q.content') }}::text as customer_text,
    {{ mask_numbers('r.content') }}::text as bot_reply,
    l.escalated,
    l.loaded_at
from low l
join {{ ref('stg_messages') }} r on r.message_id = l.message_id
left join {{ ref('stg_messages') }} q on q.message_id = l.reply_to
