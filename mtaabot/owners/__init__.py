"""The owner's WhatsApp channel: verified owner numbers, alerts pushed to the owner's phone, the commands an
owner sends to the shop's own number (JIBU, RUDISHA, SIMAMISHA, ISHA, BEI, LEO, ORDERS, …), and the
morning digest."""
