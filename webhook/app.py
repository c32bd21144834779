"""Application factory: config from the environment, one blueprint per surface area."""

from __future__ import annotations

import logging
from datetime import date, datetime

from flask import Flask, abort, jsonify, request
from flask.json.provider import DefaultJSONProvider

from mtaabot.config import get_settings, offline_models

offline_models()



class IsoJSONProvider(DefaultJSONProvider):
    """Dates as ISO 8601 (Flask's default is the HTTP date format)."""

    @staticmethod
    def default(o: object) -> object:
        if isinstance(o, (datetime, date)):
            return o.isoformat()
        return DefaultJSONProvider.default(o)


WARM_CONNECTIONS = 4  # per webhook process (gunicorn worker); the pool grows to 10 under load


def _refuse_a_wrong_secret_key() -> None:
    """Like the worker, the webhook does not start with a key that opens none of the stored tokens (it names the
    variable). A database that is down at start is not a reason to refuse: `/readyz` reports it until it is back."""
    import psycopg

    from mtaabot import secretbox
    from mtaabot.db import connect
    from mtaabot.db.server import DatabaseUnavailable

    try:
        conn = connect()
    except (DatabaseUnavailable, psycopg.OperationalError):
        logging.getLogger(__name__).warning("database unreachable at start; /readyz answers 503 until it is back")
        return
    with conn:
        secretbox.require_working_key(conn, service="the webhook")
    from mtaabot.db import get_pool

    # Connections for the serving threads, opened now in the background: the first deliveries (a burst of
    # Meta's retries of one message, say) do not queue behind the pool growing one connection at a time,
    # which under a loaded machine could outlast the 5 s a delivery waits before answering 503.
    get_pool(min_size=WARM_CONNECTIONS)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.json = IsoJSONProvider(app)
    from mtaabot.config import get_settings as _settings
    from mtaabot.logsetup import configure_logging

    # Every route: a body above MTAABOT_MAX_REQUEST_BYTES (default 4 MiB; Meta's payloads stay under 3 MB) is
    # refused with a 413 JSON answer before anything reads it, also when a route never looks at its body.
    app.config.update(MAX_CONTENT_LENGTH=_settings().max_request_bytes)
    if config:
        app.config.update(config)
    logging.basicConfig(level=logging.INFO)
    configure_logging()  # MTAABOT_LOG_FORMAT=json: JSON lines with the request/message id; secrets redacted
    _refuse_a_wrong_secret_key()

    @app.before_request
    def _request_id_and_body_limit() -> None:
        from flask import g

        from mtaabot.logsetup import bind_request_id, clean_request_id, new_request_id

        # one id per HTTP request (a proxy's X-Request-Id when it is plain), on every log line it causes and
        # stored with the jobs it creates, so the worker and the Graph call log the same id
        g.request_id = clean_request_id(request.headers.get("X-Request-Id")) or new_request_id()
        g.request_id_token = bind_request_id(g.request_id)
        limit = app.config.get("MAX_CONTENT_LENGTH")
        if limit and request.content_length is not None and request.content_length > limit:
            abort(413)

    @app.after_request
    def _echo_request_id(response):  # noqa: ANN001, ANN202 - Flask hook
        from flask import g

        if getattr(g, "request_id", None):
            response.headers["X-Request-Id"] = g.request_id
        return response

    @app.teardown_request
    def _unbind_request_id(_exc: BaseException | None) -> None:
        from flask import g

        from mtaabot.logsetup import reset_request_id

        token = g.pop("request_id_token", None)
        if token is not None:
            try:
                reset_request_id(token)
            except ValueError:  # a different context (streamed response): nothing to undo
                pass
    get_settings()  # a malformed setting stops the server here, with the variable named
    # One blueprint per surface area; imported here so that importing `webhook` stays cheap.
    from webhook import api, billing_api, health, mpesa, orders_api, whatsapp

    for blueprint in (whatsapp.bp, api.bp, orders_api.bp, mpesa.bp, billing_api.bp,
                      health.bp):  # health: /healthz, /readyz, /metrics
        app.register_blueprint(blueprint)

    @app.errorhandler(404)
    def not_found(_):
        return jsonify(error="not found"), 404

    @app.errorhandler(405)
    def method_not_allowed(_):
        return jsonify(error="method not allowed"), 405

    @app.errorhandler(413)
    def too_large(_):
        limit = app.config.get("MAX_CONTENT_LENGTH") or 0
        return jsonify(error=f"request body too large (the limit is {limit} bytes)", limit_bytes=limit), 413

    return app
