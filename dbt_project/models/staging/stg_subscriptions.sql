-- Payments ledger (one row per STK push / paid period). The payer's phone is left out.
select
    id as subscription_id,
    business_id,
    coalesce(plan_tier, 'lite') as plan_tier,
    starts_at,
    ends_at,
    coalesce(is_active, false) as is_active,
    coalesce(status, case when is_active then 'active' else 'expired' end) as payment_status,
    amount_kes,
    mpesa_receipt_number is not null as has_receipt,
    paid_at,
    coalesce(created_at, starts_at) as created_at
from {{ source('mtaabot', 'subscriptions') }}
