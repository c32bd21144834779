"""Resilience fixtures: the webhook area's real app/worker/fake Graph fixtures and billing's fake Daraja, reused."""

from __future__ import annotations

from tests.billing.conftest import business, fake_daraja, webhook_url  # noqa: F401 - pytest fixtures
from tests.webhook.conftest import app, graph, shop, wa_env, worker  # noqa: F401 - pytest fixtures
from tests.webhook.test_processes import gunicorn  # noqa: F401 - pytest fixture
