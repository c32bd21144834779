{# In an incremental run, keep only days from (latest day already built - lookback_days) on; those days
   are deleted and rebuilt whole (delete+insert on the day key), so late updates are picked up. #}
{% macro recent_days(date_expr, this_date_column='activity_date') -%}
    {%- if is_incremental() -%}
    {{ date_expr }} >= (select coalesce(max({{ this_date_column }}), '1900-01-01'::date) from {{ this }})
                       - {{ var('lookback_days') }}
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}
