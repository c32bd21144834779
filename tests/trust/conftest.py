"""Trust and operations tests: the webhook/worker/fake Graph fixtures and the engine helpers."""

from tests.billing.conftest import business, fake_daraja, webhook_url  # noqa: E402,F401  (M-Pesa fixtures)
from tests.dashboard.conftest import shops  # noqa: F401,E402  (two seeded shops for the dashboard tests)
from tests.engine.conftest import warm_model  # noqa: F401  (session fixture: load the model once)
from tests.webhook.conftest import app, graph, shop, wa_env, worker  # noqa: F401  (shared fixtures)
