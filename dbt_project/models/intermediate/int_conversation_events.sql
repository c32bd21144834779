-- Conversation starts and hand-overs to a person, on the business-local day they happened.
select
    c.business_id,
    c.conversation_id,
    'started' as event,
    c.created_at as event_at,
    (c.created_at at time zone b.timezone)::date as activity_date,
    null::uuid as notification_id
from {{ ref('stg_conversations') }} c
join {{ ref('stg_businesses') }} b on b.business_id = c.business_id
where c.created_at is not null

union all

select
    n.business_id,
    n.conversation_id,
    'escalated' as event,
    n.created_at as event_at,
    (n.created_at at time zone b.timezone)::date as activity_date,
    n.notification_id
from {{ ref('stg_notifications') }} n
join {{ ref('stg_businesses') }} b on b.business_id = n.business_id
where n.kind = 'escalation'
