{# Rows are unique on the combination of `columns` (the model's grain).
   With `recent_column` (a load mark such as dbt_loaded_at), the hourly build checks only the keys of the
   rows this run wrote (mark at or after run_started_at), each against the whole table (an index probe per key, so a duplicate between
   a new row and an old one is still caught); the nightly check (data_test_scope: all) checks every row. #}
{% test unique_combination(model, columns, recent_column=none) %}
{%- set scoped = recent_column is not none and var('data_test_scope', 'latest_load') != 'all' -%}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
{% if scoped %}
where ({{ columns | join(', ') }}) in (
    select {{ columns | join(', ') }} from {{ model }}
    where {{ adapter.quote(recent_column) }} >= '{{ run_started_at }}'::timestamptz
)
{% endif %}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
