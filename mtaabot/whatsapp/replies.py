"""Fixed texts the WhatsApp layer sends itself: media we cannot read, opt-out/opt-in, hand-over.

Short, bilingual (Swahili first, then English) because the customer's language is unknown for
non-text messages.
"""

from __future__ import annotations

from typing import Any


def _name(business: dict[str, Any] | None) -> str:
    return (business or {}).get("name") or "duka"


def opt_out_confirmation() -> str:
    return ("Sawa, hatutakutumia ujumbe tena. Tuma START au ANZA ukitaka kurudi. "
            "/ You will not get more messages from us. Send START to opt back in.")


def opt_in_confirmation(business: dict[str, Any] | None) -> str:
    return (f"Karibu tena {_name(business)}! Uliza chochote. / Welcome back to {_name(business)}! "
            "Ask us anything.")


def handover(business: dict[str, Any] | None) -> str:
    return (f"Sawa! Mtu wa {_name(business)} atakujibu hapa hivi karibuni. "
            f"/ A person from {_name(business)} will reply here shortly.")


def for_message_type(message_type: str, business: dict[str, Any] | None) -> str:
    """The stored reply for a message the engine cannot read (voice, photo without caption, location...)."""
    if message_type == "audio":
        return ("Samahani, siwezi kusikiliza voice note bado. Tafadhali andika ujumbe wako. "
                "/ Sorry, I can't listen to voice notes yet. Please type your message.")
    if message_type in ("image", "video", "document", "sticker"):
        return ("Asante! Siwezi kuona picha au faili. Andika jina la bidhaa unayotafuta nikuangalie. "
                "/ Thanks! I can't read photos or files. Type the product name and I'll check for you.")
    if message_type == "location":
        where = (business or {}).get("location")
        shop = f" Sisi tuko {where}. / We are at {where}." if where else ""
        return f"Asante kwa location yako!{shop} Tuambie unachohitaji. / Tell us what you need."
    if message_type == "contacts":
        return "Asante kwa contact! Tuambie unachohitaji. / Thanks! Tell us what you need."
    return ("Samahani, sikuweza kusoma ujumbe huo. Tafadhali tuma kwa maandishi. "
            "/ Sorry, I couldn't read that message. Please send it as text.")
