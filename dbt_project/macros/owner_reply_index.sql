{# Post-hook of int_messages: a partial index on owner replies (conversation_id, created_at) where author = 'owner',
   for mart_time_to_human's probe (the owner's first reply in a chat after a hand-over). dbt's `indexes`
   config cannot make a partial index. Owner replies are a few percent of the messages, so this costs a
   fraction of an index over every message. Created when the table has none (a new or rebuilt table; an
   incremental load keeps it), without a fixed name: during a full refresh the old table still holds its own
   index until dbt drops it. PostgreSQL spells the predicate `WHERE ((author)::text = 'owner'::text)`; any
   second copy (an earlier version of this hook missed that spelling and added one per run) is dropped. #}
{% macro owner_reply_index() %}
do $owner_index$
declare
    existing record;
    kept boolean := false;
begin
    for existing in
        select indexname from pg_indexes
        where schemaname = '{{ this.schema }}' and tablename = '{{ this.identifier }}'
          and indexdef like '%(conversation_id, created_at) WHERE %''owner''%'
        order by indexname
    loop
        if kept then
            execute format('drop index %I.%I', '{{ this.schema }}', existing.indexname);
        end if;
        kept := true;
    end loop;
    if not kept then
        create index on {{ this }} (conversation_id, created_at) where author = 'owner';
    end if;
end
$owner_index$
{% endmacro %}
