"""Graph client against the fake Graph server: retry policy, error codes, cross-process rate limit."""

from __future__ import annotations

import threading
import time

import pytest

from mtaabot.whatsapp.client import GraphClient, GraphError, RateLimiter
from tests.fakes.fake_graph import FakeGraph


def test_non_retryable_errors_fail_at_once(graph: FakeGraph, wa_env: dict[str, str]) -> None:
    client = GraphClient(graph_url=graph.url)
    graph.script((400, 131047))
    with pytest.raises(GraphError) as err:
        client.send_text("123", "tok", {"to": "254700000001"}, "Habari")
    assert err.value.code == 131047 and not err.value.retryable and len(graph.requests) == 1
    assert "tok" not in str(err.value)


def test_pair_rate_limit_and_5xx_are_retried(graph: FakeGraph, wa_env: dict[str, str]) -> None:
    client = GraphClient(graph_url=graph.url)
    graph.script((400, 131056), 503, (429, 130429))
    result = client.send_text("123", "tok", {"recipient": "KE.abc"}, "Habari")
    assert result.attempts == 4 and result.wamid == graph.sent[0].wamid
    assert graph.sent[0].body["recipient"] == "KE.abc"


def test_gives_up_after_max_attempts(graph: FakeGraph, wa_env: dict[str, str]) -> None:
    client = GraphClient(graph_url=graph.url, max_attempts=3)
    graph.script(500, 500, 500, 500)
    with pytest.raises(GraphError) as err:
        client.send_text("123", "tok", {"to": "254700000001"}, "Habari")
    assert err.value.retryable and len(graph.requests) == 3 and graph.sent == []


def test_rate_limit_is_shared_across_limiters(db_url: str) -> None:
    """Two limiters (as two worker processes would have) never exceed the per-number rate together."""
    limiters = [RateLimiter(db_url, rate_per_second=20), RateLimiter(db_url, rate_per_second=20)]
    stamps: list[float] = []
    lock = threading.Lock()

    def run(limiter: RateLimiter) -> None:
        for _ in range(15):
            limiter.acquire("111")
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=run, args=(lim,)) for lim in limiters]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 30 slots at 20/s: the last one cannot come earlier than 29/20 s after the first
    assert max(stamps) - start >= 29 / 20 - 0.05
    for lim in limiters:
        lim.close()
