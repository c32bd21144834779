"""Application factory: config from the environment, one blueprint per surface area."""

from __future__ import annotations

import importlib
import logging
from datetime import date, datetime

from flask import Flask, jsonify
from flask.json.provider import DefaultJSONProvider

from mtaabot.config import get_settings, offline_models

offline_models()

# (module, attribute) of each blueprint; a module that does not exist yet is skipped.
BLUEPRINTS = (
    ("webhook.whatsapp", "bp"),
    ("webhook.api", "bp"),
    ("webhook.orders_api", "bp"),
    ("webhook.mpesa", "bp"),
    ("webhook.billing_api", "bp"),
    ("webhook.health", "bp"),  # /healthz, /readyz, /metrics
)


class IsoJSONProvider(DefaultJSONProvider):
    """Dates as ISO 8601 (Flask's default is the HTTP date format)."""

    @staticmethod
    def default(o: object) -> object:
        if isinstance(o, (datetime, date)):
            return o.isoformat()
        return DefaultJSONProvider.default(o)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.json = IsoJSONProvider(app)
    app.config.update(MAX_CONTENT_LENGTH=4 * 1024 * 1024)  # Meta payloads are up to 3 MB
    if config:
        app.config.update(config)
    logging.basicConfig(level=logging.INFO)
    get_settings()  # a malformed setting stops the server here, with the variable named
    for module_name, attr in BLUEPRINTS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        app.register_blueprint(getattr(module, attr))

    @app.errorhandler(404)
    def not_found(_):
        return jsonify(error="not found"), 404

    @app.errorhandler(405)
    def method_not_allowed(_):
        return jsonify(error="method not allowed"), 405

    @app.errorhandler(413)
    def too_large(_):
        return jsonify(error="payload too large"), 413

    return app
