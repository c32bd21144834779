-- Tokens per engine answer by the language of the customer it answered (all history).
select
    business_id,
    coalesce(reply_language, 'UNKNOWN')::text as reply_language,
    count(*)::bigint as ai_replies,
    coalesce(sum(tokens_used), 0)::bigint as tokens_out,
    round(coalesce(sum(tokens_used), 0)::numeric / count(*), 2)::numeric(10, 2) as tokens_per_reply
from {{ ref('int_messages') }}
where role = 'bot' and author = 'ai'
group by 1, 2
