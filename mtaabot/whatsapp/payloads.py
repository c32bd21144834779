"""Parse Meta webhook bodies into typed inbound messages and delivery statuses.

A thin, defensive parser: every item of a delivery becomes an `InboundMessage`, a `StatusUpdate` or a
`Skipped` (with the reason and raw item), so nothing is silently dropped. It never raises on odd shapes
except `PayloadError` for a body that is not a JSON object at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mtaabot.conversations import Customer

MAX_TEXT = 4096  # WhatsApp's own text limit; longer content is cut (the raw item is kept in payload)


class PayloadError(ValueError):
    """The body is not a WhatsApp webhook JSON object."""


@dataclass(frozen=True)
class InboundMessage:
    phone_number_id: str
    wamid: str
    customer: Customer
    type: str  # text, image, audio, video, document, sticker, location, interactive, button, reaction, unsupported...
    text: str  # what the engine reads: the body, a caption, a button title, or a short "[type]" marker
    timestamp: str | None
    raw: dict[str, Any]
    button_id: str | None = None
    has_caption: bool = False

    @property
    def is_voice(self) -> bool:
        return self.type == "audio"


@dataclass(frozen=True)
class StatusUpdate:
    phone_number_id: str
    wamid: str
    status: str  # sent, delivered, read, failed (others kept as-is)
    error_code: int | None
    recipient: str | None
    timestamp: str | None
    raw: dict[str, Any]


@dataclass(frozen=True)
class Skipped:
    phone_number_id: str | None
    reason: str
    raw: Any


@dataclass(frozen=True)
class EchoMessage:
    """Coexistence: what the owner typed in the WhatsApp Business app on the shop's number (`smb_message_echoes`).
    An owner message in the customer's chat; never a customer message, never answered."""

    phone_number_id: str
    wamid: str
    customer: Customer
    type: str
    text: str
    timestamp: str | None
    raw: dict[str, Any]


@dataclass
class ChangeBatch:
    """Everything one `changes[]` item carried, for one business number."""

    phone_number_id: str | None
    messages: list[InboundMessage] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    echoes: list[EchoMessage] = field(default_factory=list)


