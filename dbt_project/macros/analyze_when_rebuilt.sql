{#- Post-hook for intermediate tables: refresh planner statistics when the table has none, i.e. it was
    just created (every table build, an incremental model's first or full-refresh build). The marts
    that read a table without statistics get planned on guesses; an incremental load into a table
    that already has them adds a small slice, which autovacuum's analyze covers, so it is skipped. #}
{% macro analyze_when_rebuilt() %}
do $analyze$
begin
    if not exists (select 1 from pg_stats where schemaname = '{{ this.schema }}' and tablename = '{{ this.identifier }}') then
        analyze {{ this }};
    end if;
end
$analyze$
{% endmacro %}
