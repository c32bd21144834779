-- Every message with its business-local day and, for bot answers, the confidence/language of the
-- answer and whether it handed the chat to a person. Incremental (delete+insert on message_id, the delete only
-- for messages loaded before: macros/delete_reloaded_insert.sql), see
-- below. `loaded_at` marks the run that loaded a row; the daily marts rebuild the days it touched.
{{ config(
    materialized='incremental',
    unique_key='message_id',
    incremental_strategy='delete_reloaded_insert',
    reloaded_rows='first_loaded_at < current_timestamp',
    on_schema_change='append_new_columns',
    indexes=[
      {'columns': ['message_id'], 'unique': True},
      {'columns': ['loaded_at']},
      {'columns': ['business_id', 'activity_date']},
    ],
    post_hook="{{ owner_reply_index() }}"
) }}
{#- Indexes: message_id (delete+insert), loaded_at (what a load touched), (business_id, activity_date) (the daily
    marts' touched days, billing's first day), and a partial one on owner replies (macros/owner_reply_index.sql,
    mart_time_to_human's probe). Each is one more sort of the whole table in a full build, so nothing else:
    the former (business_id, created_at) index had no reader, and (author, conversation_id, created_at) over
    every message served only the owner probe. #}

{#- Incremental: every message stored or changed by a transaction the previous run did not see
    (messages.changed_xid, migration 0400; the previous run's snapshot is kept here as loaded_snapshot:
    changed_xid >= its xmax, or one of the transactions in progress then): new messages, backfilled ones
    with an old created_at, customer messages the engine filled in later, erased and anonymised ones.
    Index scans on changed_xid, whatever the size of the history and however long some other transaction
    has been open. Tables loaded before loaded_snapshot fall back to loaded_xmin (macros/incremental_days.sql). #}
{%- set previous = previous_load_snapshot() %}
{#- first_loaded_at: when this message was first loaded (kept when it is reloaded), so an additive daily mart
    tells a message it has never counted from a new version of one it has (macros/incremental_days.sql,
    delta_plan). A table from before this column: its rows count as loaded long ago. #}
{%- set keeps_first = previous is not none
    and 'first_loaded_at' in (adapter.get_columns_in_relation(this) | map(attribute='name') | list) %}

with
msgs as (
    select * from {{ ref('stg_messages') }}
    {% if previous is not none %}
    where {{ unseen_xid8(previous) }}
    {% endif %}
),

escalations as (
    select notification_id, conversation_id, created_at
    from {{ ref('stg_notifications') }}
    where kind = 'escalation' and conversation_id is not null
    {% if previous is not none %}
      -- only the chats this load touches (index on notifications.conversation_id), not every hand-over
      and conversation_id in (select conversation_id from msgs)
    {% endif %}
),


-- Each hand-over marks exactly one answer: of the answers in that chat whose span (customer message
-- to answer, plus 5 s for the notice written alongside it) holds the hand-over, the nearest in time.
-- Two quick customer messages answered within seconds of each other would otherwise both count it.
-- One index range scan per hand-over on messages (conversation_id, created_at), migration 0410: the
-- answers from 5 s before it to an hour after (an answer comes seconds after its customer message), so
-- the cost follows the hand-overs, not hand-overs x answers of long chats.
handed_over as (
    select nearest.message_id
    from escalations e
    cross join lateral (
        select a.message_id
        from {{ ref('stg_messages') }} a
        join {{ ref('stg_messages') }} q on q.message_id = a.reply_to
        where a.conversation_id = e.conversation_id
          and a.created_at >= e.created_at - interval '5 seconds'
          and a.created_at <= e.created_at + interval '1 hour'
          and a.role = 'bot' and a.reply_to is not null
          and e.created_at >= q.created_at
        order by abs(extract(epoch from (a.created_at - e.created_at))), a.message_id
        limit 1
    ) nearest
)

select
    m.message_id,
    m.business_id,
    m.conversation_id,
    m.role,
    m.author,
    m.created_at,
    (m.created_at at time zone b.timezone)::date as activity_date,
    m.detected_language,
    m.confidence_score,
    m.tokens_used,
    m.reply_to,
    m.intent,
    m.role = 'user' as is_customer,
    m.role = 'bot' and m.author in ('ai', 'system') and m.reply_to is not null as is_engine_reply,
    -- An answer's language and confidence, else its customer message's. Looked up by primary key only for
    -- the answers that lack them (coalesce evaluates the sub-select only then): engine answers carry their
    -- own, so a full build no longer hash-joins every message to its parent (10M x 10M at 10M messages).
    coalesce(m.detected_language,
             (select p.detected_language from {{ ref('stg_messages') }} p
              where p.message_id = m.reply_to)) as reply_language,
    coalesce(m.confidence_score,
             (select p.confidence_score from {{ ref('stg_messages') }} p
              where p.message_id = m.reply_to)) as reply_confidence,
    m.message_id in (select message_id from handed_over) as escalated,
    current_timestamp as loaded_at,
    {% if previous is none -%}
    current_timestamp
    {%- else -%}
    -- the loaded version's, if any: one probe of the unique message_id index per message of this load, as a
    -- sub-select (a left join was planned as a hash join over a scan of the whole table: 0.4 s of every
    -- refresh at 1M messages, growing with the history). A version loaded before the column: long ago.
    coalesce((select {{ "coalesce(t.first_loaded_at, '-infinity'::timestamptz)" if keeps_first
                        else "'-infinity'::timestamptz" }}
              from {{ this }} t where t.message_id = m.message_id), current_timestamp)
    {%- endif %} as first_loaded_at,
    -- the oldest transaction still running when this load read `messages`, and the whole snapshot (see above)
    pg_snapshot_xmin(pg_current_snapshot()) as loaded_xmin,
    pg_current_snapshot() as loaded_snapshot
from msgs m
join {{ ref('stg_businesses') }} b on b.business_id = m.business_id
