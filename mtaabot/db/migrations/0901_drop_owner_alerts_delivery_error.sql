-- House in order (issue 25): owner_alerts.delivery_error was never written; an alert's delivery error is read
-- from its outbox row (owners.alerts.alert_delivery: outbox.last_error).
ALTER TABLE owner_alerts DROP COLUMN IF EXISTS delivery_error;
