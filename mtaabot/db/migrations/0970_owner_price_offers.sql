-- A price the owner put on one customer's order (ODA 25 BEI 6500) holds as set, above the list too: a repair quoted
-- for the customer's model (an iPhone screen at 6,500 of a repair listed at 3,000). The bot's own discount offers
-- (set_by_owner false) are only ever the lower of the list and the offer.
ALTER TABLE price_offers ADD COLUMN set_by_owner BOOLEAN NOT NULL DEFAULT false;
