-- Secrets at rest (issue 22): webhook verify tokens are only ever compared, so they are stored as a SHA-256
-- hash ("sha256$<hex>", 71 characters). WhatsApp access tokens are encrypted by the application
-- (mtaabot.secretbox, Fernet; `mtaabot secrets rotate` encrypts any stored before this).
UPDATE api_configs
SET webhook_verify_token = 'sha256$' || encode(sha256(convert_to(webhook_verify_token, 'UTF8')), 'hex')
WHERE webhook_verify_token IS NOT NULL AND webhook_verify_token NOT LIKE 'sha256$%';
