"""Fuzzed webhook bodies over real HTTP: signed garbage never yields a 500 or loses the server."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.webhook.conftest import App, fixture, query, text_payload

ODD_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=200)
JSON_ANY = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | ODD_TEXT,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(ODD_TEXT, kids, max_size=4), max_leaves=25)
FIXTURE_NAMES = ["text.json", "text_bsuid_only.json", "image.json", "button_reply.json", "status_failed.json",
                 "two_messages.json", "location.json"]


def _mutate(body: dict[str, Any], path: list[str | int], junk: Any) -> dict[str, Any]:
    node: Any = body
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = junk
    return body


def _paths(node: Any, prefix: list[str | int]) -> list[list[str | int]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + [k])
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + [i])
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def _run_fuzz(app: App, data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(["mutate", "truncate", "raw", "unicode"]))
    if kind == "mutate":
        body = fixture(data.draw(st.sampled_from(FIXTURE_NAMES)))
        path = data.draw(st.sampled_from(_paths(body, [])))
        raw = json.dumps(_mutate(body, path, data.draw(JSON_ANY))).encode()
    elif kind == "truncate":
        full = json.dumps(fixture(data.draw(st.sampled_from(FIXTURE_NAMES)))).encode()
        raw = full[: data.draw(st.integers(0, len(full) - 1))]
    elif kind == "raw":
        raw = data.draw(st.binary(max_size=300))
    else:
        text = data.draw(ODD_TEXT)
        raw = json.dumps(text_payload(text, wamid="wamid." + str(data.draw(st.integers(0, 10**6)))),
                         ensure_ascii=data.draw(st.booleans())).encode("utf-8", "surrogatepass")
    resp = app.post_webhook(raw)
    assert resp.status_code in (200, 400), (resp.status_code, resp.text[:300], raw[:300])
    assert resp.headers["Content-Type"].startswith("application/json")


def test_fuzzed_signed_bodies_never_500(app: App, shop: dict[str, Any], db_url: str) -> None:
    _run_fuzz(app)
    # the app is still healthy and stores a real message afterwards
    assert app.post_webhook(text_payload("Habari", wamid="wamid.AFTER-FUZZ")).json()["stored"] == 1


def test_three_megabyte_payloads(app: App, shop: dict[str, Any], db_url: str) -> None:
    rng = random.Random(7)
    big_text = "".join(rng.choice("abc dé😀ñ\u200b") for _ in range(1_700_000))  # ~3 MB of UTF-8
    body = json.dumps(text_payload(big_text, wamid="wamid.BIG"), ensure_ascii=False).encode()
    assert 2_500_000 < len(body) < 4_000_000
    resp = app.post_webhook(body)
    assert resp.status_code == 200, resp.text
    [row] = query(db_url, "SELECT length(content) AS n FROM messages WHERE wamid = 'wamid.BIG'")
    assert row["n"] == 4096  # WhatsApp's own text limit; the full item stays in payload
    many = fixture("two_messages.json")
    value = many["entry"][0]["changes"][0]["value"]
    value["messages"] = [dict(value["messages"][0], id=f"wamid.M{i}", text={"body": f"{i} " + "sukari " * 1450})
                         for i in range(300)]
    body = json.dumps(many).encode()
    assert len(body) > 2_500_000
    resp = app.post_webhook(body, timeout=120)
    assert resp.status_code == 200 and resp.json()["stored"] == 300
    too_big = b"{" + b" " * (5 * 1024 * 1024) + b"}"
    assert app.post_webhook(too_big).status_code == 413
