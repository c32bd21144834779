select
    id as business_id,
    name as business_name,
    coalesce(status, 'active') as business_status,
    coalesce(tone, 'mtaa') as tone,
    coalesce(nullif(timezone, ''), 'Africa/Nairobi') as timezone,
    location,
    trial_ends_at,
    created_at
from {{ source('mtaabot', 'businesses') }}
