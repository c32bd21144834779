-- When the owner was alerted of an order and which booking time that alert named: a booking the customer
-- moves and confirms again is told as "booking #N moved from <old> to <new>", not as a second new booking.
ALTER TABLE orders
    ADD COLUMN owner_told_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN owner_told_booking_at TIMESTAMP WITH TIME ZONE;
