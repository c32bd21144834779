"""WhatsApp Cloud API: webhook payload parsing, the Graph API client, inbound storage, outbox and worker."""
