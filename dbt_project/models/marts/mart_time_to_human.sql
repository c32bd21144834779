-- One row per hand-over: when it happened and when the owner first wrote in that chat afterwards
-- (null while nobody has answered). conversation_key is a salted hash, never the phone number.
with escalations as (
    select business_id, conversation_id, notification_id, event_at as escalated_at
    from {{ ref('int_conversation_events') }}
    where event = 'escalated'
),

owner_msgs as (
    select conversation_id, created_at
    from {{ ref('int_messages') }}
    where author = 'owner' and role = 'bot'
),

first_reply as (
    select e.notification_id, min(o.created_at) as first_owner_reply_at
    from escalations e
    join owner_msgs o on o.conversation_id = e.conversation_id and o.created_at >= e.escalated_at
    group by 1
)

select
    e.notification_id as escalation_id,
    e.business_id,
    c.conversation_key::text as conversation_key,
    e.escalated_at,
    f.first_owner_reply_at,
    round((extract(epoch from (f.first_owner_reply_at - e.escalated_at)) / 60.0)::numeric, 2)::numeric(12, 2) as minutes_to_human
from escalations e
join {{ ref('stg_conversations') }} c on c.conversation_id = e.conversation_id
left join first_reply f on f.notification_id = e.notification_id
