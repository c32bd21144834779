{# Body of the append-only chat-day tables (int_chat_days, int_asking_chat_days): the distinct (business, local
   day, chat) of int_messages rows matching `condition`; an incremental run appends those of rows loaded since
   the table's mark that are not here yet. Append-only is exact because a chat-day, once it has such a
   message, always has it: messages are never deleted, and their role, time and intent never change (the
   engine fills in only language, confidence and tokens later). #}
{% macro chat_days(condition) -%}
{%- set mark = previous_load_mark() %}
select distinct m.business_id, m.activity_date, m.conversation_id, {{ loaded_mark() }} as dbt_loaded_at
from {{ ref('int_messages') }} m
where {{ condition }}
{% if mark is not none %}
  and m.loaded_at > {{ mark }}
  and not exists (select 1 from {{ this }} t
                  where t.conversation_id = m.conversation_id and t.activity_date = m.activity_date)
{% endif %}
{%- endmacro %}
