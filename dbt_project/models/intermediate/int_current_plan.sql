-- The plan covering each business now: a paid period (status active, covering now), else the trial
-- while it runs, else none. Mirrors mtaabot.billing.status.current_entitlement.
with clock as (select as_of_ts from {{ ref('int_clock') }}),

paid as (
    select distinct on (s.business_id)
        s.business_id, s.plan_tier, s.starts_at, s.ends_at
    from {{ ref('stg_subscriptions') }} s cross join clock
    where s.payment_status = 'active' and s.is_active
      and s.starts_at <= clock.as_of_ts and s.ends_at > clock.as_of_ts
    order by s.business_id, s.starts_at desc
),

paid_until as (
    select s.business_id, max(s.ends_at) as paid_until
    from {{ ref('stg_subscriptions') }} s cross join clock
    where s.payment_status = 'active' and s.is_active and s.ends_at > clock.as_of_ts
    group by s.business_id
),

last_paid as (
    select distinct on (business_id) business_id, plan_tier, ends_at
    from {{ ref('stg_subscriptions') }}
    where payment_status in ('active', 'expired')
    order by business_id, ends_at desc
)

select
    b.business_id,
    b.business_name,
    b.business_status,
    case
        when p.business_id is not null then p.plan_tier
        when b.trial_ends_at > clock.as_of_ts then 'trial'
        else coalesce(lp.plan_tier, 'none')
    end as plan_tier,
    case
        when p.business_id is not null then 'active'
        when b.trial_ends_at > clock.as_of_ts then 'trial'
        when lp.business_id is not null then 'expired'
        else 'none'
    end as subscription_status,
    case
        when p.business_id is not null then p.starts_at
        when b.trial_ends_at > clock.as_of_ts then b.trial_ends_at - interval '14 days'
    end as period_start,
    case
        when p.business_id is not null then coalesce(pu.paid_until, p.ends_at)
        when b.trial_ends_at > clock.as_of_ts then b.trial_ends_at
        else lp.ends_at
    end as period_end,
    clock.as_of_ts
from {{ ref('stg_businesses') }} b
cross join clock
left join paid p on p.business_id = b.business_id
left join paid_until pu on pu.business_id = b.business_id
left join last_paid lp on lp.business_id = b.business_id
