"""Billing: plans and quotas, M-Pesa (Daraja) STK Push payments, and the AI-reply gate."""
