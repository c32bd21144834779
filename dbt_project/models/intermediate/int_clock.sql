-- "Now" for time-relative marts (days left); a model of its own so unit tests can pin it.
{{ config(materialized='view') }}
select current_timestamp as as_of_ts
