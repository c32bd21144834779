-- One row per business: what covers it now, how long is left, and AI replies used in this period
-- (the same count the reply gate uses: author 'ai' since the period started).
with used as (
    select cp.business_id, count(m.message_id) as ai_replies_this_period
    from {{ ref('int_current_plan') }} cp
    join {{ ref('int_messages') }} m
      on m.business_id = cp.business_id and m.role = 'bot' and m.author = 'ai'
     and m.created_at >= cp.period_start
    where cp.period_start is not null
    group by 1
),

payments as (
    select
        s.business_id,
        max(s.paid_at) as last_payment_at,
        count(*) filter (where s.payment_status = 'failed' and s.created_at > clock.as_of_ts - interval '30 days')
            as failed_payments_30d
    from {{ ref('stg_subscriptions') }} s cross join {{ ref('int_clock') }} clock
    group by 1
)

select
    cp.business_id,
    cp.business_name::text as business_name,
    cp.business_status::text as business_status,
    cp.plan_tier::text as plan_tier,
    cp.subscription_status::text as subscription_status,
    cp.period_start,
    cp.period_end,
    {{ days_left('cp.period_end', 'cp.as_of_ts') }} as days_left,
    p.monthly_reply_quota::integer as monthly_reply_quota,
    coalesce(u.ai_replies_this_period, 0)::bigint as ai_replies_this_month,
    round(100.0 * coalesce(u.ai_replies_this_period, 0) / nullif(p.monthly_reply_quota, 0), 2)::numeric(12, 2) as quota_used_pct,
    pay.last_payment_at,
    coalesce(pay.failed_payments_30d, 0)::bigint as failed_payments_30d
from {{ ref('int_current_plan') }} cp
left join {{ ref('plans') }} p on p.plan_tier = cp.plan_tier and cp.subscription_status in ('active', 'trial')
left join used u on u.business_id = cp.business_id
left join payments pay on pay.business_id = cp.business_id
