"""Fixed texts the WhatsApp layer sends itself: media we cannot read, opt-out/opt-in, hand-over.

Bilingual (Swahili first, then English) because the customer's language is unknown for non-text messages;
the words live in the message catalogue (`mtaabot/data/messages.toml`, section `bilingual`).
"""

from __future__ import annotations

from typing import Any

from mtaabot.messages import bilingual


def _name(business: dict[str, Any] | None) -> str:
    return (business or {}).get("name") or "duka"


def opt_out_confirmation() -> str:
    return bilingual("opt_out")


def opt_in_confirmation(business: dict[str, Any] | None) -> str:
    return bilingual("opt_in", shop=_name(business))


def handover(business: dict[str, Any] | None) -> str:
    """The one hand-over text for a customer whose language is not known (the billing gate uses it too)."""
    return bilingual("handover", shop=_name(business))


def for_message_type(message_type: str, business: dict[str, Any] | None) -> str:
    """The stored reply for a message the engine cannot read (voice, photo without caption, location...)."""
    if message_type == "audio":
        return bilingual("audio")
    if message_type in ("image", "video", "document", "sticker"):
        return bilingual("media")
    if message_type == "location":
        where = (business or {}).get("location")
        return bilingual("location_shop", location=where) if where else bilingual("location")
    if message_type == "contacts":
        return bilingual("contacts")
    return bilingual("unreadable")
