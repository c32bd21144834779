-- The day a customer asked for before saying a time ("book me for Saturday" ... "around 10am"): the booking
-- is made for that day once the time comes, not for the next 10am.
ALTER TABLE orders ADD COLUMN booking_day DATE;
