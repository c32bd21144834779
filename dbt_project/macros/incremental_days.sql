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
   whole (delete+insert on the day key). Works for late/backdated messages too.
   The pairs are looked up first and written into the query as a literal list, so PostgreSQL knows how
   few they are and reads just those (business, day)s through the (business_id, activity_date) indexes
   instead of hashing a sub-select against a scan of the whole table. An empty load keeps nothing. #}
{% macro changed_days(date_expr='activity_date', mark=none) -%}
    {%- set mark = mark if mark is not none else previous_load_mark() -%}
    {%- if mark is not none -%}
    {%- set pairs = touched_days(mark) -%}
    {%- if pairs | length == 0 -%}
    false
    {%- else -%}
    (business_id, {{ date_expr }}) in ({% for p in pairs %}('{{ p[0] }}'::uuid, '{{ p[1] }}'::date){{ ", " if not loop.last }}{% endfor %})
    {%- endif -%}
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{# (business_id, activity_date) pairs int_messages loaded since `mark` (a timestamptz literal), as text. #}
{% macro touched_days(mark) -%}
    {%- if not execute -%}{% do return([]) %}{%- endif -%}
    {%- set result = run_query('select distinct business_id::text, activity_date::text from '
                               ~ ref('int_messages') ~ ' where loaded_at > ' ~ mark ~ ' order by 1, 2') -%}
    {% do return(result.rows | list) %}
{%- endmacro %}

{# The load mark stored on each mart row: the newest int_messages load it has seen. #}
{% macro loaded_mark() -%}
    (select max(loaded_at) from {{ ref('int_messages') }})
{%- endmacro %}

{# The snapshot xmin the previous incremental load of `this` recorded (column loaded_xmin of its newest
   load), as text; none when building from scratch or when the table predates the column. #}
{% macro previous_load_xmin() -%}
    {%- if not (execute and is_incremental()) -%}{% do return(none) %}{%- endif -%}
    {%- if 'loaded_xmin' not in (adapter.get_columns_in_relation(this) | map(attribute='name')) -%}
        {% do return(none) %}
    {%- endif -%}
    {%- set found = run_query('select loaded_xmin::text from ' ~ this
                              ~ ' order by loaded_at desc nulls last limit 1').columns[0].values() -%}
    {% do return(found | first if found | length else none) %}
{%- endmacro %}

{# Rows of a source table written (inserted or updated) by a transaction at or after `xmin8` (an xid8 as
   text): the row's own xmin, compared by age() so 32-bit wrap-around is handled. For tables without a
   change marker column of their own (no index: one filtered scan of a table much smaller than messages). #}
{% macro written_since(xmin8, row_xmin='row_xmin') -%}
    age({{ row_xmin }}) <= age(('{{ xmin8 }}'::xid8::text::numeric % 4294967296)::text::xid)
{%- endmacro %}

{# Pre-hook for incremental models keyed on a column older builds did not have: empty the old table so
   the first incremental run loads everything (instead of duplicating rows whose key column is null). #}
{% macro reset_if_missing(column) -%}
    {%- if execute and is_incremental()
          and column not in (adapter.get_columns_in_relation(this) | map(attribute='name')) -%}
    truncate {{ this }}
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}
