{# Rows are unique on the combination of `columns` (the model's grain).
   With `recent_column` (a load mark such as dbt_loaded_at), the hourly build checks only the keys of the
   rows the latest run wrote, each against the whole table (an index probe per key, so a duplicate between
   a new row and an old one is still caught); the nightly check (data_test_scope: all) checks every row. #}
{% test unique_combination(model, columns, recent_column=none) %}
{%- set scoped = recent_column is not none and var('data_test_scope', 'latest_load') != 'all' and execute -%}
{%- set latest = latest_value(model, recent_column) if scoped else none -%}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
{% if latest is not none %}
where ({{ columns | join(', ') }}) in (
    select {{ columns | join(', ') }} from {{ model }}
    where {{ adapter.quote(recent_column) }} = '{{ latest }}'::timestamptz
)
{% endif %}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
