select
    id as product_id,
    business_id,
    name as product_name,
    price,
    coalesce(currency, 'KES') as currency,
    coalesce(is_available, true) as is_available,
    created_at,
    updated_at
from {{ source('mtaabot', 'products') }}
