"""Parsing Meta webhook bodies: every fixture understood, BSUID-only senders, nothing dropped silently."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtaabot.whatsapp.payloads import PayloadError, loads, parse_body
from tests.webhook.conftest import FIXTURES, fixture


def test_text_message_has_phone_bsuid_and_name() -> None:
    [batch] = parse_body(fixture("text.json"))
    [msg] = batch.messages
    assert batch.phone_number_id == "109876543210001"
    assert msg.customer.phone == "254722123456" and msg.customer.bsuid == "KE.1a2b3c4d5e"
    assert msg.customer.name == "Achieng"
    assert msg.text == "Niaje boss, uko na unga ya ugali?"
    assert msg.customer.address == {"to": "254722123456"}


def test_bsuid_only_customer_is_addressed_by_recipient() -> None:
    [batch] = parse_body(fixture("text_bsuid_only.json"))
    [msg] = batch.messages
    assert msg.customer.phone is None and msg.customer.bsuid == "KE.9f8e7d6c5b"
    assert msg.customer.address == {"recipient": "KE.9f8e7d6c5b"}


def test_media_button_and_location_texts() -> None:
    [img] = parse_body(fixture("image.json"))[0].messages
    assert (img.type, img.text, img.has_caption) == ("image", "Mko na hii?", True)
    [voice] = parse_body(fixture("voice_note.json"))[0].messages
    assert voice.type == "audio" and voice.text == "[audio]"
    [btn] = parse_body(fixture("button_reply.json"))[0].messages
    assert btn.button_id == "talk_to_human" and btn.text == "Ongea na mtu"
    [loc] = parse_body(fixture("location.json"))[0].messages
    assert "Kawangware Stage" in loc.text
    [uns] = parse_body(fixture("unsupported.json"))[0].messages
    assert uns.type == "unsupported"
    assert len(parse_body(fixture("two_messages.json"))[0].messages) == 2


def test_statuses_with_error_codes() -> None:
    [failed] = parse_body(fixture("status_failed.json"))[0].statuses
    assert (failed.wamid, failed.status, failed.error_code) == ("wamid.BOTMSG2", "failed", 131047)
    [read] = parse_body(fixture("status_read.json"))[0].statuses
    assert (read.status, read.error_code) == ("read", None)


def test_items_without_sender_are_reported_not_dropped() -> None:
    body = fixture("text.json")
    value = body["entry"][0]["changes"][0]["value"]
    value["contacts"] = []
    value["messages"][0].pop("from")
    [batch] = parse_body(body)
    assert batch.messages == [] and len(batch.skipped) == 1 and "sender" in batch.skipped[0].reason


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b"null", b'{"a": NaN}', b"\xff\xfe", b'"text"'])
def test_non_object_bodies_raise_payload_error(raw: bytes) -> None:
    with pytest.raises(PayloadError):
        loads(raw)


def test_nul_and_lone_surrogates_are_cleaned() -> None:
    data = loads(json.dumps({"entry": [{"x": "a\u0000b\ud800c"}]}).encode())
    text = data["entry"][0]["x"]
    assert "\x00" not in text and text.encode("utf-8")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20)


def _items(value: dict) -> int:
    """Message and status items one change carries (a list field only; anything else carries none)."""
    return sum(len(value[k]) for k in ("messages", "statuses", "message_echoes") if isinstance(value.get(k), list))


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_every_item_of_every_fixture_is_parsed(name: str) -> None:
    body = fixture(name)
    [batch] = parse_body(body)
    assert batch.skipped == []
    assert len(batch.messages) + len(batch.statuses) + len(batch.echoes) == _items(body["entry"][0]["changes"][0]["value"])
    assert len(batch.messages) + len(batch.statuses) + len(batch.echoes) >= 1


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzzed_shapes_never_raise_and_every_item_is_accounted_for(data: st.DataObject) -> None:
    """Wrong types anywhere in a real fixture: the parser never crashes, and every message or status item is
    either parsed or reported as skipped (never dropped); items the junk did not touch still parse."""
    name = data.draw(st.sampled_from(sorted(p.name for p in FIXTURES.glob("*.json") if "echo" not in p.name)))
    body = fixture(name)
    value = body["entry"][0]["changes"][0]["value"]
    untouched = {"messages": len(value.get("messages", [])), "statuses": len(value.get("statuses", []))}
    target = data.draw(st.sampled_from(["metadata", "contacts", "messages", "statuses", "inner"]))
    junk = data.draw(json_values)
    if target == "inner" and value.get("messages"):
        key = data.draw(st.sampled_from(sorted(value["messages"][0])))
        value["messages"][0][key] = junk
    else:
        value[target] = junk
    [batch] = parse_body(loads(json.dumps(body).encode()))
    for msg in batch.messages:
        assert isinstance(msg.text, str) and msg.wamid and (msg.customer.phone or msg.customer.bsuid)
    if batch.phone_number_id is None:  # no business to route to: the whole change is reported once
        assert batch.messages == [] and batch.statuses == []
        assert len(batch.skipped) == (1 if _items(value) else 0)
        return
    assert len(batch.messages) + len(batch.statuses) + len(batch.skipped) == _items(value)
    if target in ("statuses", "metadata") or (target == "contacts" and name != "text_bsuid_only.json"):
        assert len(batch.messages) == untouched["messages"]  # the messages themselves were not touched
    if target in ("messages", "inner", "contacts", "metadata"):
        assert len(batch.statuses) == untouched["statuses"]
