-- One row per hand-over: when it happened and when the owner first wrote in that chat afterwards
-- (null while nobody has answered). conversation_key is a salted hash, never the phone number.
-- Incremental: a run rebuilds the hand-overs in chats that got messages in this load (a hand-over is
-- written with the bot's hand-over notice, and an owner reply is a message, so every new hand-over and
-- every newly answered one is in such a chat) and, as a safety net, any hand-over newer than the newest
-- it has; both through indexes, not an anti-join against the whole history.
{{ config(materialized='incremental', unique_key='escalation_id', incremental_strategy='delete+insert',
          on_schema_change='append_new_columns',
          indexes=[{'columns': ['escalation_id'], 'unique': True}, {'columns': ['business_id', 'escalated_at']}]) }}

{%- set mark = previous_load_mark() %}
{%- set incremental = mark is not none %}
{%- set newest = latest_value(this, 'escalated_at') if incremental else none %}

with
{% if incremental %}
touched as (
    select distinct conversation_id
    from {{ ref('int_messages') }}
    where loaded_at > {{ mark }}
),
{% endif %}

escalations as (
    select ev.business_id, ev.conversation_id, ev.notification_id, ev.event_at as escalated_at
    from {{ ref('int_conversation_events') }} ev
    where ev.event = 'escalated'
    {% if incremental %}
      and ev.conversation_id in (select conversation_id from touched)
    {% if newest is not none %}
    union
    select ev.business_id, ev.conversation_id, ev.notification_id, ev.event_at as escalated_at
    from {{ ref('int_conversation_events') }} ev
    where ev.event = 'escalated' and ev.event_at > '{{ newest }}'::timestamptz
    {% endif %}
    {% endif %}
)

select
    e.notification_id as escalation_id,
    e.business_id,
    c.conversation_key::text as conversation_key,
    e.escalated_at,
    f.first_owner_reply_at,
    round((extract(epoch from (f.first_owner_reply_at - e.escalated_at)) / 60.0)::numeric, 2)::numeric(12, 2) as minutes_to_human,
    {{ loaded_mark() }} as dbt_loaded_at
from escalations e
join {{ ref('stg_conversations') }} c on c.conversation_id = e.conversation_id
-- One index-only probe per hand-over (int_messages has a partial index on owner replies' conversation_id,
-- created_at, macros/owner_reply_index.sql; author 'owner' is only ever an outgoing message). Joining every owner message of the chat and taking
-- the min grows with hand-overs x replies per chat, and on fresh tables without statistics the planner
-- made it a nested loop that took 250 s at 3M messages; this takes about a second.
cross join lateral (
    select min(m.created_at) as first_owner_reply_at
    from {{ ref('int_messages') }} m
    where m.author = 'owner'
      and m.conversation_id = e.conversation_id and m.created_at >= e.escalated_at
) f
