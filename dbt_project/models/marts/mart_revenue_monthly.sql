-- Paid M-Pesa payments per business, month (Nairobi time of payment) and plan; failed attempts beside.
with payments as (
    select
        s.business_id,
        date_trunc('month', coalesce(s.paid_at, s.created_at) at time zone b.timezone)::date as revenue_month,
        s.plan_tier,
        s.payment_status,
        s.paid_at,
        coalesce(s.amount_kes, p.price_kes) as amount_kes
    from {{ ref('stg_subscriptions') }} s
    join {{ ref('stg_businesses') }} b on b.business_id = s.business_id
    left join {{ ref('plans') }} p on p.plan_tier = s.plan_tier
    where s.payment_status in ('active', 'expired', 'failed')
)

select
    business_id,
    revenue_month,
    plan_tier::text as plan_tier,
    count(*) filter (where payment_status <> 'failed' and paid_at is not null)::bigint as payments,
    coalesce(sum(amount_kes) filter (where payment_status <> 'failed' and paid_at is not null), 0)::bigint
        as revenue_kes,
    count(*) filter (where payment_status = 'failed')::bigint as failed_payments
from payments
group by 1, 2, 3
