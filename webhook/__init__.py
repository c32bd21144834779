"""Flask surface: WhatsApp webhook, M-Pesa callback and the business REST API (`create_app`)."""

from webhook.app import create_app

__all__ = ["create_app"]