def _s(value: Any) -> str | None:
    """A non-empty string or None (numbers are accepted as their text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _d(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _l(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def clean(value: Any) -> Any:
    """Make decoded JSON storable in PostgreSQL: no NUL characters, no lone surrogates."""
    if isinstance(value, str):
        if "\x00" in value:
            value = value.replace("\x00", "")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            value = value.encode("utf-8", "replace").decode("utf-8")
        return value
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def loads(body: bytes) -> dict[str, Any]:
    """Decode a raw body; PayloadError when it is not a JSON object."""
    try:
        data = clean(json.loads(body, parse_constant=_reject_constant))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise PayloadError(f"body is not valid JSON: {str(exc)[:120]}") from exc
    if not isinstance(data, dict):
        raise PayloadError("body must be a JSON object")
    return data


def _text_of(msg: dict[str, Any], mtype: str) -> tuple[str, str | None, bool]:
    """(text for the engine, button id, has_caption)."""
    part = _d(msg.get(mtype))
    if mtype == "text":
        return (_s(part.get("body")) or ""), None, False
    if mtype in ("image", "video", "document", "sticker"):
        caption = _s(part.get("caption"))
        return (caption or f"[{mtype}]"), None, caption is not None
    if mtype == "interactive":
        kind = _s(part.get("type")) or ""
        reply = _d(part.get(kind)) if kind else {}
        return (_s(reply.get("title")) or f"[{kind or 'interactive'}]"), _s(reply.get("id")), False
    if mtype == "button":
        return (_s(part.get("text")) or "[button]"), _s(part.get("payload")), False
    if mtype == "location":
        label = ", ".join(x for x in (_s(part.get("name")), _s(part.get("address"))) if x)
        return f"[location] {label}".strip(), None, False
    if mtype == "reaction":
        return f"[reaction] {_s(part.get('emoji')) or ''}".strip(), None, False
    return f"[{mtype}]", None, False


def _customer(msg: dict[str, Any], contacts: list[Any]) -> Customer | None:
    phone = _s(msg.get("from"))
    bsuid = _s(msg.get("from_user_id"))
    name = None
    for contact in contacts:
        contact = _d(contact)
        wa_id, user_id = _s(contact.get("wa_id")), _s(contact.get("user_id"))
        if (phone and wa_id == phone) or (bsuid and user_id == bsuid) or len(contacts) == 1:
            phone = phone or wa_id
            bsuid = bsuid or user_id
            name = _s(_d(contact.get("profile")).get("name"))
            break
    if phone is not None and not phone.isdigit():
        phone = None if bsuid else phone  # a "from" that is not digits is a BSUID-style id
    if not phone and not bsuid:
        return None
    return Customer(phone=phone[:20] if phone else None, bsuid=bsuid[:128] if bsuid else None,
                    name=name[:255] if name else None)


def _error_code(item: dict[str, Any]) -> int | None:
    for err in _l(item.get("errors")):
        code = _d(err).get("code")
        if isinstance(code, int) and not isinstance(code, bool):
            return code
        if isinstance(code, str) and code.isdigit() and len(code) < 10:
            return int(code)
    return None


def parse_change(change: Any) -> ChangeBatch:
    change = _d(change)
    value = _d(change.get("value"))
    pnid = _s(_d(value.get("metadata")).get("phone_number_id"))
    batch = ChangeBatch(phone_number_id=pnid)
    if change.get("field") == "smb_message_echoes":
        for raw in _l(value.get("message_echoes")):
            echo = _d(raw)
            wamid, to = _s(echo.get("id")), _s(echo.get("to"))
            if pnid is None or wamid is None or to is None:
                batch.skipped.append(Skipped(pnid, "echo without phone_number_id, id or recipient", raw))
                continue
            mtype = _s(echo.get("type")) or "unsupported"
            text, _, _ = _text_of(echo, mtype)
            customer = Customer(phone=to[:20]) if to.isdigit() else Customer(bsuid=to[:128])
            batch.echoes.append(EchoMessage(phone_number_id=pnid, wamid=wamid[:255], customer=customer,
                                            type=mtype[:20], text=text[:MAX_TEXT], timestamp=_s(echo.get("timestamp")),
                                            raw=echo))
        return batch
    if change.get("field") not in (None, "messages"):
        batch.skipped.append(Skipped(pnid, f"field {str(change.get('field'))[:40]!r} not handled", change))
        return batch
    if pnid is None:
        if value.get("messages") or value.get("statuses"):
            batch.skipped.append(Skipped(None, "no metadata.phone_number_id", change))
        return batch
    contacts = _l(value.get("contacts"))
    for raw in _l(value.get("messages")):
        msg = _d(raw)
        wamid = _s(msg.get("id"))
        mtype = _s(msg.get("type")) or "unsupported"
        customer = _customer(msg, contacts)
        if wamid is None or customer is None:
            batch.skipped.append(Skipped(pnid, "message without id or sender", raw))
            continue
        text, button_id, has_caption = _text_of(msg, mtype)
        batch.messages.append(InboundMessage(
            phone_number_id=pnid, wamid=wamid[:255], customer=customer, type=mtype[:20], text=text[:MAX_TEXT],
            timestamp=_s(msg.get("timestamp")), raw=msg, button_id=button_id, has_caption=has_caption))
    for raw in _l(value.get("statuses")):
        item = _d(raw)
        wamid, status = _s(item.get("id")), _s(item.get("status"))
        if wamid is None or status is None:
            batch.skipped.append(Skipped(pnid, "status without id or status", raw))
            continue
        batch.statuses.append(StatusUpdate(
            phone_number_id=pnid, wamid=wamid[:255], status=status.lower()[:20], error_code=_error_code(item),
            recipient=_s(item.get("recipient_id")) or _s(item.get("recipient_user_id")),
            timestamp=_s(item.get("timestamp")), raw=item))
    return batch


def parse_body(data: dict[str, Any]) -> list[ChangeBatch]:
    """All changes of a webhook delivery, in order."""
    batches: list[ChangeBatch] = []
    for entry in _l(data.get("entry")):
        for change in _l(_d(entry).get("changes")):
            batches.append(parse_change(change))
    return batches
