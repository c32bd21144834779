"""Orders, bookings and checkout in the chat: store (rows and transitions), quantities and times
(what the customer wrote), the cart flow (what the engine does with it) and checkout (M-Pesa)."""
