-- customer_phone is replaced by a salted hash (conversation_key); the raw number never goes further.
select
    id as conversation_id,
    business_id,
    {{ customer_key('business_id', 'customer_phone') }} as conversation_key,
    coalesce(status, 'ai_active') as conversation_status,
    coalesce(created_at, last_message_at) as created_at,
    last_message_at,
    escalated_at,
    escalation_reason,
    handed_back_at,
    opted_out,
    xmin as row_xmin  -- the transaction that wrote this version of the row (incremental loads)
from {{ source('mtaabot', 'conversations') }}
where kind = 'customer'  -- the owner's own chat with the shop is not a customer conversation
