{# A stable, salted hash standing in for a customer's phone/BSUID; the raw value never leaves staging.
   Salt: MTAABOT_ANALYTICS_SALT (set it in production so keys cannot be brute-forced from phone ranges). #}
{% macro customer_key(business_id, customer_phone) -%}
    {%- set salt = env_var('MTAABOT_ANALYTICS_SALT', 'mtaabot-analytics') | replace("'", "''") -%}
    left(encode(sha256(convert_to('{{ salt }}' || ':' || {{ business_id }}::text || ':' || coalesce({{ customer_phone }}, ''), 'UTF8')), 'hex'), 24)
{%- endmacro %}

{# Free text with anything that looks like a phone number (8+ digits, spaces/dashes allowed) masked. #}
{% macro mask_numbers(text) -%}
    regexp_replace({{ text }}, '\+?[0-9][0-9 -]{6,}[0-9]', '[number]', 'g')
{%- endmacro %}

{# Confidence bucket of width 0.2: lower bound and label like '0.0-0.2' (1.0 falls in the top bucket). #}
{% macro confidence_bucket_lower(score) -%}
    (floor(least(greatest({{ score }}, 0), 0.9999) * 5) / 5)::numeric(2,1)
{%- endmacro %}
{% macro confidence_bucket_label(score) -%}
    ({{ confidence_bucket_lower(score) }})::text || '-' || (({{ confidence_bucket_lower(score) }}) + 0.2)::numeric(2,1)::text
{%- endmacro %}

{# Whole days left until period_end as of as_of (0 once ended, null without a period). #}
{% macro days_left(period_end, as_of) -%}
    case when {{ period_end }} is null then null
         else greatest(0, ceil(extract(epoch from ({{ period_end }} - {{ as_of }})) / 86400.0))::integer end
{%- endmacro %}
