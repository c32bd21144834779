{# The newest int_messages load an incremental model has already taken in (its max(mark_column)), as a
   timestamptz literal looked up at run time, so the filters below are planned as index range scans on
   int_messages.loaded_at. None when the model is built from scratch (first run, --full-refresh) or was
   built before it had the column (then it is rebuilt whole once and the column is appended). #}
{% macro previous_load_mark(mark_column='dbt_loaded_at') -%}
    {%- if not (execute and is_incremental()) -%}{% do return(none) %}{%- endif -%}
    {%- if mark_column not in (adapter.get_columns_in_relation(this) | map(attribute='name')) -%}
        {% do return(none) %}
    {%- endif -%}
    {%- set mark = latest_value(this, mark_column) -%}
    {% do return("'" ~ (mark if mark is not none else '-infinity') ~ "'::timestamptz") %}
{%- endmacro %}

{# Incremental daily marts: in an incremental run, keep only the (business_id, day) pairs that
   int_messages loaded or reloaded since this mart was last built; those days are deleted and rebuilt
   whole (delete+insert on the day key). Works for late/backdated messages too. #}
{% macro changed_days(date_expr='activity_date') -%}
    {%- set mark = previous_load_mark() -%}
    {%- if mark is not none -%}
    (business_id, {{ date_expr }}) in (
        select distinct business_id, activity_date from {{ ref('int_messages') }}
        where loaded_at > {{ mark }}
    )
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{# The load mark stored on each mart row: the newest int_messages load it has seen. #}
{% macro loaded_mark() -%}
    (select max(loaded_at) from {{ ref('int_messages') }})
{%- endmacro %}
