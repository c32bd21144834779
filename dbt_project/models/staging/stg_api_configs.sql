-- No keys or tokens here: only whether a business has connected WhatsApp.
select
    id as api_config_id,
    business_id,
    whatsapp_phone_number_id is not null as whatsapp_connected,
    created_at
from {{ source('mtaabot', 'api_configs') }}
