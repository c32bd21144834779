-- Owner notifications; kind = 'escalation' is the durable record of each hand-over to a person.
-- The body (which may name the customer) is left out.
select
    id as notification_id,
    business_id,
    conversation_id,
    kind,
    created_at
from {{ source('mtaabot', 'notifications') }}
