select
    m.id as message_id,
    conversation_id,
    business_id,
    role,
    coalesce(author, case when role = 'user' then 'customer' else 'ai' end) as author,
    content,
    detected_language,
    confidence_score::numeric(3, 2) as confidence_score,
    coalesce(tokens_used, 0) as tokens_used,
    created_at,
    changed_xid,
    message_type,
    intent,
    reply_to,
    delivery_status
from {{ source('mtaabot', 'messages') }} m
-- the owner's own chat with the shop (alerts, commands) is not customer traffic
where not exists (select 1 from {{ source('mtaabot', 'conversations') }} c
                  where c.id = m.conversation_id and c.kind = 'owner')
