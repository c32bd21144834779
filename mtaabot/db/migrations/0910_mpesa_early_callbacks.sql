-- A Daraja callback can arrive before our row carries its CheckoutRequestID (the push's answer and the
-- callback race; Safaricom never retries a callback). Such a callback is kept here and applied the moment
-- a payment stores that CheckoutRequestID, instead of being refused and lost.
CREATE TABLE mpesa_early_callbacks (
    checkout_request_id VARCHAR(255) PRIMARY KEY,
    payload JSONB NOT NULL,
    remote_addr VARCHAR(64),
    received_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
