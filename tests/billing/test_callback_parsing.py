"""Reading Daraja callbacks: metadata by Name (any order, Balance without value), string ResultCodes."""

from __future__ import annotations

import pytest

from mtaabot.billing.payments import MalformedCallback, parse_callback
from tests.fakes.fake_daraja import fixture


def test_metadata_read_by_name_not_position():
    body = fixture("callback_success")
    items = body["Body"]["stkCallback"]["CallbackMetadata"]["Item"]
    items.reverse()
    parsed = parse_callback(body)
    assert parsed.receipt == "NLJ7RT61SV" and parsed.result_code == 0
    assert parsed.metadata["Amount"] == 2999.0 and parsed.metadata["Balance"] is None


@pytest.mark.parametrize("code", [1032, "1032", " 1032 ", 1032.0])
def test_result_code_number_or_string(code):
    body = fixture("callback_cancelled")
    body["Body"]["stkCallback"]["ResultCode"] = code
    parsed = parse_callback(body)
    assert parsed.result_code == 1032 and parsed.receipt is None


@pytest.mark.parametrize("mutate", [
    lambda b: b.pop("Body"),
    lambda b: b["Body"].pop("stkCallback"),
    lambda b: b["Body"]["stkCallback"].pop("CheckoutRequestID"),
    lambda b: b["Body"]["stkCallback"].update(ResultCode="zero"),
    lambda b: b["Body"]["stkCallback"].update(ResultCode=True),
    lambda b: b["Body"]["stkCallback"].update(ResultCode=10**12),
    lambda b: b["Body"]["stkCallback"].update(CheckoutRequestID="ws CO with spaces"),
])
def test_malformed_shapes_rejected(mutate):
    body = fixture("callback_timeout")
    mutate(body)
    with pytest.raises(MalformedCallback):
        parse_callback(body)
