-- How many bookings a shop can serve at the same time (chairs, stylists); NULL = no limit (the shop has not
-- said). Bookings that would go past it are refused with the next free time.
ALTER TABLE businesses ADD COLUMN booking_capacity INTEGER
    CONSTRAINT businesses_booking_capacity_check CHECK (booking_capacity IS NULL OR booking_capacity > 0);
