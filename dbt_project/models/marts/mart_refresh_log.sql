-- One row per analytics refresh that rebuilt the marts: `data_as_of` is when that dbt run started, so
-- every message stored before it is in the marts (dashboards show it as "data as of HH:MM"; Dagster's
-- freshness check compares it with the newest message). Built after the message marts (depends_on
-- below), so a refresh that failed half-way does not claim to be fresh. Incremental: one row appended
-- per run, older than 90 days dropped.
{{ config(materialized='incremental', unique_key='invocation_id', incremental_strategy='delete+insert',
          on_schema_change='append_new_columns', indexes=[{'columns': ['data_as_of']}],
          post_hook="delete from {{ this }} where data_as_of < now() - interval '90 days'") }}
-- depends_on: {{ ref('mart_daily_business_activity') }}
-- depends_on: {{ ref('mart_token_usage_daily') }}
-- depends_on: {{ ref('mart_language_mix_daily') }}
-- depends_on: {{ ref('mart_language_mix_hourly') }}
-- depends_on: {{ ref('mart_confidence_distribution') }}
-- depends_on: {{ ref('mart_escalation_rate_daily') }}
-- depends_on: {{ ref('mart_tokens_by_language') }}
-- depends_on: {{ ref('mart_low_confidence_replies') }}
-- depends_on: {{ ref('mart_time_to_human') }}
-- depends_on: {{ ref('mart_orders_daily') }}
-- depends_on: {{ ref('mart_billing_status') }}

select
    '{{ invocation_id }}'::text as invocation_id,
    '{{ run_started_at }}'::timestamptz as data_as_of,
    current_timestamp as finished_at,
    (select count(*) from {{ ref('int_messages') }}
     where loaded_at >= '{{ run_started_at }}'::timestamptz)::bigint as messages_loaded
