{# Data tests on the tables that grow with every message check, by default, only the rows the latest
   run loaded: a test configured with `where: "__latest_load__"` filters its model to the rows this dbt
   invocation wrote (their load mark is at or after `run_started_at`; a full build marks every row, so it
   tests everything; a run that loaded nothing tests nothing). The hourly refresh therefore costs what it loaded, not the whole history. The
   nightly check (`--vars '{data_test_scope: all}'`, Dagster's analytics_full_check job) runs the same
   tests over every row. Marts name their mark column: `where: "__latest_load__(dbt_loaded_at)"`.
   The bound is written into the test as a literal, so PostgreSQL plans an index range scan on the mark. This overrides dbt's
   get_where_subquery, the documented hook for templated `where` filters; any other `where` behaves
   as in dbt. #}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where is string and where.startswith('__latest_load__') -%}
        {%- if var('data_test_scope', 'latest_load') == 'all' or not execute -%}
            {% do return(relation) %}
        {%- endif -%}
        {#- `__latest_load__` filters on loaded_at; `__latest_load__(dbt_loaded_at)` names the mark column -#}
        {%- set column = where[15:].strip('()') or 'loaded_at' -%}
        {%- set where = adapter.quote(column) ~ " >= '" ~ run_started_at ~ "'::timestamptz" -%}
    {%- endif -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {% do return(filtered) %}
    {%- endif -%}
    {% do return(relation) %}
{%- endmacro %}

{# max(column) of a relation as text, run now (at compile time); none when empty or not built. #}
{% macro latest_value(relation, column) -%}
    {%- if not execute -%}{% do return(none) %}{%- endif -%}
    {%- set result = run_query('select max(' ~ adapter.quote(column) ~ ')::text from ' ~ relation) -%}
    {% do return(result.columns[0].values()[0]) %}
{%- endmacro %}
