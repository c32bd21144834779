-- Owner notifications; kind = 'escalation' is the durable record of each hand-over to a person.
-- The body (which may name the customer) is left out.
select
    id as notification_id,
    business_id,
    conversation_id,
    kind,
    created_at,
    xmin as row_xmin  -- the transaction that wrote this row (incremental loads, see int_conversation_events)
from {{ source('mtaabot', 'notifications') }}
