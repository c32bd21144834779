-- One row per hand-over: when it happened and when the owner first wrote in that chat afterwards
-- (null while nobody has answered). conversation_key is a salted hash, never the phone number.
-- Incremental: a run rebuilds the hand-overs it has not seen yet and those in chats that got messages
-- in this load (an owner reply can only come with a new message), not the whole history.
{{ config(materialized='incremental', unique_key='escalation_id', incremental_strategy='delete+insert',
          on_schema_change='append_new_columns') }}

{%- set mark = previous_load_mark() %}
{%- set incremental = mark is not none %}

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
    {% if incremental %}
    left join {{ this }} seen on seen.escalation_id = ev.notification_id
    left join touched on touched.conversation_id = ev.conversation_id
    {% endif %}
    where ev.event = 'escalated'
    {% if incremental %}
      and (seen.escalation_id is null or touched.conversation_id is not null)
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
-- One index-only probe per hand-over (int_messages is indexed on author, conversation_id, created_at;
-- author 'owner' is only ever an outgoing message). Joining every owner message of the chat and taking
-- the min grows with hand-overs x replies per chat, and on fresh tables without statistics the planner
-- made it a nested loop that took 250 s at 3M messages; this takes about a second.
cross join lateral (
    select min(m.created_at) as first_owner_reply_at
    from {{ ref('int_messages') }} m
    where m.author = 'owner'
      and m.conversation_id = e.conversation_id and m.created_at >= e.escalated_at
) f
