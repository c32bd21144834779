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
   The pairs are looked up first and written into the query as two literal arrays, so PostgreSQL knows how
   few they are (unnest of a constant array is estimated exactly) and reads just those (business, day)s
   through the (business_id, activity_date) indexes instead of hashing a sub-select against a scan of the
   whole table. (A literal IN list of row values is an OR tree that overflows the stack at a few thousand
   pairs.) An empty load keeps nothing. #}
{% macro changed_days(date_expr='activity_date', mark=none) -%}
    {%- set mark = mark if mark is not none else previous_load_mark() -%}
    {%- if mark is not none -%}
    {%- set pairs = touched_days(mark) -%}
    {%- if pairs | length == 0 -%}
    false
    {%- else -%}
    {{ day_pairs_in(pairs, 'business_id', date_expr) }}
    {%- endif -%}
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{# (business_id, activity_date) pairs int_messages loaded since `mark` (a timestamptz literal), as text. A chat
   starts with its first message and a hand-over is written with the bot's notice, so their days are
   among these. #}
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

{# What the previous incremental load of `this` saw: its snapshot (column loaded_snapshot of its newest
   load) as {'xmax': text, 'xip': [text, ...]} — a row version written by a transaction it did not see has
   xid >= xmax or an xid in xip (in progress then). Tables loaded before loaded_snapshot existed fall back to
   their loaded_xmin ({'xmax': xmin, 'xip': []}: everything since the oldest transaction then running).
   None when building from scratch. Both are exact; the snapshot also stays tight while some long
   transaction elsewhere (a bulk load, a stuck session) holds the cluster's xmin back for hours.
   Read newest-first through the loaded_at index (`desc` without `nulls last`, which the index order does not
   match: that form sorted the whole table, 3.8 s of every run at 10M messages). #}
{% macro previous_load_snapshot() -%}
    {%- if not (execute and is_incremental()) -%}{% do return(none) %}{%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if 'loaded_snapshot' in columns -%}
        {%- set found = run_query('select pg_snapshot_xmax(loaded_snapshot)::text, '
                                  ~ "array_to_string(array(select pg_snapshot_xip(loaded_snapshot)), ',') from " ~ this
                                  ~ ' where loaded_at is not null and loaded_snapshot is not null'
                                  ~ ' order by loaded_at desc limit 1') -%}
        {%- if found.rows | length -%}
            {%- set row = found.rows[0] -%}
            {% do return({'xmax': row[0], 'xip': (row[1].split(',') if row[1] else [])}) %}
        {%- endif -%}
    {%- endif -%}
    {%- if 'loaded_xmin' in columns -%}
        {%- set found = run_query('select loaded_xmin::text from ' ~ this
                                  ~ ' where loaded_at is not null and loaded_xmin is not null'
                                  ~ ' order by loaded_at desc limit 1') -%}
        {%- if found.rows | length -%}{% do return({'xmax': found.rows[0][0], 'xip': []}) %}{%- endif -%}
    {%- endif -%}
    {% do return(none) %}
{%- endmacro %}

{# Rows whose change marker (an xid8 column such as messages.changed_xid) the previous load did not see:
   an index range scan from its xmax, plus one index probe per transaction that was in progress then. #}
{% macro unseen_xid8(snapshot, column='changed_xid') -%}
    ({{ column }} >= '{{ snapshot.xmax }}'::xid8
     {%- if snapshot.xip %} or {{ column }} = any('{ {{- snapshot.xip | join(',') -}} }'::xid8[]){% endif %})
{%- endmacro %}

{# The same for tables without a marker column, by the row version's own 32-bit xmin (the transaction that
   wrote it; every writer is covered without a trigger). age() compares across wrap-around. No index: one
   filtered scan of a table much smaller than messages. #}
{% macro unseen_row(snapshot, row_xmin='row_xmin') -%}
    (age({{ row_xmin }}) <= age({{ xid32(snapshot.xmax) }})
     {%- if snapshot.xip %} or {{ row_xmin }} = any(array[{% for x in snapshot.xip %}{{ xid32(x) }}{{ ", " if not loop.last }}{% endfor %}]){% endif %})
{%- endmacro %}

{% macro xid32(xid8_text) -%}
    (('{{ xid8_text }}'::xid8::text::numeric % 4294967296)::text::xid)
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

{# `(business_col, date_col) in <the given (business_id, day) text pairs>`, as two constant arrays. #}
{% macro day_pairs_in(pairs, business_col, date_col) -%}
    ({{ business_col }}, {{ date_col }}) in (
        select * from unnest('{ {{- pairs | map(attribute=0) | join(',') -}} }'::uuid[],
                             '{ {{- pairs | map(attribute=1) | join(',') -}} }'::date[]))
{%- endmacro %}

{# Additive incremental daily marts (the cost follows the new rows, not the touched days' history).
   What an incremental run of a daily mart has to do since its mark (the newest int_messages load it has
   taken in), from the rows int_messages loaded since then, by (business_id, activity_date):
   - `add`: days where every such row is a message the mart has never counted (first_loaded_at > mark):
     the mart's row plus the sums of just those rows (counts and sums add);
   - `rebuild`: days with a message the mart had counted in an earlier version (reloaded: the engine filled
     it in, erasure, ...): recomputed from every message of the day, as a full build would;
   - `touched`: both (for measures that are recounted, e.g. distinct customers from int_chat_days).
   Everything is `rebuild` when int_messages holds nothing loaded at or before the mark (it was rebuilt or
   emptied since: its first_loaded_at no longer says what the mart has counted). None for a full build.
   `upto`: the newest load when the plan was made; the mart reads no row loaded after it and records it as
   its new mark (plan_mark), so a load committed meanwhile by a concurrent run is taken next time, not half
   now and again later. #}
{% macro delta_plan() -%}
    {%- set mark = previous_load_mark() -%}
    {%- if mark is none -%}{% do return(none) %}{%- endif -%}
    {%- set none_found = {'ids': '', 'days': '', 'n': 0} -%}
    {%- if not execute -%}
        {% do return({'mark': mark, 'upto': mark, 'add': none_found, 'rebuild': none_found, 'touched': none_found}) %}
    {%- endif -%}
    {#- One statement, and the pairs come back as three pairs of array literals (string_agg), not as rows: dbt
        turned each found row into an agate row and the macro looped over them in Jinja, ~0.05-0.1 s of
        every mart's compilation after 10,000 new messages (~750-1,500 (business, day) pairs), x 7 marts. -#}
    {%- set int_messages = ref('int_messages') -%}
    {%- set found = run_query(
        'with newest as (select max(loaded_at) as upto from ' ~ int_messages ~ '), '
        ~ 'kept as (select exists (select 1 from ' ~ int_messages ~ ' where loaded_at <= ' ~ mark ~ ') as kept), '
        ~ 'days as (select m.business_id, m.activity_date, '
        ~ 'bool_or(m.first_loaded_at is null or m.first_loaded_at <= ' ~ mark ~ ') as reloaded from '
        ~ int_messages ~ ' m, newest where m.loaded_at > ' ~ mark ~ ' and m.loaded_at <= newest.upto group by 1, 2), '
        ~ 'planned as (select d.*, d.reloaded or not kept.kept as rebuild from days d, kept) '
        ~ 'select (select upto::text from newest), '
        ~ "coalesce(string_agg(business_id::text, ',' order by business_id, activity_date) filter (where not rebuild), ''), "
        ~ "coalesce(string_agg(activity_date::text, ',' order by business_id, activity_date) filter (where not rebuild), ''), "
        ~ 'count(*) filter (where not rebuild), '
        ~ "coalesce(string_agg(business_id::text, ',' order by business_id, activity_date) filter (where rebuild), ''), "
        ~ "coalesce(string_agg(activity_date::text, ',' order by business_id, activity_date) filter (where rebuild), ''), "
        ~ 'count(*) filter (where rebuild) from planned') -%}
    {%- set row = found.rows[0] -%}
    {%- set upto = "'" ~ row[0] ~ "'::timestamptz" if row[0] is not none else mark -%}
    {%- set add = {'ids': row[1], 'days': row[2], 'n': row[3]} -%}
    {%- set rebuild = {'ids': row[4], 'days': row[5], 'n': row[6]} -%}
    {#- touched = add + rebuild (disjoint) -#}
    {%- set touched = {'ids': [row[1], row[4]] | select | join(','), 'days': [row[2], row[5]] | select | join(','),
                       'n': row[3] + row[6]} -%}
    {% do return({'mark': mark, 'upto': upto, 'add': add, 'rebuild': rebuild, 'touched': touched}) %}
{%- endmacro %}

{# `day_pairs_in` for a plan's pairs (a mapping of two comma-separated array bodies and their count `n`, from
   delta_plan) or a list of (business_id, day) text pairs; false for no pairs. #}
{% macro pairs_in(pairs, business_col='business_id', date_col='activity_date') -%}
    {%- if pairs is mapping -%}
        {%- if pairs.n == 0 -%}false{%- else -%}
    ({{ business_col }}, {{ date_col }}) in (
        select * from unnest('{ {{- pairs.ids -}} }'::uuid[], '{ {{- pairs.days -}} }'::date[]))
        {%- endif -%}
    {%- elif pairs | length == 0 -%}false{%- else -%}{{ day_pairs_in(pairs, business_col, date_col) }}{%- endif -%}
{%- endmacro %}

{# The int_messages rows a daily mart aggregates: every row (full build), or those of `rebuild` days plus
   the new rows of `add` days (two index reads, as a UNION ALL so each uses its index). Use as
   `from {{ delta_rows(plan) }} m` with `columns` the int_messages columns the mart needs. #}
{% macro delta_rows(plan, columns) -%}
    {%- if plan is none -%}
    (select {{ columns | join(', ') }} from {{ ref('int_messages') }}) 
    {%- else -%}
    (select {{ columns | join(', ') }} from {{ ref('int_messages') }}
     where {{ pairs_in(plan.rebuild) }} and loaded_at <= {{ plan.upto }}
     union all
     select {{ columns | join(', ') }} from {{ ref('int_messages') }}
     where loaded_at > {{ plan.mark }} and loaded_at <= {{ plan.upto }} and {{ pairs_in(plan.add) }})
    {%- endif -%}
{%- endmacro %}

{# The mark an additive daily mart records (dbt_loaded_at): the plan's `upto`, or the newest load for a full build. #}
{% macro plan_mark(plan) -%}
    {%- if plan is none -%}{{ loaded_mark() }}{%- else -%}{{ plan.upto }}{%- endif -%}
{%- endmacro %}
