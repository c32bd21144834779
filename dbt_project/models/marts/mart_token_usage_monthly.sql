-- Replies and tokens per business per calendar month (business-local) against the plan's quota.
-- plan_tier: the paid plan whose period overlaps most of the month's end, else 'trial'/'none'.
with monthly as (
    select
        business_id,
        date_trunc('month', usage_date)::date as usage_month,
        sum(ai_replies)::bigint as ai_replies,
        sum(tokens_in)::bigint as tokens_in,
        sum(tokens_out)::bigint as tokens_out,
        sum(tokens_total)::bigint as tokens_total
    from {{ ref('mart_token_usage_daily') }}
    group by 1, 2
),

month_plan as (
    select distinct on (m.business_id, m.usage_month)
        m.business_id, m.usage_month, s.plan_tier
    from monthly m
    join {{ ref('stg_subscriptions') }} s
      on s.business_id = m.business_id
     and s.payment_status in ('active', 'expired')
     and s.starts_at < (m.usage_month + interval '1 month')
     and s.ends_at > m.usage_month
    order by m.business_id, m.usage_month, s.ends_at desc
)

select
    m.business_id,
    m.usage_month,
    coalesce(mp.plan_tier, case when b.trial_ends_at > m.usage_month then 'trial' else 'none' end)::text
        as plan_tier,
    m.ai_replies,
    p.monthly_reply_quota::integer as reply_quota,
    round(100.0 * m.ai_replies / nullif(p.monthly_reply_quota, 0), 2)::numeric(12, 2) as quota_used_pct,
    m.tokens_in,
    m.tokens_out,
    m.tokens_total
from monthly m
join {{ ref('stg_businesses') }} b on b.business_id = m.business_id
left join month_plan mp on mp.business_id = m.business_id and mp.usage_month = m.usage_month
left join {{ ref('plans') }} p
  on p.plan_tier = coalesce(mp.plan_tier, case when b.trial_ends_at > m.usage_month then 'trial' end)
