"""Kenyan phone numbers: normalise 07…/01…/+254…/254… to E.164 digits (2547…/2541…)."""

from __future__ import annotations

import phonenumbers


class InvalidPhone(ValueError):
    """A phone number that is not a valid Kenyan mobile number."""


def normalize_ke_msisdn(raw: str) -> str:
    """Return `2547XXXXXXXX` / `2541XXXXXXXX`, or raise InvalidPhone with a readable reason."""
    text = (raw or "").strip()
    if not text:
        raise InvalidPhone("phone number is empty")
    try:
        parsed = phonenumbers.parse(text, "KE")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"{raw!r} is not a phone number ({exc})") from exc
    if parsed.country_code != 254 or not phonenumbers.is_valid_number(parsed):
        raise InvalidPhone(f"{raw!r} is not a valid Kenyan number; use 07XXXXXXXX, 01XXXXXXXX or 2547XXXXXXXX")
    digits = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164).lstrip("+")
    if not (digits.startswith("2547") or digits.startswith("2541")) or len(digits) != 12:
        raise InvalidPhone(f"{raw!r} is not a Kenyan mobile number (2547… or 2541…)")
    return digits


def normalize_whatsapp_number(raw: str) -> str:
    """A business WhatsApp number in E.164 digits; any country allowed, Kenya assumed when no prefix."""
    text = (raw or "").strip()
    try:
        parsed = phonenumbers.parse(text, "KE")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"{raw!r} is not a phone number ({exc})") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhone(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164).lstrip("+")
