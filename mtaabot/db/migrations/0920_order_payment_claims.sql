-- A customer's payment claim ("nimelipa QAB12CD34E") with the M-Pesa code it gave: the owner's ODA shows it
-- next to the order, and a code already given for another order of the shop is flagged to the owner.
CREATE TABLE order_payment_claims (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id UUID NOT NULL REFERENCES businesses(id),
    order_id UUID NOT NULL REFERENCES orders(id),
    conversation_id UUID REFERENCES conversations(id),
    mpesa_code VARCHAR(20),                          -- the code the customer gave, upper case; NULL: none given
    amount_kes NUMERIC(12, 2),                       -- what the order asked for when the claim was made
    claimed_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_order_payment_claims_order ON order_payment_claims (order_id, claimed_at DESC);
CREATE INDEX idx_order_payment_claims_code ON order_payment_claims (business_id, mpesa_code)
    WHERE mpesa_code IS NOT NULL;
