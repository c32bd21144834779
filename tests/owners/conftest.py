"""Owner-channel tests: the engine helpers (model loaded once) and the webhook/worker/fake Graph fixtures."""

from tests.engine.conftest import warm_model  # noqa: F401  (session fixture: load the model once)
from tests.webhook.conftest import app, graph, shop, wa_env, worker  # noqa: F401  (shared fixtures)
