-- Orders, bookings and checkout in the chat (issue 18). Every row carries business_id.
-- A booking is an order whose item is a service with a requested time.

-- Products: optional stock (NULL = not tracked), a retailer id / SKU for WhatsApp catalogue carts,
-- and service fields for shops that take bookings.
ALTER TABLE products
    ADD COLUMN stock INTEGER,
    ADD COLUMN retailer_id VARCHAR(100),
    ADD COLUMN is_service BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN duration_minutes INTEGER,
    ADD CONSTRAINT products_stock_check CHECK (stock IS NULL OR stock >= 0),
    ADD CONSTRAINT products_duration_check CHECK (duration_minutes IS NULL OR duration_minutes > 0);
CREATE UNIQUE INDEX uq_products_business_retailer ON products (business_id, retailer_id)
    WHERE retailer_id IS NOT NULL;

-- How a shop's customers pay: the shop's own Buy Goods till or paybill (+ account reference).
-- store_number is the BusinessShortCode that owns a till (Daraja "HO number"); it defaults to the till.
CREATE TABLE business_payment_settings (
    business_id UUID PRIMARY KEY REFERENCES businesses(id),
    method VARCHAR(10) NOT NULL CHECK (method IN ('till', 'paybill')),
    shortcode VARCHAR(20) NOT NULL CHECK (shortcode ~ '^[0-9]{5,10}$'),
    store_number VARCHAR(20) CHECK (store_number IS NULL OR store_number ~ '^[0-9]{5,10}$'),
    account_reference VARCHAR(12),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT payment_settings_paybill_account CHECK (method = 'till' OR account_reference IS NOT NULL)
);

CREATE TABLE orders (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id UUID NOT NULL REFERENCES businesses(id),
    number INTEGER NOT NULL,                       -- short per-shop number owners and customers type (#17)
    conversation_id UUID NOT NULL REFERENCES conversations(id),
    status VARCHAR(20) NOT NULL DEFAULT 'draft',
    kind VARCHAR(10) NOT NULL DEFAULT 'order',
    source VARCHAR(20) NOT NULL DEFAULT 'chat',
    fulfilment VARCHAR(10) NOT NULL DEFAULT 'pickup',
    delivery_location TEXT,
    customer_note TEXT,
    booking_at TIMESTAMP WITH TIME ZONE,
    booking_minutes INTEGER,
    total_kes NUMERIC(12, 2) NOT NULL DEFAULT 0,
    confirmed_total_kes NUMERIC(12, 2),            -- the total the customer said yes to
    payment_phone VARCHAR(20),
    paid_amount_kes NUMERIC(12, 2),
    mpesa_receipt_number VARCHAR(255),
    failure_reason TEXT,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    confirmed_at TIMESTAMP WITH TIME ZONE,
    paid_at TIMESTAMP WITH TIME ZONE,
    fulfilled_at TIMESTAMP WITH TIME ZONE,
    cancelled_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT orders_status_check CHECK (status IN ('draft', 'awaiting_payment', 'paid', 'fulfilled',
                                                     'cancelled', 'payment_failed')),
    CONSTRAINT orders_kind_check CHECK (kind IN ('order', 'booking')),
    CONSTRAINT orders_source_check CHECK (source IN ('chat', 'whatsapp_cart', 'api')),
    CONSTRAINT orders_fulfilment_check CHECK (fulfilment IN ('pickup', 'delivery')),
    CONSTRAINT orders_total_check CHECK (total_kes >= 0),
    UNIQUE (business_id, number)
);
-- One open cart per chat.
CREATE UNIQUE INDEX uq_orders_open_cart ON orders (conversation_id) WHERE status = 'draft';
CREATE INDEX idx_orders_business_status ON orders (business_id, status, created_at DESC);
CREATE INDEX idx_orders_conversation ON orders (conversation_id, created_at DESC);

CREATE TABLE order_items (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id UUID NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    business_id UUID NOT NULL REFERENCES businesses(id),
    product_id UUID NOT NULL REFERENCES products(id),
    name VARCHAR(255) NOT NULL,                    -- snapshot at order time
    quantity NUMERIC(10, 2) NOT NULL,
    unit_price NUMERIC(12, 2) NOT NULL,            -- snapshot at order time (refreshed before payment)
    variant TEXT,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT order_items_quantity_check CHECK (quantity > 0),
    CONSTRAINT order_items_price_check CHECK (unit_price >= 0),
    UNIQUE (order_id, product_id)
);
CREATE INDEX idx_order_items_business ON order_items (business_id);

-- Each M-Pesa prompt for an order (a customer may retry: "lipa tena"). 'queued' rows are sent by the
-- worker outside any chat transaction; a Daraja outage leaves them queued with a later next_attempt_at.
CREATE TABLE order_payments (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id UUID NOT NULL REFERENCES businesses(id),
    order_id UUID NOT NULL REFERENCES orders(id),
    status VARCHAR(12) NOT NULL DEFAULT 'queued',
    amount_kes INTEGER NOT NULL CHECK (amount_kes > 0),
    phone VARCHAR(20) NOT NULL,
    transaction_type VARCHAR(30) NOT NULL,
    party_b VARCHAR(20) NOT NULL,
    account_reference VARCHAR(12) NOT NULL,
    mpesa_checkout_id VARCHAR(255),
    merchant_request_id VARCHAR(255),
    result_code INTEGER,
    result_desc TEXT,
    paid_amount_kes NUMERIC(12, 2),
    mpesa_receipt_number VARCHAR(255),
    failure_reason TEXT,
    raw_callback JSONB,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    locked_until TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    settled_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT order_payments_status_check
        CHECK (status IN ('queued', 'pending', 'paid', 'failed', 'underpaid', 'superseded'))
);
CREATE UNIQUE INDEX uq_order_payments_checkout ON order_payments (mpesa_checkout_id)
    WHERE mpesa_checkout_id IS NOT NULL;
CREATE INDEX idx_order_payments_due ON order_payments (next_attempt_at) WHERE status = 'queued';
CREATE INDEX idx_order_payments_order ON order_payments (order_id, created_at DESC);

-- The callback log now covers order payments too (exactly one of the two references).
ALTER TABLE mpesa_callbacks
    ALTER COLUMN subscription_id DROP NOT NULL,
    ADD COLUMN order_payment_id UUID REFERENCES order_payments(id),
    DROP CONSTRAINT mpesa_callbacks_outcome_check,
    ADD CONSTRAINT mpesa_callbacks_outcome_check
        CHECK (outcome IN ('activated', 'failed', 'duplicate', 'receipt_added', 'paid', 'underpaid')),
    ADD CONSTRAINT mpesa_callbacks_target_check
        CHECK ((subscription_id IS NULL) <> (order_payment_id IS NULL));

-- Subscription payments: a short payment is recorded, never activates.
ALTER TABLE subscriptions
    ADD COLUMN paid_amount_kes NUMERIC(12, 2),
    DROP CONSTRAINT subscriptions_status_check,
    ADD CONSTRAINT subscriptions_status_check
        CHECK (status IN ('pending', 'active', 'failed', 'cancelled', 'expired', 'underpaid'));

ALTER TABLE notifications ADD COLUMN order_id UUID REFERENCES orders(id);
