"""Evaluation tests: the embedding model loaded once per session (the engine tests' fixture)."""

from tests.engine.conftest import warm_model  # noqa: F401  (session fixture: load the model once)
