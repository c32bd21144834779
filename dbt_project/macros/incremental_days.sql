{# Incremental daily marts: in an incremental run, keep only the (business_id, day) pairs that
   int_messages loaded or reloaded since this mart was last built (its max(dbt_loaded_at)); those days
   are deleted and rebuilt whole (delete+insert on the day key). Works for late/backdated messages too.
   A mart built before dbt_loaded_at existed is rebuilt whole once (the column is appended). #}
{% macro changed_days(date_expr='activity_date') -%}
    {%- if is_incremental() and 'dbt_loaded_at' in (adapter.get_columns_in_relation(this) | map(attribute='name')) -%}
    (business_id, {{ date_expr }}) in (
        select distinct business_id, activity_date from {{ ref('int_messages') }}
        where loaded_at > (select coalesce(max(dbt_loaded_at), '-infinity'::timestamptz) from {{ this }})
    )
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{# The load mark stored on each mart row: the newest int_messages load it has seen. #}
{% macro loaded_mark() -%}
    (select max(loaded_at) from {{ ref('int_messages') }})
{%- endmacro %}
