{# Rows are unique on the combination of `columns` (the model's grain).
   With `recent_column` (a load mark such as dbt_loaded_at), the hourly build checks only the keys of the
   rows this run wrote (mark at or after run_started_at), each against the whole table (an index probe per key, so a duplicate between
   a new row and an old one is still caught); the nightly check (data_test_scope: all) checks every row. #}
{% test unique_combination(model, columns, recent_column=none) %}
{%- set scoped = recent_column is not none and var('data_test_scope', 'latest_load') != 'all' -%}
{%- if scoped %}
{#- One probe per recent key (a lateral count by the key's leading columns, which the marts index), not a
    hash join over a scan of the whole table: the planner chose that for `key in (recent keys)`, 0.1 s of
    each refresh with new rows on mart_language_mix_hourly at 1M messages. #}
select {% for c in columns %}k.{{ c }}, {% endfor %}c.n
from (select distinct {{ columns | join(', ') }} from {{ model }}
      where {{ adapter.quote(recent_column) }} >= '{{ run_started_at }}'::timestamptz) k
cross join lateral (
    select count(*) as n from {{ model }} m
    where {% for c in columns %}m.{{ c }} = k.{{ c }}{{ ' and ' if not loop.last }}{% endfor %}
) c
where c.n > 1
{%- else %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{%- endif %}
{% endtest %}
