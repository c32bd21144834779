-- One row per business: what covers it now, how long is left, and AI replies used in this period
-- (the same count the reply gate uses: author 'ai' since the period started).
-- Counted without reading the period's messages: whole local days after the period's first day from
-- mart_token_usage_daily, plus the first day's replies since the period started (one shop-day of
-- int_messages through its (business_id, activity_date) index). Same count as before, a fraction of
-- the reads.
with periods as (
    select cp.business_id, cp.period_start, (cp.period_start at time zone b.timezone)::date as first_day
    from {{ ref('int_current_plan') }} cp
    join {{ ref('stg_businesses') }} b on b.business_id = cp.business_id
    where cp.period_start is not null
),

used as (
    select
        p.business_id,
        coalesce((select sum(d.ai_replies) from {{ ref('mart_token_usage_daily') }} d
                  where d.business_id = p.business_id and d.usage_date > p.first_day), 0)
        + (select count(*) from {{ ref('int_messages') }} m
           where m.business_id = p.business_id and m.activity_date = p.first_day
             and m.role = 'bot' and m.author = 'ai' and m.created_at >= p.period_start) as ai_replies_this_period
    from periods p
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
