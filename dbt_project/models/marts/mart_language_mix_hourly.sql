-- Customer messages per business, business-local hour of day and language (all history):
-- when in the day do customers write, and in which register.
with counts as (
    select
        m.business_id,
        extract(hour from m.created_at at time zone b.timezone)::int as hour_of_day,
        coalesce(m.detected_language, 'UNKNOWN') as detected_language,
        count(*) as messages
    from {{ ref('int_messages') }} m
    join {{ ref('stg_businesses') }} b on b.business_id = m.business_id
    where m.is_customer
    group by 1, 2, 3
)

select
    business_id,
    hour_of_day,
    detected_language::text as detected_language,
    messages::bigint as messages,
    round(messages::numeric / sum(messages) over (partition by business_id, hour_of_day), 4)::numeric(6, 4) as share
from counts
